package io.registryreactive.pruneit;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RegistryProcess;
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
 * compare the registry afterwards with what they expect. Requests run with bounded concurrency
 * ({@value #CONCURRENCY} at once).
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

  /**
   * Pushes everything added so far (blocking: test code): every distinct blob of each repository,
   * then image manifests, then indexes. Each blob and each manifest digest goes to a repository
   * once at a time: distribution 2.8's filesystem driver rewrites link files in place, so pushing
   * the same content to the same repository concurrently can make a parallel manifest PUT read an
   * empty link and fail with MANIFEST_BLOB_UNKNOWN / DIGEST_INVALID.
   */
  void pushAll() {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    Map<String, List<String>> images = new LinkedHashMap<>();
    Map<String, List<String>> indexes = new LinkedHashMap<>();
    Map<String, ImageBlueprint> manifests = new LinkedHashMap<>();
    for (Push p : pushes) {
      for (Blob blob : p.image().blobs()) {
        blobs.putIfAbsent(p.repository() + "@" + blob.digest(), blob.bytes());
      }
      for (ImageBlueprint m : p.image().manifestsInPushOrder()) {
        String ref = p.repository() + "@" + m.manifestDigest();
        manifests.put(ref, m);
        Map<String, List<String>> stage = m.isIndex() ? indexes : images;
        List<String> refs = stage.computeIfAbsent(ref, r -> new ArrayList<>());
        if (m == p.image()) {
          refs.addAll(p.tags());
        }
      }
    }
    Flux.fromIterable(blobs.entrySet())
        .flatMap(e -> client.pushBlob(repositoryOf(e.getKey()), e.getValue()), CONCURRENCY)
        .thenMany(Flux.fromIterable(images.entrySet())
            .flatMap(e -> pushManifest(e.getKey(), manifests.get(e.getKey()), e.getValue()), CONCURRENCY))
        .thenMany(Flux.fromIterable(indexes.entrySet())
            .flatMap(e -> pushManifest(e.getKey(), manifests.get(e.getKey()), e.getValue()), CONCURRENCY))
        .then()
        .block(SEED_TIMEOUT);
  }

  private static String repositoryOf(String ref) {
    return ref.substring(0, ref.indexOf('@'));
  }

  /** Pushes one manifest under each tag in turn, or by digest when it has none. */
  private Mono<Void> pushManifest(String ref, ImageBlueprint m, List<String> tags) {
    String repo = repositoryOf(ref);
    List<String> targets = tags.isEmpty() ? List.of(m.manifestDigest()) : tags;
    return Flux.fromIterable(targets)
        .concatMap(target -> client.pushManifest(repo, target, m.manifest(), m.mediaType())
            .doOnNext(stored -> {
              if (!stored.digest().equals(m.manifestDigest())) {
                throw new IllegalStateException("registry stored " + repo + ":" + target + " as "
                    + stored.digest() + ", expected " + m.manifestDigest());
              }
            }))
        .then();
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
}
