package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageReference;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the prune ITs share: a policy scoped to the test's own repositories, planning it, and asking
 * the registry itself (never the plan) what is left.
 */
final class PruneFixtures {
  /** How long one registry call may take: a safety net, not a timed assertion. */
  static final Duration BOUND = Duration.ofSeconds(60);

  private PruneFixtures() {}

  /**
   * A repository with {@code keep} and {@code dev} on K (only {@code keep} is whitelisted by {@link
   * #keepTagKeepIn}), and {@code x} on X.
   */
  record KeptAndDeletable(String repo, ImageBlueprint k, ImageBlueprint x) {}

  /**
   * @return a small OCI image: one 2 KiB layer
   */
  static ImageBlueprint image(long seed) {
    return TestImages.image(seed).layers(1, 2 * 1024).oci();
  }

  /** Pushes K (seed {@code seed}) and X (seed {@code seed + 1}) to {@code repo}. */
  static KeptAndDeletable seedKeptAndDeletable(
      ReactiveRegistryClient client, String repo, long seed) {
    ImageBlueprint k = image(seed);
    ImageBlueprint x = image(seed + 1);
    new ImageSeeder(client).add(repo, k, "keep", "dev").add(repo, x, "x").pushAll();
    return new KeptAndDeletable(repo, k, x);
  }

  /**
   * The policy most prune ITs use: it covers exactly {@code repos} (so tests sharing a registry do
   * not see each other's images) and whitelists the tag {@code keep} in each.
   */
  static RetentionPolicy keepTagKeepIn(String... repos) {
    RetentionPolicy.Builder b =
        RetentionPolicy.builder()
            .includeRepositories(
                Arrays.stream(repos).map(Pattern::quote).collect(Collectors.joining("|")));
    for (String repo : repos) {
      b.keep(repo + ":keep");
    }
    return b.build();
  }

  /**
   * @return the plan, waited for
   */
  static PrunePlan plan(Pruner pruner, RetentionPolicy policy) {
    return pruner.plan(policy).block(BOUND);
  }

  /**
   * @return {@code repo@digest} of the image
   */
  static String ref(String repo, ImageBlueprint image) {
    return repo + "@" + image.manifestDigest();
  }

  /** The digest a tag or digest resolves to with HEAD, or null once it is gone. */
  static String digestOf(ReactiveRegistryClient client, String repo, String tagOrDigest) {
    return client
        .metadata(ImageReference.of(repo, tagOrDigest))
        .map(m -> m.digest())
        .onErrorResume(NotFoundException.class, e -> Mono.empty())
        .block(BOUND);
  }

  /** Whether GET still serves the manifest; any error but {@link NotFoundException} fails. */
  static boolean exists(ReactiveRegistryClient client, String repo, String tagOrDigest) {
    return Boolean.TRUE.equals(
        client
            .manifest(ImageReference.of(repo, tagOrDigest))
            .map(m -> true)
            .onErrorResume(NotFoundException.class, e -> Mono.just(false))
            .block(BOUND));
  }

  /**
   * Resolves references with HEAD; those still there map to their digests. A {@link
   * NotFoundException} means gone, any other error fails.
   */
  static Map<String, String> resolveAll(ReactiveRegistryClient client, Collection<String> refs) {
    Map<String, String> out =
        Flux.fromIterable(refs)
            .flatMap(
                ref ->
                    client
                        .metadata(ref)
                        .map(m -> Map.entry(ref, m.digest()))
                        .onErrorResume(NotFoundException.class, e -> Mono.empty()),
                ImageSeeder.CONCURRENCY)
            .collectMap(Map.Entry::getKey, Map.Entry::getValue)
            .block(BOUND);
    return out == null ? Map.of() : out;
  }

  /** Every tag the seeder pushed still resolves, to the digest it was pushed with. */
  static void assertAllTagsResolve(ReactiveRegistryClient client, ImageSeeder seed) {
    Map<String, String> tags = seed.tagDigests();
    assertThat(resolveAll(client, tags.keySet())).isEqualTo(tags);
  }

  /** The plan skips exactly one repository, {@code repo}, and its reason names each part. */
  static void assertSkippedOnly(PrunePlan plan, String repo, String... reasonParts) {
    assertThat(plan.skippedRepositories())
        .singleElement()
        .satisfies(
            sk -> {
              assertThat(sk.repository()).isEqualTo(repo);
              assertThat(sk.reason()).contains(reasonParts);
            });
  }
}
