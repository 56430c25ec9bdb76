package io.registryreactive.benchmarks.e2e;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One repository with {@code count} tags {@code t00000, t00001, ...}, each a distinct small image
 * pushed through the SDK. All images share their two 512-byte layers; only the config differs (its
 * {@code created} time is one minute later per tag, so {@code t00000} is the oldest), which makes
 * every manifest, and so every digest, distinct while seeding moves few bytes. Seeders of several
 * repositories are given different {@code firstMinute}s, so no two images of the registry share a
 * digest (a planner's digest cache then saves nothing it would not save on a real registry).
 */
final class TagSeeder {
  private static final Instant FIRST_CREATED = Instant.parse("2024-01-01T00:00:00Z");

  private final String repository;
  private final Map<String, ImageBlueprint> images = new LinkedHashMap<>();

  TagSeeder(String repository, int count) {
    this(repository, count, 0);
  }

  /**
   * @param repository the repository
   * @param count tags
   * @param firstMinute minutes after 2024-01-01 at which the first image was created
   */
  TagSeeder(String repository, int count, long firstMinute) {
    this.repository = repository;
    for (int i = 0; i < count; i++) {
      images.put(
          tag(i),
          TestImages.image(1)
              .layers(2, 512)
              .created(FIRST_CREATED.plus(Duration.ofMinutes(firstMinute + i)))
              .docker());
    }
  }

  /**
   * @return the tag name of index {@code i}: {@code t} and five digits, the format the wrk script
   *     rebuilds
   */
  static String tag(int i) {
    return String.format("t%05d", i);
  }

  /**
   * @return the repository
   */
  String repository() {
    return repository;
  }

  /**
   * @return every tag, oldest first
   */
  List<String> tags() {
    return new ArrayList<>(images.keySet());
  }

  /**
   * @return the manifest digest each tag is seeded with
   */
  String digest(String tag) {
    return Objects.requireNonNull(images.get(tag), tag).manifestDigest();
  }

  /**
   * Pushes the shared layers once, then each tag's config and manifest, {@code concurrency} tags at
   * a time.
   *
   * @param client the client to push with
   * @param concurrency tags in flight
   * @param timeout the whole seeding must finish within this
   */
  void seed(ReactiveRegistryClient client, int concurrency, Duration timeout) {
    push(client, concurrency).block(timeout);
  }

  /**
   * What {@link #seed} does, not yet subscribed, so many small repositories can be seeded at once.
   *
   * @param client the client to push with
   * @param concurrency tags in flight
   * @return completes when every tag is pushed
   */
  Mono<Void> push(ReactiveRegistryClient client, int concurrency) {
    ImageBlueprint first = images.values().iterator().next();
    return Flux.fromIterable(first.layers())
        .concatMap(layer -> client.pushBlob(repository, layer.bytes()))
        .thenMany(
            Flux.fromIterable(images.entrySet())
                .flatMap(
                    e -> {
                      Blob config = e.getValue().config().orElseThrow();
                      return client
                          .pushBlob(repository, config.bytes())
                          .then(
                              client.pushManifest(
                                  repository,
                                  e.getKey(),
                                  e.getValue().manifest(),
                                  e.getValue().mediaType()));
                    },
                    concurrency))
        .then();
  }

  /**
   * Pushes the manifests of these tags again after they were deleted. Their blobs are still in the
   * repository (distribution deletes blobs only in garbage collection), so only manifests move.
   *
   * @param client the client to push with
   * @param tags the tags to restore
   * @param concurrency tags in flight
   * @param timeout the whole push must finish within this
   */
  void restore(
      ReactiveRegistryClient client, Collection<String> tags, int concurrency, Duration timeout) {
    pushAgain(client, tags, concurrency).block(timeout);
  }

  /**
   * What {@link #restore} does, not yet subscribed.
   *
   * @param client the client to push with
   * @param tags the tags to restore
   * @param concurrency tags in flight
   * @return completes when every tag is pushed again
   */
  Mono<Void> pushAgain(ReactiveRegistryClient client, Collection<String> tags, int concurrency) {
    return Flux.fromIterable(tags)
        .flatMap(
            tag -> {
              ImageBlueprint image = Objects.requireNonNull(images.get(tag), tag);
              return client.pushManifest(repository, tag, image.manifest(), image.mediaType());
            },
            concurrency)
        .then();
  }
}
