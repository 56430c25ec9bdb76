package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ClientMetrics;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.FaultInjectingProxy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A prune planned and applied through a {@link FaultInjectingProxy} that fails 30% of the requests
 * transiently - 429 with {@code Retry-After}, 503, a reset before the request, a reset after the
 * registry applied it, a 2 s stall - ends exactly where the same prune ends without faults, for
 * each of ten seeds over 102 repositories: the same plan, no repository skipped, every planned
 * deletion done once, nothing else touched, status {@code COMPLETED}. The client retries with a
 * batch run's time budget ({@link RetryOptions#retryFor}).
 *
 * <p>Each run seeds its own repositories (under {@code pc<seed>/}, policy limited to them) straight
 * into the class's registry, with the cases that break naive pruners: a non-whitelisted tag sharing
 * a digest with a whitelisted one, a kept OCI index whose child has its own tag, a deleted index
 * sharing a child with the kept one, a deleted Docker manifest list whose child has its own tag,
 * signatures of a kept and of a deleted image, a digest kept in one repository and deleted in
 * another, and every whitelist form. The expected end state is written down from the seeding; the
 * plan made without the proxy must agree with it, and the plan made through the proxy with that.
 * Everything is checked straight against the registry afterwards, including its access log: one
 * accepted DELETE per planned deletion and none other.
 */
@RealRegistry
class PruneChaosIT {
  private static final int KIB = 1024;

  /** With app and multi: 102 repositories per seed. */
  private static final int BULK_REPOS = 100;

  private static final int CLIENT_CONCURRENCY = 8;

  /** Below the stall, so that a stalled answer is a timeout the client retries. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration PROXY_DELAY = Duration.ofSeconds(2);
  private static final Duration STEP_LIMIT = Duration.ofMinutes(5);

  /**
   * The kinds of transient fault issue 10 names: 429 + Retry-After, 503, reset before, reset after
   * applied, stall.
   */
  private static final Set<FaultInjectingProxy.Fault> FAULTS =
      java.util.EnumSet.of(
          FaultInjectingProxy.Fault.TOO_MANY_REQUESTS,
          FaultInjectingProxy.Fault.SERVICE_UNAVAILABLE,
          FaultInjectingProxy.Fault.RESET_BEFORE_FORWARD,
          FaultInjectingProxy.Fault.DROP_AFTER_FORWARD,
          FaultInjectingProxy.Fault.DELAYED_RESPONSE);

  private final RegistryProcess registry;

  PruneChaosIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void planAndApply_whenThirtyPercentOfRequestsFail_endInTheStateOfAFaultFreeRun(long seed) {
    long started = System.nanoTime();
    String prefix = "pc" + seed + "/";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      ImageSeeder seeder = new ImageSeeder(direct);
      Set<String> keptTags = new HashSet<>();
      RetentionPolicy policy =
          seedTrickyCases(seeder, prefix, seed * 10_000, direct.registryHost(), keptTags);
      seeder.pushAll();
      long seeded = System.nanoTime();

      Map<String, String> allTags = seeder.tagDigests();
      Set<String> repositories =
          allTags.keySet().stream()
              .map(PruneChaosIT::repositoryOf)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> keptManifests = new HashSet<>();
      Set<String> deletedManifests = new HashSet<>();
      PruneIT.classify(seeder, allTags, keptTags, keptManifests, deletedManifests);

      // Without faults the planner agrees with the expectations; that plan is the reference.
      PrunePlan reference = Pruner.of(direct).plan(policy).block(STEP_LIMIT);
      assertThat(reference).isNotNull();
      assertThat(reference.totals().repositories()).isEqualTo(repositories.size());
      assertThat(PruneIT.plannedTagDeletions(reference))
          .containsExactlyInAnyOrderElementsOf(
              allTags.keySet().stream().filter(t -> !keptTags.contains(t)).toList());
      assertThat(PruneIT.plannedDigestDeletions(reference))
          .containsExactlyInAnyOrderElementsOf(deletedManifests);
      long planned = System.nanoTime();

      PrunePlan chaosPlan = null;
      PruneReport report = null;
      FaultInjectingProxy.Stats stats;
      try (FaultInjectingProxy proxy =
              FaultInjectingProxy.builder(registry.baseUrl())
                  .seed(seed)
                  .failureProbability(0.3)
                  .delay(PROXY_DELAY)
                  .faults(FAULTS)
                  .start();
          ReactiveRegistryClient proxied = clientThrough(proxy)) {
        Pruner pruner = Pruner.of(proxied);
        try {
          chaosPlan = pruner.plan(policy).block(STEP_LIMIT);
          assertThat(chaosPlan).isNotNull();
          report = pruner.applyAndReport(chaosPlan).block(STEP_LIMIT);
        } finally {
          stats = proxy.stats();
          ClientMetrics metrics = proxied.metrics();
          System.out.printf(
              "PruneChaosIT seed %d: repositories=%d proxy %s; client attempts=%d retries=%d %s "
                  + "deletesConfirmedOnRetry=%d; digests planned=%d deleted=%d; outcome=%s failures=%d skipped=%d "
                  + "skippedRepositories=%d; seeding %d ms, direct plan %d ms, plan+apply through the proxy %d ms%n",
              seed,
              repositories.size(),
              stats,
              metrics.attempts(),
              metrics.retries(),
              new TreeMap<>(metrics.retriesByReason()),
              metrics.deletesConfirmedOnRetry(),
              deletedManifests.size(),
              report == null ? -1 : report.deleted().size(),
              report == null ? "none" : report.status(),
              report == null ? -1 : report.failures().size(),
              report == null ? -1 : report.skipped().size(),
              chaosPlan == null ? -1 : chaosPlan.skippedRepositories().size(),
              millis(started, seeded),
              millis(seeded, planned),
              millis(planned, System.nanoTime()));
        }
      }

      assertThat(stats.faults())
          .as("every chosen fault kind was injected, no other")
          .allSatisfy(
              (kind, n) ->
                  assertThat(n > 0).as("%s injected", kind).isEqualTo(FAULTS.contains(kind)));
      assertThat(chaosPlan.skippedRepositories())
          .as("no repository skipped for a transient fault")
          .isEmpty();
      assertThat(chaosPlan.missingKeep()).isEmpty();
      assertThat(normalized(chaosPlan))
          .as("plan through the proxy, per repository")
          .isEqualTo(normalized(reference));
      assertThat(chaosPlan.totals()).isEqualTo(reference.totals());
      assertThat(chaosPlan.warnings()).containsExactlyInAnyOrderElementsOf(reference.warnings());

      assertThat(report).isNotNull();
      assertThat(report.failures()).isEmpty();
      assertThat(report.skipped()).isEmpty();
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(report.notAttempted()).isZero();
      assertThat(report.deleted())
          .as("nothing else deletes, so every delete (a retried one too) removed its digest")
          .allSatisfy(
              m ->
                  assertThat(m.outcome())
                      .as("%s@%s", m.repository(), m.digest())
                      .isEqualTo(DeleteResult.Outcome.DELETED));
      assertThat(report.deleted().stream().map(m -> m.repository() + "@" + m.digest()).toList())
          .containsExactlyInAnyOrderElementsOf(deletedManifests);
      assertThat(report.tagsDeleted()).isEqualTo(reference.totals().tagsToDelete());

      // Straight against the registry, neither the proxy nor the proxied client in the way.
      PruneIT.assertRegistryHolds(direct, allTags, keptTags, keptManifests, deletedManifests);
      PruneIT.assertKeptIndexesComplete(direct, seeder, keptManifests);
      assertThat(remainingTags(direct, repositories))
          .as("tags listed straight from the registry")
          .containsExactlyInAnyOrderElementsOf(keptTags);
      assertThat(acceptedDeletes(prefix))
          .as("DELETEs the registry accepted (202) under " + prefix)
          .containsExactlyInAnyOrderElementsOf(deletedManifests);
    }
  }

  /** Ten seeds; {@code -Dchaos.seeds=7,19} runs only those (to reproduce one). */
  static java.util.stream.LongStream seeds() {
    String only = System.getProperty("chaos.seeds", "");
    if (!only.isBlank()) {
      return java.util.Arrays.stream(only.split(",")).map(String::strip).mapToLong(Long::parseLong);
    }
    return java.util.stream.LongStream.of(7, 19, 31, 43, 55, 67, 79, 91, 103, 115);
  }

  // --- data set -------------------------------------------------------------------------------

  /**
   * Adds the run's images to the seeder, records the tags that must survive, and returns the
   * policy: a whitelist limited to the run's repositories.
   */
  private static RetentionPolicy seedTrickyCases(
      ImageSeeder seeder, String prefix, long base, String host, Set<String> keptTags) {
    RetentionPolicy.Builder policy =
        RetentionPolicy.builder().registryHost(host).includeRepositories(prefix + ".*");

    // app: Docker v2 and OCI images sharing a base layer, odd tags, cosign-style signatures.
    String app = prefix + "team/sub/app";
    ImageBlueprint a =
        TestImages.image(base + 101).baseLayers(base + 100, 1, 2 * KIB).layers(1, 3 * KIB).docker();
    ImageBlueprint b =
        TestImages.image(base + 102).baseLayers(base + 100, 1, 2 * KIB).layers(1, 5 * KIB).oci();
    ImageBlueprint c = TestImages.image(base + 103).layers(2, 2 * KIB).docker();
    ImageBlueprint d = TestImages.image(base + 104).layers(1, 4 * KIB).oci();
    ImageBlueprint sigA = TestImages.image(base + 105).layers(1, 700).oci();
    ImageBlueprint sigB = TestImages.image(base + 106).layers(1, 900).oci();
    String sigATag = "sha256-" + hex(a.manifestDigest()) + ".sig";
    String sigBTag = "sha256-" + hex(b.manifestDigest()) + ".sig";
    seeder
        .add(app, a, "v1.0_rc-1", "latest")
        .add(app, b, "__x")
        .add(app, c, "keep-me")
        .add(app, d, "old-1", "old-2")
        .add(app, sigA, sigATag)
        .add(app, sigB, sigBTag);
    policy.keep(app + ":v1.0_rc-1").keep(app + ":keep-me");
    // "latest" shares the whitelisted digest; both signatures stay (B's is left behind with a
    // warning).
    keep(keptTags, app, "v1.0_rc-1", "latest", "keep-me", sigATag, sigBTag);

    // multi: a kept OCI index whose child has its own tag; a deleted Docker manifest list whose
    // child
    // has its own tag too; a deleted OCI index sharing a child with the kept one.
    String multi = prefix + "team/sub/multi";
    ImageBlueprint amd =
        TestImages.image(base + 201).layers(1, 3 * KIB).platform("linux", "amd64").oci();
    ImageBlueprint arm =
        TestImages.image(base + 202).layers(1, 3 * KIB).platform("linux", "arm64", "v8").oci();
    ImageBlueprint kept = TestImages.index(List.of(amd, arm), true);
    ImageBlueprint oldAmd = TestImages.image(base + 211).layers(1, 4 * KIB).docker();
    ImageBlueprint oldArm =
        TestImages.image(base + 212).layers(1, 4 * KIB).platform("linux", "arm64").docker();
    ImageBlueprint old = TestImages.index(List.of(oldAmd, oldArm), false);
    ImageBlueprint s390 =
        TestImages.image(base + 221).layers(1, 4 * KIB).platform("linux", "s390x").oci();
    ImageBlueprint previous = TestImages.index(List.of(amd, s390), true);
    seeder
        .add(multi, kept, "stable")
        .add(multi, arm, "arm64-only")
        .add(multi, old, "old")
        .add(multi, oldArm, "old-arm64")
        .add(multi, previous, "previous");
    policy.keep(multi + ":stable");
    keep(keptTags, multi, "stable", "arm64-only");

    // bulk: small repositories at two depths; most go entirely, some keep tags by every whitelist
    // form.
    List<ImageBlueprint> bulk = new ArrayList<>();
    for (int i = 0; i < BULK_REPOS; i++) {
      TestImages.ImageBuilder image =
          TestImages.image(base + 1000 + i).baseLayers(base + 999, 1, KIB).layers(1, KIB + 16 * i);
      bulk.add(i % 2 == 0 ? image.docker() : image.oci());
      seeder.add(bulk(prefix, i), bulk.get(i), "1", "latest");
      if (i % 7 == 5) {
        seeder.add(
            bulk(prefix, i), TestImages.image(base + 3000 + i).layers(1, KIB).docker(), "2.0");
      }
    }
    seeder.add(bulk(prefix, 8), TestImages.image(base + 3008).layers(1, KIB).oci(), "old");
    seeder.add(bulk(prefix, 3), a, "copy"); // a digest app keeps, deleted here
    seeder.add(bulk(prefix, 5), bulk.get(4), "dup"); // a digest bulk 4 keeps, deleted here
    policy
        .keep(bulk(prefix, 0) + ":1")
        .keep(bulk(prefix, 4) + "@" + bulk.get(4).manifestDigest())
        .keep(bulk(prefix, 8))
        .keep(host + "/" + bulk(prefix, 12) + ":latest")
        .keep(bulk(prefix, 16) + ":1");
    for (int i : List.of(0, 4, 12, 16)) {
      keep(keptTags, bulk(prefix, i), "1", "latest");
    }
    keep(keptTags, bulk(prefix, 8), "1", "latest", "old");
    return policy.build();
  }

  private static String bulk(String prefix, int i) {
    return prefix
        + (i % 4 == 0 ? String.format("bulk/r%02d", i) : String.format("bulk/g%d/r%02d", i % 3, i));
  }

  private static void keep(Set<String> keptTags, String repo, String... tags) {
    for (String t : tags) {
      keptTags.add(repo + ":" + t);
    }
  }

  private static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  private static String repositoryOf(String tagRef) {
    return tagRef.substring(0, tagRef.lastIndexOf(':'));
  }

  // --- comparison -----------------------------------------------------------------------------

  /**
   * Per repository, one line per decision with everything but the plan's own timestamps and the
   * registry's name (which is the proxy's for a plan made through it); order-independent.
   */
  private static Map<String, List<String>> normalized(PrunePlan plan) {
    Map<String, List<String>> out = new TreeMap<>();
    for (RepositoryPlan r : plan.repositories()) {
      List<String> lines = new ArrayList<>();
      lines.add("tagsScanned=" + r.tagsScanned());
      for (DigestDecision d : r.decisions()) {
        lines.add(
            d.digest()
                + " "
                + d.action()
                + " "
                + d.mediaType()
                + " tags="
                + sorted(d.tags())
                + " protected="
                + sorted(d.protectedTags())
                + " children="
                + d.children()
                + " attached="
                + sorted(d.attached())
                + " reasons="
                + sorted(d.reasons())
                + " created="
                + d.created()
                + " undated="
                + d.undated()
                + " size="
                + d.sizeBytes());
      }
      lines.sort(null);
      out.put(r.repository(), lines);
    }
    return out;
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }

  // --- the registry, directly -----------------------------------------------------------------

  private static Set<String> remainingTags(
      ReactiveRegistryClient direct, Set<String> repositories) {
    List<String> tags =
        Flux.fromIterable(repositories)
            .flatMap(
                repo ->
                    direct
                        .tags(repo)
                        .map(t -> repo + ":" + t)
                        .onErrorResume(NotFoundException.class, e -> Mono.empty()),
                ImageSeeder.CONCURRENCY)
            .collectList()
            .block(STEP_LIMIT);
    return tags == null ? Set.of() : new HashSet<>(tags);
  }

  /**
   * {@code repo@digest} of every manifest DELETE the registry answered 202, as its access log says.
   */
  private List<String> acceptedDeletes(String prefix) {
    String route = "/v2/" + prefix;
    return AccessLog.requests(registry).stream()
        .filter(r -> r.method().equals("DELETE") && r.status() == 202 && r.uri().startsWith(route))
        .map(
            r -> {
              String path = r.uri().substring("/v2/".length());
              int m = path.lastIndexOf("/manifests/");
              return path.substring(0, m) + "@" + path.substring(m + "/manifests/".length());
            })
        .toList();
  }

  // --- through the proxy ----------------------------------------------------------------------

  private ReactiveRegistryClient clientThrough(FaultInjectingProxy proxy) {
    return ReactiveRegistryClient.builder()
        .baseUrl(proxy.baseUrl())
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        // A batch run's budget (RetryOptions.batch()), with shorter waits for a local registry.
        .retry(
            RetryOptions.builder()
                .retryFor(RetryOptions.DEFAULT_BATCH_BUDGET)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(500))
                .build())
        .maxConcurrentRequests(CLIENT_CONCURRENCY)
        .responseTimeout(RESPONSE_TIMEOUT)
        .build();
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
