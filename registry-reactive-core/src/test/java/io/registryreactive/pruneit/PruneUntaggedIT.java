package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RegistryConfig;
import io.registryreactive.prune.RegistryStorage;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Untagged manifests against the real registry, read from its storage: the manifests a re-pushed
 * tag left behind and an untagged index go, with the children only they hold; children of a tagged
 * index stay; a manifest tagged again between plan and apply stays; without storage the policy is
 * refused before any request.
 */
@RealRegistry
class PruneUntaggedIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final RegistryProcess registry;

  PruneUntaggedIT(RegistryProcess registry) {
    this.registry = registry;
  }

  /**
   * What one repository holds: {@code latest} pushed three times, a tagged and an untagged index.
   */
  private record Seed(
      String repo,
      ImageBlueprint first,
      ImageBlueprint second,
      ImageBlueprint latest,
      ImageBlueprint taggedIndex,
      ImageBlueprint untaggedIndex,
      ImageBlueprint sharedChild,
      ImageBlueprint ownChild) {

    static Seed push(ReactiveRegistryClient client, String repo, long seed) {
      ImageSeeder seeder = new ImageSeeder(client);
      ImageBlueprint first = TestImages.image(seed).layers(2, 256).oci();
      ImageBlueprint second = TestImages.image(seed + 1).layers(2, 256).oci();
      ImageBlueprint latest = TestImages.image(seed + 2).layers(2, 256).oci();
      for (ImageBlueprint image : List.of(first, second, latest)) {
        seeder.push(repo, "latest", image).block(TIMEOUT);
      }
      ImageBlueprint shared =
          TestImages.image(seed + 3).layers(1, 256).platform("linux", "amd64").oci();
      ImageBlueprint own =
          TestImages.image(seed + 4).layers(1, 256).platform("linux", "arm64").oci();
      ImageBlueprint tagged = TestImages.index(List.of(shared), true);
      ImageBlueprint untagged = TestImages.index(List.of(shared, own), true);
      new ImageSeeder(client).add(repo, tagged, "multi").add(repo, untagged).pushAll();
      return new Seed(repo, first, second, latest, tagged, untagged, shared, own);
    }

    Set<String> untaggedGarbage() {
      return Set.of(
          first.manifestDigest(),
          second.manifestDigest(),
          untaggedIndex.manifestDigest(),
          ownChild.manifestDigest());
    }
  }

  private Pruner withStorage(ReactiveRegistryClient client) {
    RegistryStorage storage =
        RegistryStorage.of(RegistryConfig.read(registry.configFile()).block(TIMEOUT));
    return Pruner.of(client).withStorage(storage);
  }

  private static RetentionPolicy.Builder keepTags(String repo) {
    return RetentionPolicy.builder()
        .includeRepositories(java.util.regex.Pattern.quote(repo))
        .keep(repo + ":latest")
        .keep(repo + ":multi")
        .deleteUntagged(true)
        .untaggedMinAge(Duration.ZERO);
  }

  private static Set<String> deletions(PrunePlan plan) {
    return Set.copyOf(
        plan.repositories().get(0).deletions().stream().map(DigestDecision::digest).toList());
  }

  private static boolean exists(ReactiveRegistryClient client, String repo, String digest) {
    return Boolean.TRUE.equals(
        client
            .manifest(repo + "@" + digest)
            .map(m -> true)
            .onErrorResume(NotFoundException.class, e -> reactor.core.publisher.Mono.just(false))
            .block(TIMEOUT));
  }

  /** A test given a seeded repository, a pruner reading storage and its plan. */
  private interface Scenario {
    void run(ReactiveRegistryClient client, Seed seed, Pruner pruner, PrunePlan plan);
  }

  /** Seeds repository {@code untagged/<n>} and runs the scenario on it. */
  private void seeded(long n, Scenario scenario) {
    String repo = "untagged/" + n;
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      Seed seed = Seed.push(client, repo, n);
      Pruner pruner = withStorage(client);
      scenario.run(client, seed, pruner, pruner.plan(keepTags(repo).build()).block(TIMEOUT));
    }
  }

  @Test
  void prune_deletesTheUntaggedManifestsNothingHoldsAndKeepsTheRest() {
    seeded(9301, PruneUntaggedIT::deletesTheGarbageOnly);
  }

  @Test
  void apply_whenAnUntaggedManifestIsTaggedAfterPlanning_keepsIt() {
    seeded(9401, PruneUntaggedIT::keepsWhatWasTaggedAgain);
  }

  private static void deletesTheGarbageOnly(
      ReactiveRegistryClient client, Seed seed, Pruner pruner, PrunePlan plan) {
    String repo = seed.repo();
    PrunePlan withoutOption =
        pruner.plan(keepTags(repo).deleteUntagged(false).build()).block(TIMEOUT);
    assertThat(deletions(withoutOption)).isEmpty();
    assertThat(deletions(plan)).isEqualTo(seed.untaggedGarbage());
    assertThat(plan.totals().reclaimableUpperBound()).isFalse();

    PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

    assertThat(report.failures()).isEmpty();
    for (String gone : seed.untaggedGarbage()) {
      assertThat(exists(client, repo, gone)).as(gone).isFalse();
    }
    for (ImageBlueprint kept : List.of(seed.latest(), seed.taggedIndex(), seed.sharedChild())) {
      assertThat(exists(client, repo, kept.manifestDigest())).as(kept.toString()).isTrue();
    }
    assertThat(deletions(pruner.plan(keepTags(repo).build()).block(TIMEOUT))).isEmpty();
  }

  private static void keepsWhatWasTaggedAgain(
      ReactiveRegistryClient client, Seed seed, Pruner pruner, PrunePlan plan) {
    String repo = seed.repo();
    assertThat(deletions(plan)).contains(seed.first().manifestDigest());

    new ImageSeeder(client).push(repo, "rescued", seed.first()).block(TIMEOUT);
    PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

    assertThat(exists(client, repo, seed.first().manifestDigest())).isTrue();
    assertThat(client.tags(repo).collectList().block(TIMEOUT)).contains("rescued");
    assertThat(report.skipped())
        .anySatisfy(sk -> assertThat(sk.digest()).isEqualTo(seed.first().manifestDigest()));
    assertThat(exists(client, repo, seed.second().manifestDigest())).isFalse();
  }

  @Test
  void plan_withDeleteUntaggedButNoStorage_isRefused() {
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      reactor.test.StepVerifier.create(Pruner.of(client).plan(keepTags("untagged/none").build()))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(IllegalArgumentException.class)
                      .hasMessageContaining("deleteUntagged needs the registry's storage"))
          .verify(TIMEOUT);
    }
  }
}
