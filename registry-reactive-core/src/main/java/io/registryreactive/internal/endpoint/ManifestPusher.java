package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.ImageMetadata;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code PUT /v2/<name>/manifests/<tag or digest>} with the manifest's media type as
 * {@code Content-Type}; 201 created. The blobs it references must be pushed first (else 400
 * {@code MANIFEST_BLOB_UNKNOWN}). Needs {@code repository:<name>:pull,push}.
 */
public final class ManifestPusher {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public ManifestPusher(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag, or the manifest's own digest
   * @param manifest the manifest bytes, sent exactly as given
   * @param mediaType the manifest media type
   * @return the metadata of the stored manifest
   */
  public Mono<ImageMetadata> push(String repository, String tagOrDigest, byte[] manifest, String mediaType) {
    return Mono.defer(() -> {
      String digest = Digests.sha256(manifest);
      String operation = "push manifest " + repository + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
      RegistryRequest request = RegistryRequest.of("PUT", urls.manifest(repository, tagOrDigest),
          List.of(Scope.repositoryPush(repository)), operation).withBody(manifest, mediaType);
      return http.exchange(request).map(response -> {
        if (response.status() != 201 && response.status() != 200) {
          throw ResponseErrors.toException(response, operation);
        }
        response.header("Docker-Content-Digest").map(String::strip).ifPresent(header -> {
          if (header.startsWith("sha256:") && !header.equals(digest)) {
            throw new DigestMismatchException(request.describe() + " (Docker-Content-Digest header)", digest, header);
          }
        });
        Optional<String> tag = tagOrDigest.contains(":") ? Optional.empty() : Optional.of(tagOrDigest);
        return new ImageMetadata(repository, tag, digest, mediaType, manifest.length);
      });
    });
  }
}
