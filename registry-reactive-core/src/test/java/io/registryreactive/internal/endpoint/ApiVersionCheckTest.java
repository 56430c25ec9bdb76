package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.error;
import static io.registryreactive.internal.endpoint.Responses.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.AuthenticationException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.RegistryResponseException;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/} read without HTTP. */
class ApiVersionCheckTest {
  private final ApiVersionCheck check = new ApiVersionCheck(URLS);

  @Test
  void request_isGetOfV2WithoutScopes() {
    assertThat(check.request().describe()).isEqualTo("GET http://registry.test:5000/v2/");
    assertThat(check.request().scopes()).isEmpty();
  }

  @Test
  void read_when200_returnsTheApiVersionHeader() {
    assertThat(
            check.read(
                response(check, 200, "{}", "Docker-Distribution-API-Version", " registry/2.0 ")))
        .contains("registry/2.0");
  }

  @Test
  void read_when200WithoutVersionHeaderOrBody_isAccepted() {
    assertThat(check.read(response(check, 200, ""))).isEmpty();
  }

  @Test
  void read_when404_isProtocolErrorSayingNoV2Api() {
    assertThatThrownBy(() -> check.read(response(check, 404, "<html>not here</html>")))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("does not serve the registry v2 API");
  }

  @Test
  void read_when401_isAuthenticationErrorWithCode() {
    assertThatThrownBy(
            () ->
                check.read(
                    response(
                        check, 401, error("UNAUTHORIZED"), "Content-Type", "application/json")))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.hasErrorCode("UNAUTHORIZED")).isTrue();
              assertThat(e.getMessage()).startsWith("check authentication failed");
            });
  }

  @Test
  void read_when503WithGarbage_isRetryableResponseError() {
    assertThatThrownBy(() -> check.read(response(check, 503, new byte[] {(byte) 0xff, 0, 1})))
        .isInstanceOfSatisfying(
            RegistryResponseException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.errors()).isEmpty();
            });
  }
}
