package io.registryreactive.internal.endpoint;

import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import java.util.List;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>}: 200 the repository holds the blob, 404 it does not (never
 * pushed or mounted there, or removed by garbage collection). Needs {@code repository:<name>:pull}.
 * Other answers are errors, so a failing registry is never read as "blob gone".
 */
final class BlobChecker implements Endpoint<Boolean> {
  private final RegistryRequest request;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param digest a validated digest
   */
  BlobChecker(RegistryUrls urls, String repository, String digest) {
    this.request =
        RegistryRequest.of(
            "HEAD",
            urls.blob(repository, digest),
            List.of(Scope.repositoryPull(repository)),
            "check blob " + repository + "@" + digest);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  @Override
  public boolean expects(int status) {
    return status == 200 || status == 404;
  }

  /**
   * @return whether the repository holds the blob
   */
  @Override
  public Boolean readExpected(RegistryResponse response) {
    return response.status() == 200;
  }
}
