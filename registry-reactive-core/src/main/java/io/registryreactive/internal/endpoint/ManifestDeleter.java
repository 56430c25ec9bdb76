package io.registryreactive.internal.endpoint;

import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.model.DeleteResult;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code DELETE /v2/<name>/manifests/<digest>}: 202 deleted; 404 already absent (a result, not an
 * error, for a pruner); 405 {@code UNSUPPORTED} means deletion is disabled
 * ({@link io.registryreactive.DeletionDisabledException}); a 405 in plain text is read-only
 * maintenance (retryable). Needs {@code repository:<name>:delete}.
 *
 * <p>DELETE is retried like any request. A 404 on a retry after an attempt whose outcome is
 * unknown (connection lost, timeout, 5xx) counts as deleted, not as already absent: that attempt
 * may have been applied before its response was lost.
 *
 * <p>Deleting a digest removes every tag that points at it.
 */
public final class ManifestDeleter {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public ManifestDeleter(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @return the outcome
   */
  public Mono<DeleteResult> delete(String repository, String digest) {
    return Mono.defer(() -> {
      String operation = "delete manifest " + repository + "@" + digest;
      RegistryRequest request = RegistryRequest.of("DELETE", urls.manifest(repository, digest),
          List.of(Scope.repositoryDelete(repository)), operation);
      return http.exchange(request).map(response -> {
        if (response.status() == 202 || response.status() == 200 || response.status() == 204) {
          return new DeleteResult(repository, digest, DeleteResult.Outcome.DELETED);
        }
        if (response.status() == 404) {
          if (response.earlierAttemptUncertain()) {
            // An earlier attempt's answer was lost (reset, timeout, 5xx from a proxy): it may well
            // have been applied. After a 429 or a read-only 405 nothing was applied, so a 404
            // then means someone else deleted it.
            http.counters().deleteConfirmedOnRetry();
            return new DeleteResult(repository, digest, DeleteResult.Outcome.DELETED);
          }
          return new DeleteResult(repository, digest, DeleteResult.Outcome.ALREADY_ABSENT);
        }
        throw ResponseErrors.toException(response, operation);
      });
    });
  }
}
