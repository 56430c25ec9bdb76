package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.blob;
import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.InvalidReferenceException;
import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Untagged manifests (revisions read from storage) and the reclaimable estimate across the whole
 * registry: what stays, what goes, and what the estimate counts.
 */
class UntaggedPlanningTest {
  private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
  private static final Instant OLD = NOW.minus(Duration.ofDays(30));

  private static final String LATEST = digest("latest");
  private static final String OLD1 = digest("old1");
  private static final String OLD2 = digest("old2");

  /** A repository whose {@code latest} is an image of the 500-byte base layer and more. */
  private static SnapshotBuilder.RepoBuilder latest(String repo, SnapshotBuilder.Blob... more) {
    SnapshotBuilder.Blob[] blobs = new SnapshotBuilder.Blob[more.length + 1];
    blobs[0] = blob("base", 500);
    System.arraycopy(more, 0, blobs, 1, more.length);
    return SnapshotBuilder.registry("r").repo(repo).tag("latest", LATEST).image(LATEST, OLD, blobs);
  }

  /** {@code app:latest} re-pushed twice: the two earlier manifests are untagged revisions. */
  private static RegistrySnapshot overwritten(Instant pushed) {
    RegistrySnapshot s =
        latest("app", blob("new", 70))
            .image(OLD1, OLD, blob("base", 500), blob("l1", 30))
            .image(OLD2, OLD, blob("base", 500), blob("l2", 20))
            .build();
    return withRepo(s, r -> revisions(r, pushed, LATEST, OLD1, OLD2));
  }

  private static RegistrySnapshot withRepo(RegistrySnapshot s, UnaryOperator<Repo> change) {
    return new RegistrySnapshot(
        s.registry(),
        s.takenAt(),
        s.repositories().stream().map(change).toList(),
        s.missingKeep(),
        s.outOfScope(),
        s.estimateCaveats(),
        s.datesRead());
  }

  private static Repo revisions(Repo r, Instant pushed, String... digests) {
    Map<String, Instant> times = new HashMap<>();
    for (String d : digests) {
      times.put(d, pushed);
    }
    return r.withRevisions(times, Map.of());
  }

  private static RetentionPolicy.Builder keepLatest() {
    return RetentionPolicy.builder().keep("app:latest");
  }

  private static PrunePlan plan(RegistrySnapshot s, RetentionPolicy.Builder policy) {
    return PrunePlanner.plan(s, policy.build(), NOW);
  }

  private static DigestDecision decision(PrunePlan plan, String digest) {
    return plan.repositories().get(0).decisions().stream()
        .filter(d -> d.digest().equals(digest))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no decision for " + digest));
  }

  private static List<String> deleted(PrunePlan plan) {
    return plan.repositories().get(0).deletions().stream().map(DigestDecision::digest).toList();
  }

  @Test
  void untaggedRevisions_withoutDeleteUntagged_areKeptWithTheirBlobs() {
    PrunePlan plan = plan(overwritten(OLD), keepLatest());

    assertThat(deleted(plan)).isEmpty();
    assertThat(decision(plan, OLD1).reasons())
        .singleElement()
        .asString()
        .contains("untagged manifest", "deleteUntagged");
    assertThat(decision(plan, OLD1).tags()).isEmpty();
    assertThat(plan.totals().reclaimableBytes()).isZero();
    assertThat(plan.totals().reclaimableUpperBound()).isFalse();
  }

  @Test
  void untaggedRevisions_withDeleteUntagged_goAndOnlyTheirOwnBlobsAreReclaimable() {
    PrunePlan plan =
        plan(overwritten(OLD), keepLatest().deleteUntagged(true).untaggedMinAge(Duration.ZERO));

    assertThat(deleted(plan)).containsExactlyInAnyOrder(OLD1, OLD2);
    assertThat(decision(plan, OLD2).reasons())
        .singleElement()
        .asString()
        .contains("untagged manifest; nothing kept or tagged refers to it");
    assertThat(decision(plan, LATEST).isDelete()).isFalse();
    // Two manifests and their own layers; the shared base layer stays with latest.
    assertThat(plan.totals().reclaimableBytes())
        .isEqualTo(2 * SnapshotBuilder.MANIFEST_SIZE + 30 + 20);
    assertThat(plan.policy()).containsEntry(RetentionPolicy.DELETE_UNTAGGED, true);
  }

  @Test
  void untaggedRevision_pushedWithinTheMinimumAge_isKept() {
    PrunePlan plan =
        plan(overwritten(NOW.minus(Duration.ofMinutes(10))), keepLatest().deleteUntagged(true));

    assertThat(deleted(plan)).isEmpty();
    assertThat(decision(plan, OLD1).reasons())
        .singleElement()
        .asString()
        .contains("pushed less than PT1H ago");
  }

