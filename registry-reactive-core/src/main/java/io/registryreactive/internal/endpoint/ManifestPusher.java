package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.ImageMetadata;
import java.util.List;
import java.util.Optional;

/**
 * {@code PUT /v2/<name>/manifests/<tag or digest>} with the manifest's media type as {@code
 * Content-Type}; 201 created. The blobs it references must be pushed first (else 400 {@code
 * MANIFEST_BLOB_UNKNOWN}). Needs {@code repository:<name>:pull,push}.
 */
final class ManifestPusher implements Endpoint<ImageMetadata> {
  private final RegistryRequest request;
  private final String repository;
  private final String tagOrDigest;
  private final byte[] manifest;
  private final String mediaType;
  private final String digest;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag, or the manifest's own digest
   * @param manifest the manifest bytes, sent exactly as given
   * @param mediaType the manifest media type
   */
  ManifestPusher(
      RegistryUrls urls, String repository, String tagOrDigest, byte[] manifest, String mediaType) {
    this.repository = repository;
    this.tagOrDigest = tagOrDigest;
    this.manifest = manifest;
    this.mediaType = mediaType;
    this.digest = Digests.sha256(manifest);
    String operation =
        "push manifest " + repository + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
    this.request =
        RegistryRequest.of(
                "PUT",
                urls.manifest(repository, tagOrDigest),
                List.of(Scope.repositoryPush(repository)),
                operation)
            .withBody(manifest, mediaType);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  @Override
  public boolean expects(int status) {
    return status == 201 || status == 200;
  }

  /**
   * @return the metadata of the stored manifest
   */
  @Override
  public ImageMetadata readExpected(RegistryResponse response) {
    response
        .header("Docker-Content-Digest")
        .map(String::strip)
        .ifPresent(
            header -> {
              if (header.startsWith("sha256:") && !header.equals(digest)) {
                throw new DigestMismatchException(
                    request.describe() + " (Docker-Content-Digest header)", digest, header);
              }
            });
    Optional<String> tag = tagOrDigest.contains(":") ? Optional.empty() : Optional.of(tagOrDigest);
    return new ImageMetadata(repository, tag, digest, mediaType, manifest.length);
  }
}
