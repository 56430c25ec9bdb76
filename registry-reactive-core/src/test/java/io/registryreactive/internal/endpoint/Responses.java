package io.registryreactive.internal.endpoint;

import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Responses built by hand, as the transport would hand them to an endpoint's {@code read}. */
final class Responses {
  static final URI BASE = URI.create("http://registry.test:5000");
  static final RegistryUrls URLS = new RegistryUrls(BASE);
  static final String REPO = "team/app";

  private Responses() {}

  /**
   * @param endpoint whose request got the response
   * @param status the status
   * @param body the body
   * @param headers name, value, name, value, ...; a name may repeat
   * @return the response, first attempt
   */
  static RegistryResponse response(
      Endpoint<?> endpoint, int status, byte[] body, String... headers) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.computeIfAbsent(headers[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(headers[i + 1]);
    }
    return new RegistryResponse(endpoint.request(), status, map, body);
  }

  static RegistryResponse response(
      Endpoint<?> endpoint, int status, String body, String... headers) {
    return response(endpoint, status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /**
   * @return a distribution error envelope with one error
   */
  static String error(String code) {
    return "{\"errors\":[{\"code\":\""
        + code
        + "\",\"message\":\""
        + code.toLowerCase(Locale.ROOT)
        + "\"}]}";
  }

  static String sha256(String content) {
    return Digests.sha256(content.getBytes(StandardCharsets.UTF_8));
  }
}