  @Test
  void untaggedRevision_newerThanKeepNewerThan_isKept() {
    RegistrySnapshot s = overwritten(OLD);
    s =
        withRepo(
            s,
            r -> {
              Map<String, ManifestInfo> m = new HashMap<>(r.manifests());
              m.put(
                  OLD1,
                  m.get(OLD1)
                      .withCreated(
                          Optional.of(NOW.minus(Duration.ofDays(2))),
                          DigestDecision.DateSource.CONFIG));
              return new Repo(
                  r.name(),
                  r.tags(),
                  m,
                  r.referrers(),
                  r.broken(),
                  r.notes(),
                  r.tagPushTimes(),
                  r.revisions());
            });

    PrunePlan plan =
        plan(
            s,
            keepLatest()
                .deleteUntagged(true)
                .untaggedMinAge(Duration.ZERO)
                .keepNewerThan(Duration.ofDays(7)));

    assertThat(deleted(plan)).containsExactly(OLD2);
    assertThat(decision(plan, OLD1).reasons()).anyMatch(r -> r.startsWith("newer than "));
  }

  @Test
  void untaggedIndex_goesWithTheChildrenNothingElseHolds_andTaggedIndexChildrenAreNotRoots() {
    String tagged = digest("tagged-index");
    String untagged = digest("untagged-index");
    String shared = digest("shared-child");
    String taggedOnly = digest("tagged-only-child");
    String own = digest("own-child");
    RegistrySnapshot s =
        SnapshotBuilder.registry("r")
            .repo("app")
            .tag("latest", tagged)
            .index(tagged, shared, taggedOnly)
            .index(untagged, shared, own)
            .image(shared, OLD, blob("s", 100))
            .image(taggedOnly, OLD, blob("t", 70))
            .image(own, OLD, blob("o", 40))
            .build();
    s = withRepo(s, r -> revisions(r, OLD, tagged, untagged, shared, taggedOnly, own));

    PrunePlan plan = plan(s, keepLatest().deleteUntagged(true).untaggedMinAge(Duration.ZERO));

    assertThat(s.repositories().get(0).untaggedRoots()).containsExactly(untagged);
    assertThat(deleted(plan)).containsExactlyInAnyOrder(untagged, own);
    assertThat(decision(plan, shared).reasons()).contains("child of kept index " + tagged);
    assertThat(decision(plan, taggedOnly).isDelete()).isFalse();
    assertThat(plan.totals().reclaimableBytes()).isEqualTo(2 * SnapshotBuilder.MANIFEST_SIZE + 40);
  }

  @Test
  void untaggedReferrerOfAKeptImage_staysWithItsSubject() {
    String signature = digest("signature");
    RegistrySnapshot s = latest("app").image(signature, OLD, blob("sig", 9)).build();
    s =
        withRepo(
            s,
            r -> {
              Map<String, ManifestInfo> m = new HashMap<>(r.manifests());
              ManifestInfo sig = m.get(signature);
              m.put(
                  signature,
                  new ManifestInfo(
                      sig.digest(),
                      sig.mediaType(),
                      sig.size(),
                      sig.children(),
                      sig.blobs(),
                      sig.created(),
                      sig.dateSource(),
                      Optional.of(LATEST)));
              return new Repo(r.name(), r.tags(), m, r.referrers())
                  .withRevisions(Map.of(LATEST, OLD, signature, OLD), Map.of());
            });

    PrunePlan plan = plan(s, keepLatest().deleteUntagged(true).untaggedMinAge(Duration.ZERO));

    assertThat(deleted(plan)).isEmpty();
    assertThat(decision(plan, signature).reasons()).contains("attached to kept image " + LATEST);
  }

  @Test
  void blobsOfRepositoriesOutsideTheScope_areNotReclaimable() {
    String mirrored = digest("mirrored");
    RegistrySnapshot s =
        latest("mirror/app")
            .tag("old", mirrored)
            .image(mirrored, OLD, blob("base", 500), blob("m", 60))
            .repo("src/app")
            .tag("old", mirrored)
            .image(mirrored, OLD, blob("base", 500), blob("m", 60))
            .build();
    RegistrySnapshot scoped =
        new RegistrySnapshot(
            s.registry(),
            s.takenAt(),
            List.of(s.repositories().get(0)),
            List.of(),
            List.of(s.repositories().get(1)),
            List.of("storage not read"),
            true);
    PrunePlan plan =
        PrunePlanner.plan(
            scoped,
            RetentionPolicy.builder()
                .includeRepositories("mirror/.*")
                .keep("mirror/app:latest")
                .build(),
            NOW);

    assertThat(deleted(plan)).containsExactly(mirrored);
    assertThat(plan.totals().reclaimableBytes()).isZero();
    assertThat(plan.totals().reclaimableUpperBound()).isTrue();
    assertThat(plan.totals().reclaimableCaveats()).containsExactly("storage not read");
  }

  @Test
  void negativeUntaggedMinAge_isRefusedWhenBuilt() {
    assertThatThrownBy(
            () -> keepLatest().deleteUntagged(true).untaggedMinAge(Duration.ofMinutes(-1)).build())
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("untaggedMinAge must not be negative");
  }
}
