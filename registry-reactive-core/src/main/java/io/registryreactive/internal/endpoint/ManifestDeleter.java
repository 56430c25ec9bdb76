package io.registryreactive.internal.endpoint;

import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.model.DeleteResult;
import java.util.List;

/**
 * {@code DELETE /v2/<name>/manifests/<digest>}: 202 deleted; 404 already absent (a result, not an
 * error, for a pruner); 405 {@code UNSUPPORTED} means deletion is disabled ({@link
 * io.registryreactive.DeletionDisabledException}); a 405 in plain text is read-only maintenance
 * (retryable). Needs {@code repository:<name>:delete}.
 *
 * <p>DELETE is retried like any request. A 404 on a retry after an attempt whose outcome is unknown
 * (connection lost, timeout, 5xx) counts as deleted, not as already absent: that attempt may have
 * been applied before its response was lost.
 *
 * <p>Deleting a digest removes every tag that points at it.
 */
final class ManifestDeleter implements Endpoint<ManifestDeleter.Deletion> {
  private final RegistryRequest request;
  private final String repository;
  private final String digest;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param digest a validated digest
   */
  ManifestDeleter(RegistryUrls urls, String repository, String digest) {
    this.repository = repository;
    this.digest = digest;
    this.request =
        RegistryRequest.of(
            "DELETE",
            urls.manifest(repository, digest),
            List.of(Scope.repositoryDelete(repository)),
            "delete manifest " + repository + "@" + digest);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  @Override
  public boolean expects(int status) {
    return status == 202 || status == 200 || status == 204 || status == 404;
  }

  /**
   * @return the outcome
   */
  @Override
  public Deletion readExpected(RegistryResponse response) {
    if (response.status() != 404) {
      return new Deletion(
          new DeleteResult(repository, digest, DeleteResult.Outcome.DELETED), false);
    }
    if (response.earlierAttemptUncertain()) {
      // An earlier attempt's answer was lost (reset, timeout, 5xx from a proxy): it may well
      // have been applied. After a 429 or a read-only 405 nothing was applied, so a 404
      // then means someone else deleted it.
      return new Deletion(new DeleteResult(repository, digest, DeleteResult.Outcome.DELETED), true);
    }
    return new Deletion(
        new DeleteResult(repository, digest, DeleteResult.Outcome.ALREADY_ABSENT), false);
  }

  /**
   * What a delete did.
   *
   * @param result the outcome reported to the caller
   * @param confirmedOnRetry whether a retry's 404 was read as the earlier attempt's success
   *     (counted in the client's metrics)
   */
  record Deletion(DeleteResult result, boolean confirmedOnRetry) {}
}
