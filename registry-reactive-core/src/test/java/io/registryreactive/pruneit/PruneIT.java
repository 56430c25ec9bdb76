package io.registryreactive.pruneit;

import static io.registryreactive.pruneit.PruneFixtures.resolveAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.GarbageCollector;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Prunes a real registry seeded with the cases that break naive pruners, checks that exactly the
 * expected tags and manifests are gone, then garbage-collects and checks that the storage freed
 * matches the plan's estimate (90% to 110%).
 *
 * <p>Expectations are written down independently of the planner: which tags stay, which manifests
 * go, and the bytes a collection must free (blobs referenced only by deleted manifests, counted
 * once across repositories), so a planner bug cannot hide behind its own output.
 */
@RealRegistry
class PruneIT {
  private static final int KIB = 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String APP = "team/sub/app";
  private static final String MULTI = "team/sub/multi";
  private static final int BULK_REPOS = 105;

  /** A legal 128-character tag: the longest the grammar allows. */
  private static final String LONG_KEEP = "k" + "0123456789abcdef_.-".repeat(7).substring(0, 127);

  private static final String LONG_DELETE = "D" + "fedcba9876543210-._".repeat(7).substring(0, 127);

  @Test
  void applyAndReport_whenRegistryHoldsTrickyCases_deletesExactlyTheUnkeptTagsAndGcFreesTheEstimate(
      RegistryProcess registry) {
    assertThat(LONG_KEEP).hasSize(128);
    assertThat(LONG_DELETE).hasSize(128);
    long t0 = System.nanoTime();
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      ImageSeeder seed = new ImageSeeder(client);
      Set<String> keptTags = new HashSet<>();
      List<String> whitelist = new ArrayList<>();

      // team/sub/app: Docker v2 and OCI images sharing base layers, odd tags, cosign-style
      // signatures.
      ImageBlueprint a =
          TestImages.image(101).baseLayers(100, 2, 4 * KIB).layers(1, 8 * KIB).docker();
      ImageBlueprint b =
          TestImages.image(102).baseLayers(100, 2, 4 * KIB).layers(1, 128 * KIB).oci();
      ImageBlueprint c = TestImages.image(103).layers(2, 6 * KIB).docker();
      ImageBlueprint d = TestImages.image(104).layers(1, 96 * KIB).oci();
      ImageBlueprint sigA = TestImages.image(105).layers(1, 700).oci();
      ImageBlueprint sigB = TestImages.image(106).layers(1, 900).oci();
      String sigATag = "sha256-" + hex(a.manifestDigest()) + ".sig";
      String sigBTag = "sha256-" + hex(b.manifestDigest()) + ".sig";
      seed.add(APP, a, "v1.0_rc-1", "latest")
          .add(APP, b, "__x")
          .add(APP, c, LONG_KEEP)
          .add(APP, d, LONG_DELETE, "v1.0_rc-2")
          .add(APP, sigA, sigATag)
          .add(APP, sigB, sigBTag);
      whitelist.add(APP + ":v1.0_rc-1");
      whitelist.add(APP + ":" + LONG_KEEP);
      // "latest" shares the whitelisted digest; the signatures follow their subject (B's is left
      // behind with a warning, since deleteAttachedArtifacts is off).
      keep(keptTags, APP, "v1.0_rc-1", "latest", LONG_KEEP, sigATag, sigBTag);

      // team/sub/multi: a kept OCI index whose child has its own tag, a deleted Docker manifest
      // list with its children, and a deleted OCI index sharing a child with the kept one.
      ImageBlueprint amd =
          TestImages.image(201).layers(2, 8 * KIB).platform("linux", "amd64").oci();
      ImageBlueprint arm =
          TestImages.image(202).layers(2, 8 * KIB).platform("linux", "arm64", "v8").oci();
      ImageBlueprint kept = TestImages.index(List.of(amd, arm), true);
      ImageBlueprint oldAmd = TestImages.image(211).layers(1, 160 * KIB).docker();
      ImageBlueprint oldArm =
          TestImages.image(212).layers(1, 144 * KIB).platform("linux", "arm64").docker();
      ImageBlueprint old = TestImages.index(List.of(oldAmd, oldArm), false);
      ImageBlueprint s390 =
          TestImages.image(221).layers(1, 112 * KIB).platform("linux", "s390x").oci();
      ImageBlueprint previous = TestImages.index(List.of(amd, s390), true);
      seed.add(MULTI, kept, "stable")
          .add(MULTI, arm, "arm64-only")
          .add(MULTI, old, "old")
          .add(MULTI, previous, "previous");
      whitelist.add(MULTI + ":stable");
      keep(keptTags, MULTI, "stable", "arm64-only");

      // 105 small repositories: most go entirely, a few keep tags by every whitelist form. All
      // share
      // one base layer; some share content with other repositories.
      String host = client.registryHost();
      Map<Integer, ImageBlueprint> bulkImages = new HashMap<>();
      for (int i = 0; i < BULK_REPOS; i++) {
        String repo = bulk(i);
        TestImages.ImageBuilder builder = TestImages.image(1000 + i).baseLayers(999, 1, 2 * KIB);
        if (i == 33) {
          builder.baseLayers(201, 2, 8 * KIB); // amd's layers: kept in team/sub/multi
        }
        builder.layers(1, i % 10 == 3 ? 64 * KIB : 3 * KIB);
        ImageBlueprint image = i % 2 == 0 ? builder.docker() : builder.oci();
        bulkImages.put(i, image);
        seed.add(repo, image, "1", "latest");
        if (i % 7 == 5) {
          seed.add(repo, TestImages.image(3000 + i).layers(1, 2 * KIB).docker(), "2.0");
        }
      }
      seed.add(bulk(80), TestImages.image(3080).layers(1, 2 * KIB).oci(), "old");
      seed.add(bulk(7), a, "copy"); // same digest as a kept image elsewhere
      seed.add(bulk(21), bulkImages.get(20), "dup"); // same digest as bulk/r020, which is kept
      whitelist.add(bulk(0) + ":1");
      whitelist.add(bulk(20) + ":1");
      whitelist.add(host + "/" + bulk(40) + ":latest");
      whitelist.add(bulk(60) + "@" + bulkImages.get(60).manifestDigest());
      whitelist.add(bulk(80));
      whitelist.add(bulk(100) + ":1");
      for (int i : List.of(0, 20, 40, 60, 100)) {
        keep(keptTags, bulk(i), "1", "latest");
      }
      keep(keptTags, bulk(80), "1", "latest", "old");

      seed.pushAll();
      long seeded = System.nanoTime();

      Map<String, String> allTags = seed.tagDigests();
      Set<String> keptManifests = new HashSet<>();
      Set<String> deletedManifests = new HashSet<>();
      classify(seed, allTags, keptTags, keptManifests, deletedManifests);
      long expectedReclaimable = reclaimableBytes(seed, keptManifests, deletedManifests);
      int repositories = BULK_REPOS + 2;

      // Plan: nothing deleted yet, and the plan agrees with the expectations written above.
      Pruner pruner = Pruner.of(client);
      PrunePlan plan = pruner.plan(RetentionPolicy.whitelist(whitelist, host)).block(TIMEOUT);
      assertThat(plan).isNotNull();
      assertThat(plan.totals().repositories()).isEqualTo(repositories);
      assertThat(plan.totals().tagsScanned()).isEqualTo(allTags.size());
      assertThat(plannedTagDeletions(plan))
          .containsExactlyInAnyOrderElementsOf(
              allTags.keySet().stream().filter(t -> !keptTags.contains(t)).toList());
      assertThat(plannedDigestDeletions(plan))
          .containsExactlyInAnyOrderElementsOf(deletedManifests);
      assertThat(plan.totals().reclaimableBytes()).isEqualTo(expectedReclaimable);
      assertThat(plan.warnings())
          .anyMatch(w -> w.contains(b.manifestDigest()) && w.contains("left behind"));
      assertThat(decision(plan, MULTI, arm.manifestDigest()).protectedTags())
          .containsExactly("arm64-only");
      assertThat(decision(plan, APP, a.manifestDigest()).protectedTags()).containsExactly("latest");
      assertThat(metadataDigest(client, APP, "__x")).isEqualTo(b.manifestDigest());

      long storageBeforeApply = registry.storageBytes();
      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);
      long applied = System.nanoTime();

