package io.registryreactive.it;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pushes {@link io.registryreactive.testkit.TestImages} blueprints through the client's own push API,
 * so the tests seed the registry exactly as a user of the SDK would.
 */
final class ImageSeeder {

  /** Blob uploads in flight per image; the client caps requests client-wide anyway. */
  private static final int BLOB_CONCURRENCY = 4;

  private final ReactiveRegistryClient client;

  ImageSeeder(ReactiveRegistryClient client) {
    this.client = client;
  }

  /**
   * Pushes the blobs, then (for an index) every child manifest by its digest, then the manifest
   * under {@code tag}.
   *
   * @return the metadata {@code pushManifest} returned for the top manifest
   */
  Mono<ImageMetadata> push(String repository, String tag, ImageBlueprint image) {
    List<ImageBlueprint> manifests = image.manifestsInPushOrder();
    List<ImageBlueprint> children = manifests.subList(0, manifests.size() - 1);
    return Flux.fromIterable(image.blobs())
        .flatMap(blob -> pushBlob(repository, blob), BLOB_CONCURRENCY)
        .thenMany(Flux.fromIterable(children)
            .concatMap(child -> client.pushManifest(repository, child.manifestDigest(), child.manifest(),
                child.mediaType())))
        .then(client.pushManifest(repository, tag, image.manifest(), image.mediaType()));
  }

  /** Pushes the image under several tags; the blobs are uploaded once (later pushes find them). */
  Mono<ImageMetadata> push(String repository, List<String> tags, ImageBlueprint image) {
    return Flux.fromIterable(tags).concatMap(tag -> push(repository, tag, image)).last();
  }

  private Mono<String> pushBlob(String repository, Blob blob) {
    return client.pushBlob(repository, blob.bytes()).map(digest -> {
      if (!digest.equals(blob.digest())) {
        throw new AssertionError("pushBlob returned " + digest + " for " + blob);
      }
      return digest;
    });
  }
}
