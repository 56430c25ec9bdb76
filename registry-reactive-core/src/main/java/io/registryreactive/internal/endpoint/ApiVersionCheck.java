package io.registryreactive.internal.endpoint;

import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/}: 200 when the client may talk to the registry with its credentials; 401 (after
 * answering the challenge) means the credentials were refused. A 200 without
 * {@code Docker-Distribution-API-Version} is accepted, since OCI registries need not send it; a 404
 * means the URL is not a v2 registry.
 */
public final class ApiVersionCheck {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public ApiVersionCheck(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /** @return completes when the registry accepts the client */
  public Mono<Void> check() {
    return Mono.defer(() -> {
      RegistryRequest request = RegistryRequest.of("GET", urls.apiVersion(), List.of(), "check authentication");
      return http.exchange(request).flatMap(response -> {
        if (response.status() == 200) {
          return Mono.empty();
        }
        if (response.status() == 404) {
          return Mono.error(new RegistryProtocolException("check authentication (" + request.describe()
              + "): 404 - this URL does not serve the registry v2 API", null));
        }
        return Mono.error(ResponseErrors.toException(response, "check authentication"));
      });
    }).then();
  }
}