      assertThat(report).isNotNull();
      assertThat(report.failures()).isEmpty();
      assertThat(report.skipped()).isEmpty();
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(report.notAttempted()).isZero();
      assertThat(report.plannedDeletions()).isEqualTo(plan.totals().digestsToDelete());
      assertThat((long) report.deleted().size()).isEqualTo(plan.totals().digestsToDelete());
      assertThat(report.tagsDeleted()).isEqualTo(plan.totals().tagsToDelete());
      assertThat(report.deleted()).allMatch(m -> m.outcome() == DeleteResult.Outcome.DELETED);
      assertThat(report.deleted().stream().map(m -> m.repository() + "@" + m.digest()).toList())
          .containsExactlyInAnyOrderElementsOf(deletedManifests);

      assertRegistryHolds(client, allTags, keptTags, keptManifests, deletedManifests);
      assertKeptIndexesComplete(client, seed, keptManifests);

      // Collect with the SDK's runner while the registry is stopped (stop-the-world).
      registry.stop();
      GarbageCollector.GcReport gc;
      try {
        assertThat(registry.isRunning()).isFalse();
        gc =
            GarbageCollector.forConfig(registry.configFile())
                .run(false)
                .block(Duration.ofMinutes(2));
      } finally {
        registry.start();
      }
      assertThat(gc).isNotNull();
      assertThat(gc.dryRun()).isFalse();
      assertThat(gc.registryVersion()).startsWith("2.");
      long gcd = System.nanoTime();

