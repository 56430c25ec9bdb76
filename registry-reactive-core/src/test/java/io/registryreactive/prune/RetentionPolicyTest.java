package io.registryreactive.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.registryreactive.InvalidReferenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetentionPolicyTest {

  private static final String HOST = "127.0.0.1:5000";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void build_whenManyProblems_listsEveryProblemInOneException() {
    RetentionPolicy.Builder builder =
        RetentionPolicy.builder()
            .registryHost(HOST)
            .keep("Repo:Tag")
            .keep("app:")
            .keep("app@sha256:short")
            .keep("other.host:5000/app:1")
            .keep("")
            .keep("good:1")
            .keepTags("v(")
            .deleteOnlyTags("[pr")
            .includeRepositories("*x")
            .excludeRepositories("a{2")
            .keepLast(0)
            .keepNewerThan(Duration.ofDays(-1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .message()
        .startsWith("invalid retention policy: ")
        .contains("\"Repo:Tag\"", "\"app:\"", "\"app@sha256:short\"")
        .contains(
            "'other.host:5000/app:1' names registry 'other.host:5000', not this registry '127.0.0.1:5000'")
        .contains("empty whitelist entry")
        .contains("invalid keep-tags pattern 'v('", "invalid delete-tags pattern '[pr'")
        .contains(
            "invalid repository include pattern '*x'", "invalid repository exclude pattern 'a{2'")
        .contains(
            "keep-last must be at least 1, was 0", "keep-newer-than must be positive, was PT-24H")
        .doesNotContain("good:1");
  }

  @Test
  void build_whenManyProblems_separatesThemSoEachCanBeRead() {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().keep("").keep(" ").keepLast(-3);

    assertThatThrownBy(builder::build)
        .message()
        .isEqualTo(
            "invalid retention policy: keep-last must be at least 1, was -3; empty whitelist entry; "
                + "empty whitelist entry");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Repo:Tag",
        "app:",
        "app@sha256:short",
        "other.host:5000/app:1",
        "localhost:5000/app",
        "app:tag with space",
        "app@",
        "-app:1",
        "app:.hidden"
      })
  void build_whenWhitelistEntryMalformed_rejectsItByName(String entry) {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().registryHost(HOST).keep(entry);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(entry);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void build_whenWhitelistEntryBlank_rejectsIt(String entry) {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().keep(entry);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("empty whitelist entry");
  }

  @ParameterizedTest
  @ValueSource(strings = {HOST + "/team/app:1", "127.0.0.1:5000/team/app:1", "  team/app:1  "})
  void build_whenEntryNamesThisRegistryOrNoHost_acceptsItForTheBareRepository(String entry) {
    RetentionPolicy policy = RetentionPolicy.builder().registryHost(HOST).keep(entry).build();

    assertThat(policy.keepsByName("team/app", "1")).contains("whitelisted team/app:1");
    assertThat(policy.keepsByName("team/app", "2")).isEmpty();
    assertThat(policy.whitelistEntries()).containsExactly(entry);
  }

  @Test
  void build_whenEntryHasHostButPolicyHasNoRegistryHost_rejectsIt() {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().keep("registry.example.com/app:1");

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("names registry 'registry.example.com', not this registry")
        .hasMessageNotContaining("not this registry '");
  }

  @Test
  void build_whenNoRule_rejectsIt() {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().includeRepositories("team/.*");

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("no keep rule")
        .hasMessageContaining("allowDeleteAll(true)");
  }

  @Test
  void build_whenNoRuleButAllowDeleteAll_acceptsAPolicyThatKeepsNothing() {
    RetentionPolicy policy = RetentionPolicy.builder().allowDeleteAll(true).build();

    assertThat(policy.keepsByName("app", "latest")).isEmpty();
    assertThat(policy.keepsDigest("app", DIGEST)).isFalse();
    assertThat(policy.hasAgeRule()).isFalse();
  }

  @Test
  void whitelist_whenEmpty_isAllowedAndKeepsNothing() {
    RetentionPolicy policy = RetentionPolicy.whitelist(List.of(), HOST);

    assertThat(policy.keepsByName("app", "latest")).isEmpty();
    assertThat(policy.whitelistEntries()).isEmpty();
  }

  @Test
  void whitelist_whenEntriesGiven_keepsTagsDigestsAndRepositories() {
    RetentionPolicy policy =
        RetentionPolicy.whitelist(
            List.of("app:1.0", "tools@" + DIGEST, HOST + "/base", "web:2@" + DIGEST), HOST);

    assertThat(policy.keepsByName("app", "1.0")).contains("whitelisted app:1.0");
    assertThat(policy.keepsByName("app", "1.1")).isEmpty();
    assertThat(policy.keepsDigest("tools", DIGEST)).isTrue();
    assertThat(policy.keepsDigest("app", DIGEST)).isFalse();
    assertThat(policy.keepsByName("tools", "any")).isEmpty();
    assertThat(policy.keepsByName("base", "anything")).contains("whitelisted repository base");
    assertThat(policy.keepsByName("base/sub", "anything")).isEmpty();
    assertThat(policy.keepsByName("web", "2")).contains("whitelisted web:2");
    assertThat(policy.keepsDigest("web", DIGEST)).isTrue();
  }

  @Test
  void whitelist_whenAnEntryIsMalformed_throwsForTheWholeWhitelist() {
    List<String> entries = List.of("app:1", "App:2", "other.host:5000/app:1");

    assertThatThrownBy(() -> RetentionPolicy.whitelist(entries, HOST))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("\"App:2\"")
        .hasMessageContaining("other.host:5000/app:1");
  }

  @Test
  void keepsByName_whenKeepTagsPattern_matchesWholeTagsOnly() {
    RetentionPolicy policy = RetentionPolicy.builder().keepTags("v\\d+\\.\\d+").build();

    assertThat(policy.keepsByName("app", "v1.2")).contains("tag matches keep pattern v\\d+\\.\\d+");
    assertThat(policy.keepsByName("app", "v1.2-rc1")).isEmpty();
    assertThat(policy.keepsByName("app", "xv1.2")).isEmpty();
  }

  @Test
  void keepsByName_whenDeleteOnlyTagsPattern_keepsEveryTagThatDoesNotFullyMatch() {
    RetentionPolicy policy =
        RetentionPolicy.builder().deleteOnlyTags("pr-\\d+").deleteOnlyTags("tmp-.*").build();

    assertThat(policy.keepsByName("app", "pr-42")).isEmpty();
    assertThat(policy.keepsByName("app", "tmp-x")).isEmpty();
    assertThat(policy.keepsByName("app", "pr-42-b")).contains("tag does not match delete pattern");
    assertThat(policy.keepsByName("app", "main")).contains("tag does not match delete pattern");
  }

  @Test
  void coversRepository_whenIncludeAndExcludePatterns_fullMatchesBoth() {
    RetentionPolicy policy =
        RetentionPolicy.builder()
            .keepLast(1)
            .includeRepositories("team/.*")
            .excludeRepositories("team/keep-.*")
            .build();

    assertThat(policy.coversRepository("team/app")).isTrue();
    assertThat(policy.coversRepository("team/keep-me")).isFalse();
    assertThat(policy.coversRepository("other/team/app")).isFalse();
    assertThat(policy.coversRepository("team")).isFalse();
  }

  @Test
  void coversRepository_whenNoIncludePattern_coversEverythingNotExcluded() {
    RetentionPolicy policy =
        RetentionPolicy.builder().keepLast(1).excludeRepositories("infra/.*").build();

    assertThat(policy.coversRepository("app")).isTrue();
    assertThat(policy.coversRepository("infra/db")).isFalse();
    assertThat(policy.coversRepository("infra")).isTrue();
  }

  @Test
  void keepLastAndKeepNewerThan_whenValid_areAgeRules() {
    RetentionPolicy last = RetentionPolicy.builder().keepLast(3).build();
    RetentionPolicy newer = RetentionPolicy.builder().keepNewerThan(Duration.ofDays(30)).build();
    RetentionPolicy byName = RetentionPolicy.builder().keepTags("x").build();

    assertThat(last.hasAgeRule()).isTrue();
    assertThat(last.keepLast()).hasValue(3);
    assertThat(newer.hasAgeRule()).isTrue();
    assertThat(newer.keepNewerThan()).contains(RetentionAge.of(Duration.ofDays(30)));
    assertThat(byName.hasAgeRule()).isFalse();
    assertThat(byName.keepLast()).isEmpty();
  }

  @Test
  void keepNewerThan_whenZero_isRejected() {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().keepNewerThan(Duration.ZERO);

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("keep-newer-than must be positive, was PT0S");
  }

  @Test
  void describe_whenFullPolicy_listsEveryRuleInAFixedOrder() {
    RetentionPolicy policy =
        RetentionPolicy.builder()
            .registryHost(HOST)
            .includeRepositories("team/.*")
            .excludeRepositories("team/infra")
            .keep("team/app:1")
            .keep("team/app@" + DIGEST)
            .keepTags("v.*")
            .deleteOnlyTags("pr-.*")
            .keepLast(5)
            .keepNewerThan(Duration.ofDays(14))
            .deleteAttachedArtifacts(true)
            .build();

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("includeRepositories", List.of("team/.*"));
    expected.put("excludeRepositories", List.of("team/infra"));
    expected.put("keep", List.of("team/app:1", "team/app@" + DIGEST));
    expected.put("keepTags", List.of("v.*"));
    expected.put("deleteOnlyTags", List.of("pr-.*"));
    expected.put("keepLast", 5);
    expected.put("keepNewerThan", "PT336H");
    expected.put("deleteAttachedArtifacts", true);
    assertThat(policy.describe()).containsExactlyEntriesOf(expected);
    assertThat(policy.describe()).isEqualTo(policy.describe());
    assertThat(policy.toString()).isEqualTo("RetentionPolicy" + expected);
  }

  @Test
  void describe_whenMinimalPolicy_givesNullForUnsetRules() {
    RetentionPolicy policy = RetentionPolicy.whitelist(List.of("app:1"), HOST);

    assertThat(new ArrayList<>(policy.describe().keySet()))
        .isEqualTo(
            Arrays.asList(
                "includeRepositories",
                "excludeRepositories",
                "keep",
                "keepTags",
                "deleteOnlyTags",
                "keepLast",
                "keepNewerThan",
                "deleteAttachedArtifacts"));
    assertThat(policy.describe())
        .contains(
            entry("keep", List.of("app:1")),
            entry("keepLast", null),
            entry("keepNewerThan", null),
            entry("deleteAttachedArtifacts", false));
  }

  @Test
  void build_whenBuilderReused_eachPolicyKeepsItsOwnRules() {
    RetentionPolicy.Builder builder = RetentionPolicy.builder().keep("app:1");
    RetentionPolicy first = builder.build();
    builder.keep("app:2");

    assertThat(first.keepsByName("app", "2")).isEmpty();
    assertThat(builder.build().keepsByName("app", "2")).isPresent();
  }
}
