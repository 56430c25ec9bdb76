package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import java.util.List;

/**
 * {@code GET /v2/<name>/blobs/<digest>} for small blobs (image configs). Registries often answer
 * with a redirect to object storage; it is followed without the registry's credentials. The body
 * must hash to the digest.
 */
final class BlobPuller implements Endpoint<byte[]> {
  private final RegistryRequest request;
  private final String digest;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param digest a validated digest
   * @param maxBytes cap on the blob size
   */
  BlobPuller(RegistryUrls urls, String repository, String digest, long maxBytes) {
    this.digest = digest;
    this.request =
        RegistryRequest.of(
                "GET",
                urls.blob(repository, digest),
                List.of(Scope.repositoryPull(repository)),
                "get blob " + repository + "@" + digest)
            .withMaxResponseBytes(maxBytes);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return the verified blob bytes
   */
  @Override
  public byte[] readExpected(RegistryResponse response) {
    if (!Digests.isSupported(digest)) {
      throw new InvalidReferenceException(
          "cannot verify blob digest '" + digest + "': only sha256 and sha512 are supported");
    }
    if (!Digests.matches(digest, response.body())) {
      throw new DigestMismatchException(
          request.describe(), digest, Digests.sha256(response.body()));
    }
    return response.body();
  }
}
