package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static org.assertj.core.api.Assertions.assertThat;

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
            reply(check, 200, "{}")
                .header("Docker-Distribution-API-Version", " registry/2.0 ")
                .read())
        .contains("registry/2.0");
  }

  @Test
  void read_when200WithoutVersionHeaderOrBody_isAccepted() {
    assertThat(reply(check, 200, "").read()).isEmpty();
  }

  @Test
  void read_when404_isProtocolErrorSayingNoV2Api() {
    reply(check, 404, "<html>not here</html>")
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("does not serve the registry v2 API");
  }

  @Test
  void read_when401_isAuthenticationErrorWithCode() {
    AuthenticationException e =
        errorReply(check, 401, "UNAUTHORIZED").readFailureWithCode(AuthenticationException.class);
    assertThat(e.getMessage()).startsWith("check authentication failed");
  }

  @Test
  void read_when503WithGarbage_isRetryableResponseError() {
    RegistryResponseException e =
        reply(check, 503, new byte[] {(byte) 0xff, 0, 1})
            .readFailure(RegistryResponseException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.errors()).isEmpty();
  }
}
