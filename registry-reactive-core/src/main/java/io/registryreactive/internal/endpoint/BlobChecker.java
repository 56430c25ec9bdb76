package io.registryreactive.internal.endpoint;

import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>}: 200 the repository holds the blob, 404 it does not (never
 * pushed or mounted there, or removed by garbage collection). Needs {@code repository:<name>:pull}.
 * Other answers are errors, so a failing registry is never read as "blob gone".
 */
public final class BlobChecker {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public BlobChecker(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @return whether the blob exists in the repository
   */
  public Mono<Boolean> exists(String repository, String digest) {
    return Mono.defer(() -> {
      String operation = "check blob " + repository + "@" + digest;
      RegistryRequest head = RegistryRequest.of("HEAD", urls.blob(repository, digest),
          List.of(Scope.repositoryPull(repository)), operation);
      return http.exchange(head).map(response -> {
        if (response.status() == 200) {
          return true;
        }
        if (response.status() == 404) {
          return false;
        }
        throw ResponseErrors.toException(response, operation);
      });
    });
  }
}
