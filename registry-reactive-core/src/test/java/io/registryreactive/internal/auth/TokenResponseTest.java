package io.registryreactive.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.RegistryProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponseTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
  private static final String REQUEST = "GET https://auth.example/token";

  private static TokenResponse parse(String json) {
    return TokenResponse.parse(json.getBytes(StandardCharsets.UTF_8), NOW, REQUEST);
  }

  @Test
  void parse_whenDockerStyleResponse_readsAllFields() {
    TokenResponse response =
        parse(
            "{\"token\":\"tok-1\",\"access_token\":\"tok-1\","
                + "\"expires_in\":300,\"issued_at\":\"2024-05-01T09:59:58Z\"}");

    assertThat(response.token()).isEqualTo("tok-1");
    assertThat(response.expiresIn()).isEqualTo(Duration.ofSeconds(300));
    assertThat(response.issuedAt()).isEqualTo(Instant.parse("2024-05-01T09:59:58Z"));
    assertThat(response.expiresAt()).isEqualTo(Instant.parse("2024-05-01T10:04:58Z"));
    assertThat(response.refreshToken()).isEmpty();
  }

  @Test
  void parse_whenTokenAndAccessTokenDiffer_prefersToken() {
    assertThat(parse("{\"token\":\"from-token\",\"access_token\":\"from-access\"}").token())
        .isEqualTo("from-token");
  }

  @Test
  void parse_whenOnlyAccessToken_usesIt() {
    assertThat(parse("{\"access_token\":\"oauth-tok\",\"expires_in\":900}").token())
        .isEqualTo("oauth-tok");
  }

  @Test
  void parse_whenTokenEmptyButAccessTokenPresent_fallsBackToAccessToken() {
    assertThat(parse("{\"token\":\"\",\"access_token\":\"oauth-tok\"}").token())
        .isEqualTo("oauth-tok");
  }

  @Test
  void parse_whenExpiresInAbsent_defaultsTo60Seconds() {
    TokenResponse response = parse("{\"token\":\"t\"}");

    assertThat(response.expiresIn()).isEqualTo(Duration.ofSeconds(60));
    assertThat(response.expiresAt()).isEqualTo(NOW.plusSeconds(60));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "59", "\"10\"", "\"soon\"", "null", "true", "{}"})
  void parse_whenExpiresInBelowMinimumOrUnreadable_uses60Seconds(String expiresIn) {
    assertThat(parse("{\"token\":\"t\",\"expires_in\":" + expiresIn + "}").expiresIn())
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void parse_whenExpiresInQuoted_readsTheNumber() {
    assertThat(parse("{\"token\":\"t\",\"expires_in\":\"3600\"}").expiresIn())
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void expiresAt_whenExpiresInAbsurd_saturatesInsteadOfThrowing() {
    TokenResponse response = parse("{\"token\":\"t\",\"expires_in\":1e300}");

    assertThat(response.expiresAt()).isEqualTo(Instant.MAX);
  }

  @Test
  void parse_whenIssuedAtAbsent_usesNow() {
    assertThat(parse("{\"token\":\"t\",\"expires_in\":120}").issuedAt()).isEqualTo(NOW);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"yesterday\"",
        "\"2024-13-01T00:00:00Z\"",
        "\"2024-05-01T09:00:00\"",
        "12345",
        "\"\""
      })
  void parse_whenIssuedAtUnparseable_usesNow(String issuedAt) {
    assertThat(parse("{\"token\":\"t\",\"issued_at\":" + issuedAt + "}").issuedAt()).isEqualTo(NOW);
  }

  @Test
  void parse_whenIssuedAtHasFractionAndOffset_convertsToInstant() {
    assertThat(
            parse("{\"token\":\"t\",\"issued_at\":\"2024-05-01T11:59:58.123456789+02:00\"}")
                .issuedAt())
        .isEqualTo(Instant.parse("2024-05-01T09:59:58.123456789Z"));
  }

  @Test
  void parse_whenIssuedAtInRfc3339SpaceAndLowerCaseForm_acceptsIt() {
    assertThat(parse("{\"token\":\"t\",\"issued_at\":\"2024-05-01 09:59:58z\"}").issuedAt())
        .isEqualTo(Instant.parse("2024-05-01T09:59:58Z"));
  }

  @Test
  void parse_whenRefreshTokenPresent_keepsIt() {
    assertThat(parse("{\"token\":\"t\",\"refresh_token\":\"refresh-1\"}").refreshToken())
        .contains("refresh-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html><body>Please log in: secret-tok</body></html>",
        "secret-tok",
        "",
        "   ",
        "[\"secret-tok\"]",
        "\"secret-tok\"",
        "{}",
        "{\"token\":\"\"}",
        "{\"token\":null,\"access_token\":\"\"}",
        "{\"token\":42}",
        "{\"refresh_token\":\"secret-tok\"}",
        "{\"token\":\"secret-tok\"",
        "{\"token\":\"secret-tok\"} trailing",
        "{\"token\":\"secret-tok\\r\\nX-Injected: 1\"}",
        "{\"token\":\"secret tok\"}"
      })
  void parse_whenGarbage_throwsProtocolExceptionNamingRequestWithoutBody(String body) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(REQUEST)
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
  }

  @Test
  void parse_whenHtml_saysItLooksLikeHtml() {
    assertThatThrownBy(() -> parse("<!DOCTYPE html><title>Proxy login</title>"))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("HTML");
  }

  @Test
  void toString_whenTokensPresent_hidesThem() {
    TokenResponse response =
        new TokenResponse(
            "secret-access", NOW, Duration.ofMinutes(5), Optional.of("secret-refresh"));

    assertThat(response.toString())
        .doesNotContain("secret-access")
        .doesNotContain("secret-refresh")
        .contains("PT5M");
  }
}
