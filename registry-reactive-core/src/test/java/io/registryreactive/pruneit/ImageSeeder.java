package io.registryreactive.pruneit;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testing.Blob;
import io.registryreactive.testing.ImageBlueprint;
import io.registryreactive.testing.RegistryProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seeds a registry through the SDK's own push API and remembers what it pushed, so tests can
 * compare the registry afterwards with what they expect. Pushes run with bounded concurrency
 * ({@value #CONCURRENCY} images at once); within one image blobs go up concurrently, then child
 * manifests by digest, then the manifest under each tag.
 */
final class ImageSeeder {
  static final int CONCURRENCY = 8;
  private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);

  /** One image (or index) to push under some tags; no tag pushes it by digest only. */
  record Push(String repository, ImageBlueprint image, List<String> tags) {}

  private final ReactiveRegistryClient client;
  private final List<Push> pushes = new ArrayList<>();

  ImageSeeder(ReactiveRegistryClient client) {
    this.client = client;
  }

  static ReactiveRegistryClient clientFor(RegistryProcess registry) {
    return clientFor(registry, registry.password());
  }

  static ReactiveRegistryClient clientFor(RegistryProcess registry, String password) {
    return ReactiveRegistryClient.builder()
        .baseUrl(registry.baseUrl())
        .credentials(RegistryCredentials.basic(registry.username(), password))
        .build();
  }

  ImageSeeder add(String repository, ImageBlueprint image, String... tags) {
    pushes.add(new Push(repository, image, List.of(tags)));
    return this;
  }

  /** Pushes everything added so far (blocking: test code) and forgets nothing. */
  void pushAll() {
    Flux.fromIterable(pushes)
        .flatMap(this::push, CONCURRENCY)
        .then()
        .block(SEED_TIMEOUT);
  }

  /** @return every pushed tag as {@code repo:tag} with the digest it was pushed with */
  Map<String, String> tagDigests() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Push p : pushes) {
      for (String tag : p.tags()) {
        String previous = out.put(p.repository() + ":" + tag, p.image().manifestDigest());
        if (previous != null && !previous.equals(p.image().manifestDigest())) {
          throw new IllegalStateException("seed pushes " + p.repository() + ":" + tag + " twice");
        }
      }
    }
    return out;
  }

  /** @return every pushed manifest (index children included) as {@code repo@digest} */
  Set<String> manifestRefs() {
    Set<String> out = new LinkedHashSet<>();
    for (Push p : pushes) {
      for (ImageBlueprint m : p.image().manifestsInPushOrder()) {
        out.add(p.repository() + "@" + m.manifestDigest());
      }
    }
    return out;
  }

  List<Push> pushes() {
    return List.copyOf(pushes);
  }

  private Mono<Void> push(Push p) {
    String repo = p.repository();
    ImageBlueprint image = p.image();
    Flux<String> blobs = Flux.fromIterable(image.blobs()).map(Blob::bytes)
        .flatMap(bytes -> client.pushBlob(repo, bytes), 4);
    List<ImageBlueprint> manifests = image.manifestsInPushOrder();
    Flux<Object> children = Flux.fromIterable(manifests.subList(0, manifests.size() - 1))
        .concatMap(child -> client.pushManifest(repo, child.manifestDigest(), child.manifest(), child.mediaType()));
    List<String> refs = p.tags().isEmpty() ? List.of(image.manifestDigest()) : p.tags();
    Flux<Object> top = Flux.fromIterable(refs)
        .concatMap(ref -> client.pushManifest(repo, ref, image.manifest(), image.mediaType())
            .doOnNext(m -> {
              if (!m.digest().equals(image.manifestDigest())) {
                throw new IllegalStateException("registry stored " + repo + ":" + ref + " as " + m.digest()
                    + ", expected " + image.manifestDigest());
              }
            }));
    return blobs.thenMany(children).thenMany(top).then();
  }
}
