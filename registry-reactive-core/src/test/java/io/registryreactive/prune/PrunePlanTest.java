package io.registryreactive.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.prune.DigestDecision.Action;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrunePlanTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String IDX = "sha256:" + "1".repeat(64);
  private static final String C1 = "sha256:" + "c".repeat(64);
  private static final String C2 = "sha256:" + "d".repeat(64);
  private static final String SIG = "sha256:" + "e".repeat(64);
  private static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
  private static final String INDEX = "application/vnd.oci.image.index.v1+json";

  /** The plan each test reads; see {@link #plan()}. */
  private final PrunePlan plan = plan();

  @Test
  void fromJson_whenWrittenByToJson_readsTheSamePlan() {
    assertThat(PrunePlan.fromJson(plan.toJson())).isEqualTo(plan);
  }

  @Test
  void fromJson_whenUnknownMembers_ignoresThem() {
    String json = plan.toJson().replaceFirst("\\{", "{\"futureMember\": [1, 2],");

    assertThat(PrunePlan.fromJson(json)).isEqualTo(plan);
  }

  static List<Arguments> malformed() {
    String json = plan().toJson();
    return List.of(
        Arguments.of("{", "not JSON"),
        Arguments.of("[]", "not a JSON object"),
        Arguments.of("{\"registry\": \"r\"}", "plan has no 'repositories'"),
        Arguments.of(
            edit(json, "\"createdAt\" : \"2024-03-01T00:00:00Z\"", "\"createdAt\" : \"yesterday\""),
            "'createdAt' is not an ISO-8601 time"),
        Arguments.of(
            edit(json, "\"action\" : \"DELETE\"", "\"action\" : \"PURGE\""),
            "action 'PURGE' is neither DELETE nor KEEP"),
        Arguments.of(
            edit(json, "\"sizeBytes\" : 10", "\"sizeBytes\" : \"ten\""),
            "'sizeBytes' is not an integer"),
        Arguments.of(
            edit(json, "\"tags\" : [ \"old\" ]", "\"tags\" : \"old\""), "'tags' is not an array"));
  }

  private static String edit(String json, String from, String to) {
    assertThat(json).contains(from);
    return json.replaceFirst(
        java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void fromJson_whenMalformed_namesTheProblem(String json, String problem) {
    assertThatThrownBy(() -> PrunePlan.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a prune plan")
        .hasMessageContaining(problem);
  }

  @Test
  void deletionReferences_listsRepositoryAtDigestOfEveryDeletion() {
    assertThat(plan.deletionReferences())
        .containsExactly("app@" + A, "app@" + IDX, "app@" + C1, "app@" + C2, "app@" + SIG);
  }

  @Test
  void restrictDeletionsTo_whenAllAllowed_isTheSamePlan() {
    assertThat(plan.restrictDeletionsTo(plan.deletionReferences())).isSameAs(plan);
  }

  @Test
  void restrictDeletionsTo_whenIndexNotAllowed_keepsItAndItsChildrenEvenIfTheyAre() {
    PrunePlan restricted =
        plan.restrictDeletionsTo(List.of("app@" + A, "app@" + C1, "app@" + C2, "app@" + SIG));

    assertThat(restricted.deletionReferences()).containsExactly("app@" + A, "app@" + SIG);
    DigestDecision index = decision(restricted, IDX);
    assertThat(index.action()).isEqualTo(Action.KEEP);
    assertThat(index.reasons()).contains("not a deletion in the reviewed plan");
    assertThat(index.protectedTags()).containsExactly("multi");
    assertThat(decision(restricted, C1).action()).isEqualTo(Action.KEEP);
    assertThat(decision(restricted, C1).reasons())
        .contains("held by a manifest kept because it is not a deletion in the reviewed plan");
    assertThat(restricted.totals().digestsToDelete()).isEqualTo(2);
    assertThat(restricted.totals().tagsToDelete()).isEqualTo(2);
    assertThat(restricted.totals().tagsKept()).isEqualTo(2);
    assertThat(restricted.totals().digestsKept()).isEqualTo(4);
    assertThat(restricted.totals().reclaimableBytes()).isEqualTo(10 + 1);
    assertThat(restricted.warnings())
        .anySatisfy(w -> assertThat(w).contains("3 planned deletions are kept"));
  }

  @Test
  void restrictDeletionsTo_whenImageNotAllowed_keepsItsAttachedSignatureToo() {
    PrunePlan restricted =
        plan.restrictDeletionsTo(List.of("app@" + IDX, "app@" + C1, "app@" + C2, "app@" + SIG));

    assertThat(restricted.deletionReferences())
        .containsExactly("app@" + IDX, "app@" + C1, "app@" + C2);
    assertThat(decision(restricted, SIG).action()).isEqualTo(Action.KEEP);
  }

  @Test
  void restrictDeletionsTo_neverTurnsAKeepIntoADeletion() {
    PrunePlan restricted = plan.restrictDeletionsTo(List.of("app@" + B));

    assertThat(restricted.deletionReferences()).isEmpty();
    assertThat(decision(restricted, B).action()).isEqualTo(Action.KEEP);
  }

  private static DigestDecision decision(PrunePlan plan, String digest) {
    return plan.repositories().get(0).decisions().stream()
        .filter(d -> d.digest().equals(digest))
        .findFirst()
        .orElseThrow();
  }

  /** An untagged image of 40 bytes, deleted with its index. */
  private static DigestDecision childOfDeletedIndex(String digest) {
    return new DigestDecision(
        digest,
        IMAGE,
        List.of(),
        Action.DELETE,
        List.of("its index is deleted"),
        Optional.empty(),
        false,
        List.of(),
        List.of(),
        List.of(),
        40);
  }

  /**
   * app: A (tag old) deleted with its signature SIG; B (tag keep) kept; index IDX (tag multi)
   * deleted with C1, C2.
   */
  private static PrunePlan plan() {
    List<DigestDecision> decisions =
        List.of(
            new DigestDecision(
                A,
                IMAGE,
                List.of("old"),
                Action.DELETE,
                List.of("no rule keeps it"),
                Optional.of(Instant.parse("2024-01-01T00:00:00Z")),
                false,
                List.of(),
                List.of(),
                List.of(SIG),
                10),
            new DigestDecision(
                IDX,
                INDEX,
                List.of("multi"),
                Action.DELETE,
                List.of("no rule keeps it"),
                Optional.empty(),
                true,
                List.of(),
                List.of(C1, C2),
                List.of(),
                100),
            childOfDeletedIndex(C1),
            childOfDeletedIndex(C2),
            new DigestDecision(
                SIG,
                IMAGE,
                List.of("sha256-" + "a".repeat(64) + ".sig"),
                Action.DELETE,
                List.of("attached to a deleted image"),
                Optional.empty(),
                false,
                List.of(),
                List.of(),
                List.of(),
                1),
            new DigestDecision(
                B,
                IMAGE,
                List.of("keep"),
                Action.KEEP,
                List.of("whitelisted: app:keep"),
                Optional.of(Instant.parse("2024-02-01T00:00:00Z")),
                false,
                List.of(),
                List.of(),
                List.of(),
                10));
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("keep", List.of("app:keep"));
    policy.put("keepLast", 3);
    policy.put("keepNewerThan", null);
    policy.put("deleteAttachedArtifacts", true);
    return new PrunePlan(
        "127.0.0.1:5000",
        Instant.parse("2024-03-01T00:00:00Z"),
        policy,
        List.of(new RepositoryPlan("app", 4, decisions)),
        new PrunePlan.Totals(1, 4, 3, 1, 5, 1, 0, 1, 150),
        List.of("1 undated image"));
  }
}
