package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.MediaTypes;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>} with the full Accept list: digest from
 * {@code Docker-Content-Digest}, media type and size from the headers. HEAD does not count as a
 * pull on Docker Hub and moves no body. When the registry sends no digest header the manifest is
 * fetched with {@link ManifestPuller} and hashed locally.
 */
public final class ManifestResolver {
  private final RegistryHttp http;
  private final RegistryUrls urls;
  private final ManifestPuller puller;

  /**
   * @param http the request pipeline
   * @param urls the routes
   * @param puller the GET fallback
   */
  public ManifestResolver(RegistryHttp http, RegistryUrls urls, ManifestPuller puller) {
    this.http = http;
    this.urls = urls;
    this.puller = puller;
  }

  /**
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @return the metadata
   */
  public Mono<ImageMetadata> resolve(String repository, String tagOrDigest) {
    return Mono.defer(() -> {
      boolean byDigest = tagOrDigest.contains(":");
      Optional<String> tag = byDigest ? Optional.empty() : Optional.of(tagOrDigest);
      String operation = "resolve " + repository + (byDigest ? "@" : ":") + tagOrDigest;
      RegistryRequest request = RegistryRequest.of("HEAD", urls.manifest(repository, tagOrDigest),
              List.of(Scope.repositoryPull(repository)), operation)
          .withHeader("Accept", MediaTypes.MANIFEST_ACCEPT);
      return http.exchange(request).flatMap(response -> {
        if (response.status() != 200) {
          return Mono.error(ResponseErrors.toException(response, operation));
        }
        Optional<String> digest = response.header("Docker-Content-Digest").map(String::strip)
            .filter(ImageReference::isValidDigest);
        if (digest.isEmpty()) {
          return puller.fetch(repository, tagOrDigest).map(v -> new ImageMetadata(repository, tag, v.digest(),
              v.response().contentType(), v.response().body().length));
        }
        if (byDigest && !digest.get().equals(tagOrDigest)) {
          return Mono.error(new DigestMismatchException(request.describe(), tagOrDigest, digest.get()));
        }
        return Mono.just(new ImageMetadata(repository, tag, digest.get(), response.contentType(), size(response)));
      });
    });
  }

  private static long size(RegistryResponse response) {
    return response.header("Content-Length").map(v -> {
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        return -1L;
      }
    }).orElse(-1L);
  }
}