      printSummary(
          "PruneIT",
          plan,
          report,
          gc.bytesFreed(),
          String.format(
              "repositories=%d tagsPlannedForDeletion=%d storageBeforeApply=%d storageBeforeGc=%d "
                  + "storageAfterGc=%d gcBlobsEligible=%d seedMs=%d planApplyMs=%d verifyGcMs=%d",
              plan.totals().repositories(),
              plan.totals().tagsToDelete(),
              storageBeforeApply,
              gc.storageBytesBefore(),
              gc.storageBytesAfter(),
              gc.blobsEligible(),
              millis(t0, seeded),
              millis(seeded, applied),
              millis(applied, gcd)));
      assertGcFreedTheEstimate(gc.bytesFreed(), plan, 1024L * KIB);
      // Nothing a kept image needs was collected, untagged children of kept indexes included.
      assertKeptBlobsReadable(client, seed, keptManifests);
      assertKeptIndexesComplete(client, seed, keptManifests);
    }
  }

  /**
   * The registry's own collector ({@link RegistryProcess#garbageCollect}) after a prune driven by
   * age and pattern rules: a dry run frees nothing, the real run frees the estimate, and blobs
   * shared between a deleted image and a kept one (same repository or not) stay readable.
   */
  @Test
  void garbageCollect_afterAgeAndPatternPrune_freesTheEstimateAndKeepsSharedBlobs() {
    try (RegistryProcess registry = RegistryProcess.builder().start();
        ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      ImageSeeder seed = new ImageSeeder(client);
      Set<String> keptTags = new HashSet<>();
      Instant base = Instant.parse("2024-01-01T00:00:00Z");
      for (int r = 0; r < 3; r++) {
        String repo = "gc/svc" + r;
        for (int n = 0; n < 5; n++) {
          // Builds of one service share their base; each has its own measurable top layer.
          ImageBlueprint img =
              TestImages.image(5000 + 10 * r + n)
                  .baseLayers(4999 - r, 2, 4 * KIB)
                  .layers(1, (64 + 16 * n) * KIB)
                  .created(base.plus(Duration.ofDays(10L * n + r)))
                  .oci();
          String tag = n == 0 ? "release-1.0" : "build-" + n;
          seed.add(repo, img, tag);
          if (n == 0 || n >= 3) {
            keep(keptTags, repo, tag); // release tag by pattern, the two newest by keepLast(2)
          }
        }
      }
      // A deleted build in gc/svc0 whose top layer is also a kept image's layer in gc/other.
      ImageBlueprint other =
          TestImages.image(6000).baseLayers(5001, 1, 80 * KIB).layers(1, 2 * KIB).docker();
      seed.add("gc/other", other, "release-2.0");
      keep(keptTags, "gc/other", "release-2.0");
      seed.pushAll();

      Map<String, String> allTags = seed.tagDigests();
      Set<String> keptManifests = new HashSet<>();
      Set<String> deletedManifests = new HashSet<>();
      classify(seed, allTags, keptTags, keptManifests, deletedManifests);
      long expectedReclaimable = reclaimableBytes(seed, keptManifests, deletedManifests);

      Pruner pruner = Pruner.of(client);
      PrunePlan plan =
          pruner
              .plan(RetentionPolicy.builder().keepLast(2).keepTags("release-.*").build())
              .block(TIMEOUT);
      assertThat(plan).isNotNull();
      assertThat(plannedDigestDeletions(plan))
          .containsExactlyInAnyOrderElementsOf(deletedManifests);
      assertThat(plan.totals().reclaimableBytes()).isEqualTo(expectedReclaimable);
      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);
      assertThat(report).isNotNull();
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertRegistryHolds(client, allTags, keptTags, keptManifests, deletedManifests);

      long beforeDry = registry.storageBytes();
      RegistryProcess.GcResult dry = registry.garbageCollect(true);
      assertThat(registry.storageBytes()).isEqualTo(beforeDry);
      assertThat(dry.eligibleBlobs()).isPresent();
      assertThat(dry.eligibleBlobs().getAsInt()).isPositive();

      long before = registry.storageBytes();
      registry.garbageCollect(false);
      long measured = before - registry.storageBytes();
      printSummary("PruneIT.gc", plan, report, measured, "");
      assertThat(registry.isRunning()).isTrue();
      assertGcFreedTheEstimate(measured, plan, 256L * KIB);
      assertKeptBlobsReadable(client, seed, keptManifests);
    }
  }

  // --- expectations -------------------------------------------------------------------------

  private static String bulk(int i) {
    return String.format("bulk/r%03d", i);
  }

  private static void keep(Set<String> keptTags, String repo, String... tags) {
    for (String t : tags) {
      keptTags.add(repo + ":" + t);
    }
  }

  private static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  /** One line for the run's log: what was planned and deleted, and what the collection freed. */
  private static void printSummary(
      String label, PrunePlan plan, PruneReport report, long gcFreed, String more) {
    long estimate = plan.totals().reclaimableBytes();
    System.out.printf(
        "PRUNE-SUMMARY %s tagsScanned=%d tagsDeleted=%d digestsDeleted=%d digestsProtected=%d "
            + "reclaimableEstimate=%d gcFreed=%d ratio=%.4f %s%n",
        label,
        plan.totals().tagsScanned(),
        report.tagsDeleted(),
        report.deleted().size(),
        plan.totals().digestsProtected(),
        estimate,
        gcFreed,
        (double) gcFreed / estimate,
        more);
  }

  /**
   * The collection freed the plan's estimate, within 90% to 110%, and the estimate is more than
   * {@code atLeast} (so the ratio says something).
   */
  private static void assertGcFreedTheEstimate(long gcFreed, PrunePlan plan, long atLeast) {
    long estimate = plan.totals().reclaimableBytes();
    assertThat(estimate).isGreaterThan(atLeast);
    assertThat(gcFreed).isBetween(estimate * 9 / 10, estimate * 11 / 10);
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  /**
   * Manifests (as {@code repo@digest}) the prune must keep: those a kept tag points at and, for
   * kept indexes, their children; every other pushed manifest goes.
   */
  static void classify(
      ImageSeeder seed,
      Map<String, String> allTags,
      Set<String> keptTags,
      Set<String> keptManifests,
      Set<String> deletedManifests) {
    Map<String, ImageBlueprint> byRef = blueprints(seed);
    for (String tag : keptTags) {
      String repo = tag.substring(0, tag.indexOf(':'));
      String digest = allTags.get(tag);
      assertThat(digest).as("kept tag %s was seeded", tag).isNotNull();
      for (ImageBlueprint m : byRef.get(repo + "@" + digest).manifestsInPushOrder()) {
        keptManifests.add(repo + "@" + m.manifestDigest());
      }
    }
    for (String ref : seed.manifestRefs()) {
      if (!keptManifests.contains(ref)) {
        deletedManifests.add(ref);
      }
    }
  }

  private static Map<String, ImageBlueprint> blueprints(ImageSeeder seed) {
    Map<String, ImageBlueprint> byRef = new HashMap<>();
    for (ImageSeeder.Push p : seed.pushes()) {
      for (ImageBlueprint m : p.image().manifestsInPushOrder()) {
        byRef.put(p.repository() + "@" + m.manifestDigest(), m);
      }
    }
    return byRef;
  }

  /**
   * What a garbage collection must free: manifests, configs and layers referenced by a deleted
   * manifest and by no kept one in any repository, each digest once (the registry stores a blob
   * once).
   */
  static long reclaimableBytes(
      ImageSeeder seed, Set<String> keptManifests, Set<String> deletedManifests) {
    Map<String, ImageBlueprint> byRef = blueprints(seed);
    Map<String, Long> deleted = new HashMap<>();
    Set<String> kept = new HashSet<>();
    for (String ref : deletedManifests) {
      ownBlobs(byRef.get(ref)).forEach(deleted::put);
    }
    for (String ref : keptManifests) {
      kept.addAll(ownBlobs(byRef.get(ref)).keySet());
    }
    return deleted.entrySet().stream()
        .filter(e -> !kept.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /**
   * The manifest itself plus, for an image, its config and layers (children count on their own).
   */
  private static Map<String, Long> ownBlobs(ImageBlueprint m) {
    Map<String, Long> out = new HashMap<>();
    out.put(m.manifestDigest(), (long) m.manifest().length);
    if (!m.isIndex()) {
      for (Blob blob : m.blobs()) {
        out.put(blob.digest(), blob.size());
      }
    }
    return out;
  }

  static List<String> plannedTagDeletions(PrunePlan plan) {
    List<String> out = new ArrayList<>();
    for (RepositoryPlan r : plan.repositories()) {
      r.tagsToDelete().forEach(t -> out.add(r.repository() + ":" + t));
    }
    return out;
  }

  static List<String> plannedDigestDeletions(PrunePlan plan) {
    List<String> out = new ArrayList<>();
    for (RepositoryPlan r : plan.repositories()) {
      r.deletions().forEach(d -> out.add(r.repository() + "@" + d.digest()));
    }
    return out;
  }

  static DigestDecision decision(PrunePlan plan, String repo, String digest) {
    return plan.repositories().stream()
        .filter(r -> r.repository().equals(repo))
        .flatMap(r -> r.decisions().stream())
        .filter(d -> d.digest().equals(digest))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no decision for " + repo + "@" + digest));
  }

  static String metadataDigest(ReactiveRegistryClient client, String repo, String tagOrDigest) {
    return client.metadata(ImageReference.of(repo, tagOrDigest)).block(TIMEOUT).digest();
  }

  // --- checks against the registry -----------------------------------------------------------

  /**
   * Every kept tag resolves to its original digest, every other tag is gone; kept manifests resolve
   * by digest, deleted ones do not.
   */
  static void assertRegistryHolds(
      ReactiveRegistryClient client,
      Map<String, String> allTags,
      Set<String> keptTags,
      Set<String> keptManifests,
      Set<String> deletedManifests) {
    Map<String, String> resolved = resolveAll(client, allTags.keySet());
    Map<String, String> expectedKept =
        allTags.entrySet().stream()
            .filter(e -> keptTags.contains(e.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(resolved).as("tags that still resolve, with their digests").isEqualTo(expectedKept);

    Map<String, String> manifests = resolveAll(client, unionOf(keptManifests, deletedManifests));
    assertThat(new TreeSet<>(manifests.keySet()))
        .as("manifests that still resolve by digest")
        .isEqualTo(new TreeSet<>(keptManifests));
    manifests.forEach((ref, digest) -> assertThat(ref).endsWith("@" + digest));
  }

  private static Set<String> unionOf(Collection<String> a, Collection<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** Each kept index still lists children that all resolve by digest. */
  static void assertKeptIndexesComplete(
      ReactiveRegistryClient client, ImageSeeder seed, Set<String> keptManifests) {
    int indexes = 0;
    for (ImageSeeder.Push p : seed.pushes()) {
      String ref = p.repository() + "@" + p.image().manifestDigest();
      if (!p.image().isIndex() || !keptManifests.contains(ref)) {
        continue;
      }
      Manifest m = client.manifest(ref).block(TIMEOUT);
      assertThat(m).isInstanceOf(ImageIndex.class);
      List<String> children = ((ImageIndex) m).childDigests();
      assertThat(children)
          .containsExactlyElementsOf(
              p.image().children().stream().map(ImageBlueprint::manifestDigest).toList());
      for (String child : children) {
        Manifest cm = client.manifest(ImageReference.of(p.repository(), child)).block(TIMEOUT);
        assertThat(cm.digest()).isEqualTo(child);
      }
      indexes++;
    }
    assertThat(indexes).as("kept indexes checked").isPositive();
  }

  /** Every config and layer of every kept image can still be read (and matches its digest). */
  static void assertKeptBlobsReadable(
      ReactiveRegistryClient client, ImageSeeder seed, Set<String> keptManifests) {
    Map<String, ImageBlueprint> byRef = blueprints(seed);
    Set<String> checks = new LinkedHashSet<>();
    for (String ref : keptManifests) {
      String repo = ref.substring(0, ref.indexOf('@'));
      ImageBlueprint m = byRef.get(ref);
      if (!m.isIndex()) {
        m.blobs().forEach(blob -> checks.add(repo + "@" + blob.digest()));
      }
    }
    List<String> unreadable =
        Flux.fromIterable(checks)
            .flatMap(
                ref -> {
                  String repo = ref.substring(0, ref.indexOf('@'));
                  String digest = ref.substring(ref.indexOf('@') + 1);
                  return client
                      .blob(repo, digest)
                      .map(
                          bytes ->
                              Digests.sha256(bytes).equals(digest) ? "" : ref + " (wrong content)")
                      .onErrorResume(e -> Mono.just(ref + " (" + e.getMessage() + ")"));
                },
                ImageSeeder.CONCURRENCY)
            .filter(s -> !s.isEmpty())
            .collectList()
            .block(TIMEOUT);
    assertThat(checks).isNotEmpty();
    assertThat(unreadable).as("kept blobs that can no longer be read").isEmpty();
  }
}
