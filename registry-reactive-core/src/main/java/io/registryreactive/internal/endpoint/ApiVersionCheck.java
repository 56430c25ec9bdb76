package io.registryreactive.internal.endpoint;

import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/}: 200 when the client may talk to the registry with its credentials; 401 (after
 * answering the challenge) means the credentials were refused. A 200 without {@code
 * Docker-Distribution-API-Version} is accepted, since OCI registries need not send it; a 404 means
 * the URL is not a v2 registry.
 */
final class ApiVersionCheck implements Endpoint<Optional<String>> {
  private final RegistryRequest request;

  /**
   * @param urls the routes
   */
  ApiVersionCheck(RegistryUrls urls) {
    this.request = RegistryRequest.of("GET", urls.apiVersion(), List.of(), "check authentication");
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return the {@code Docker-Distribution-API-Version} the registry sent, if any
   */
  @Override
  public Optional<String> readExpected(RegistryResponse response) {
    return response.header("Docker-Distribution-API-Version").map(String::strip);
  }

  @Override
  public RegistryException unexpected(RegistryResponse response) {
    if (response.status() == 404) {
      return new RegistryProtocolException(
          "check authentication ("
              + request.describe()
              + "): 404 - this URL does not serve the registry v2 API",
          null);
    }
    return Endpoint.super.unexpected(response);
  }
}
