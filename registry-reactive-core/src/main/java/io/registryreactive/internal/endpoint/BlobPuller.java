package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.Digests;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/<name>/blobs/<digest>} for small blobs (image configs). Registries often answer
 * with a redirect to object storage; it is followed without the registry's credentials. The body
 * must hash to the digest.
 */
public final class BlobPuller {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public BlobPuller(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @param maxBytes cap on the blob size
   * @return the verified blob bytes
   */
  public Mono<byte[]> pull(String repository, String digest, long maxBytes) {
    return Mono.defer(() -> {
      String operation = "get blob " + repository + "@" + digest;
      RegistryRequest request = RegistryRequest.of("GET", urls.blob(repository, digest),
          List.of(Scope.repositoryPull(repository)), operation).withMaxResponseBytes(maxBytes);
      return http.exchange(request).map(response -> {
        if (response.status() != 200) {
          throw ResponseErrors.toException(response, operation);
        }
        if (!Digests.isSupported(digest)) {
          throw new InvalidReferenceException("cannot verify blob digest '" + digest
              + "': only sha256 and sha512 are supported");
        }
        if (!Digests.matches(digest, response.body())) {
          throw new DigestMismatchException(request.describe(), digest, Digests.sha256(response.body()));
        }
        return response.body();
      });
    });
  }
}
