package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.MediaTypes;
import java.util.List;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>} with the full Accept list: digest from {@code
 * Docker-Content-Digest}, media type and size from the headers. HEAD does not count as a pull on
 * Docker Hub and moves no body. When the registry sends no usable digest header the reading is
 * empty, and the caller fetches the manifest with {@link ManifestPuller} and hashes it.
 */
final class ManifestResolver implements Endpoint<Optional<ImageMetadata>> {
  private final RegistryRequest request;
  private final String repository;
  private final String tagOrDigest;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   */
  ManifestResolver(RegistryUrls urls, String repository, String tagOrDigest) {
    this.repository = repository;
    this.tagOrDigest = tagOrDigest;
    String operation = "resolve " + repository + (isDigest() ? "@" : ":") + tagOrDigest;
    this.request =
        RegistryRequest.of(
                "HEAD",
                urls.manifest(repository, tagOrDigest),
                List.of(Scope.repositoryPull(repository)),
                operation)
            .withHeader("Accept", MediaTypes.MANIFEST_ACCEPT);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return the metadata, or empty when the headers name no valid digest
   */
  @Override
  public Optional<ImageMetadata> readExpected(RegistryResponse response) {
    Optional<String> digest =
        response
            .header("docker-content-digest")
            .map(String::strip)
            .filter(ImageReference::isValidDigest);
    if (digest.isEmpty()) {
      return Optional.empty();
    }
    if (isDigest() && !digest.get().equals(tagOrDigest)) {
      throw new DigestMismatchException(request.describe(), tagOrDigest, digest.get());
    }
    return Optional.of(
        new ImageMetadata(repository, tag(), digest.get(), response.contentType(), size(response)));
  }

  /**
   * The metadata from a manifest fetched because the {@code HEAD} named no digest.
   *
   * @param fetched the verified {@code GET}
   * @return the metadata with the body's own digest and size
   */
  ImageMetadata fromBody(ManifestPuller.Verified fetched) {
    return new ImageMetadata(
        repository,
        tag(),
        fetched.digest(),
        fetched.response().contentType(),
        fetched.response().body().length);
  }

  private boolean isDigest() {
    return tagOrDigest.contains(":");
  }

  private Optional<String> tag() {
    return isDigest() ? Optional.empty() : Optional.of(tagOrDigest);
  }

  private static long size(RegistryResponse response) {
    return response
        .header("content-length")
        .map(
            v -> {
              try {
                return Long.parseLong(v.strip());
              } catch (NumberFormatException e) {
                return -1L;
              }
            })
        .orElse(-1L);
  }
}
