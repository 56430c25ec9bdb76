package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.ClientCalls.TAGS;
import static io.registryreactive.ClientCalls.answer;
import static io.registryreactive.ClientCalls.assertStatusAndCode;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.ClientCalls.registryError;
import static io.registryreactive.ClientCalls.tagsBody;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/**
 * Statuses, bodies and transport failures become typed {@link RegistryException}s that carry what a
 * caller needs, bounded, and never a raw Netty exception. The client here does not retry, so each
 * failure is exactly one request.
 */
class ErrorMappingTest extends StubClientFixture {

  @Test
  void tags_whenProxyAnswersHtml502_errorsWithBoundedExcerptAndStatus() {
    String html =
        "<html><head><title>502 Bad Gateway</title></head><body>"
            + "<p>upstream down</p>".repeat(1000)
            + "</body></html>";
    RegistryResponseException r =
        calls.tagsFailure(answer(502, "text/html", html), RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.errors()).isEmpty();
    assertThat(r.bodyExcerpt()).startsWith("<html><head><title>502 Bad Gateway");
    assertThat(r.bodyExcerpt().length())
        .isLessThanOrEqualTo(RegistryResponseException.MAX_BODY_EXCERPT);
    assertThat(r.getMessage()).contains("502").hasSizeLessThan(1000);
    assertThat(r.isRetryable()).isTrue();
  }

  @Test
  void tags_whenPlainTextError_errorsWithTextInExcerpt() {
    RegistryResponseException r =
        calls.tagsFailure(
            answer(500, "text/plain", "internal error: storage backend unreachable\n"),
            RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.bodyExcerpt()).contains("storage backend unreachable");
    assertThat(r.getMessage()).contains("storage backend unreachable").contains(TAGS);
    assertThat(r.errors()).isEmpty();
  }

  @Test
  void tags_whenDockerHubStyleMessageBody_keepsTheMessage() {
    RegistryResponseException r =
        calls.tagsFailure(
            answer(
                400,
                "application/json",
                "{\"message\":\"httpReadSeeker: failed open: unexpected status code\"}"),
            RegistryResponseException.class);
    assertThat(r.getMessage()).contains("httpReadSeeker");
  }

  @Test
  void tags_whenErrorCodeUnknownAndDetailIsObject_keepsCodeAndDetail() {
    RegistryResponseException r =
        calls.tagsFailure(
            answer(
                400,
                "application/json",
                "{\"errors\":[{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"quota\",\"detail\":{\"limit\":10}}]}"),
            RegistryResponseException.class);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).code()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(r.errors().get(0).knownCode()).isEqualTo("UNKNOWN");
    assertThat(r.errors().get(0).detail()).contains("\"limit\"").contains("10");
  }

  @ParameterizedTest(name = "{0} -> retryable={1}")
  @CsvSource({
    "500, true",
    "502, true",
    "503, true",
    "504, true",
    "501, false",
    "505, false",
    "408, true",
    "400, false",
    "409, false"
  })
  void tags_whenStatus_retryableFlagFollowsStatus(int status, boolean retryable) {
    RegistryResponseException r =
        calls.tagsFailure(aResponse().withStatus(status), RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.isRetryable()).isEqualTo(retryable);
  }

  @Test
  void tags_when429WithRetryAfterSeconds_errorsWithRateLimitedCarryingWait() {
    RateLimitedException r =
        calls.tagsFailure(
            registryError(429, "TOOMANYREQUESTS", "You have reached your pull rate limit.")
                .withHeader("Retry-After", "30"),
            RateLimitedException.class);
    assertThat(r.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(r.isRetryable()).isTrue();
    assertStatusAndCode(r, 429, "TOOMANYREQUESTS");
  }

  @Test
  void tags_when429WithRetryAfterHttpDate_errorsWithWaitUntilThatDate() {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120));
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", inTwoMinutes)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        r ->
                            assertThat(r.retryAfter())
                                .hasValueSatisfying(
                                    wait ->
                                        assertThat(wait)
                                            .isBetween(
                                                Duration.ofSeconds(60), Duration.ofSeconds(121)))))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_when429WithoutRetryAfter_errorsWithEmptyWait() {
    RateLimitedException r =
        calls.tagsFailure(aResponse().withStatus(429), RateLimitedException.class);
    assertThat(r.retryAfter()).isEmpty();
  }

  /**
   * Error envelopes whose status says what went wrong: the typed exception carries the status, the
   * code and the request, and whether a retry could help.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      401 without a challenge | 401 | UNAUTHORIZED | authentication required               | io.registryreactive.AuthenticationException | false
      repository unknown      | 404 | NAME_UNKNOWN | repository name not known to registry | io.registryreactive.NotFoundException       | false
      """)
  void tags_whenErrorEnvelope_errorsWithTypedExceptionCarryingCode(
      String what,
      int status,
      String code,
      String message,
      Class<? extends RegistryResponseException> type,
      boolean retryable) {
    RegistryResponseException e = calls.tagsFailure(registryError(status, code, message), type);
    assertStatusAndCode(e, status, code);
    assertThat(e.method()).isEqualTo("GET");
    assertThat(e.url()).endsWith(TAGS);
    assertThat(e.isRetryable()).isEqualTo(retryable);
  }

  @Test
  void tags_whenBasicCredentialsRefused_errorsWithoutLeakingThem() {
    String password = "s3cret-Pa55";
    String basic =
        Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8));
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                registryError(401, "UNAUTHORIZED", "authentication required")
                    .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));

    try (ReactiveRegistryClient withCredentials =
        registry.builder(b -> b.credentials(RegistryCredentials.basic("ci", password))).build()) {
      AuthenticationException e =
          failureOf(withCredentials.tags("team/app"), AuthenticationException.class);
      assertThat(e.toString()).doesNotContain(password).doesNotContain(basic);
    }

    // One anonymous attempt, one with the credentials, and no loop.
    registry.verify(2, getRequestedFor(urlEqualTo(TAGS)));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void tags_whenConnectionFails_errorsWithRegistryExceptionNotNettyException(Fault fault) {
    registry.stubFor(get(urlEqualTo(TAGS)).willReturn(aResponse().withFault(fault)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOfAny(
                      RegistryConnectionException.class, RegistryProtocolException.class);
              assertThat(e.getMessage()).contains(TAGS);
            })
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenConnectionReset_errorIsRetryable() {
    RegistryConnectionException c =
        calls.tagsFailure(
            aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
            RegistryConnectionException.class);
    assertThat(c.isRetryable()).isTrue();
  }

  @Test
  void tags_whenResponseSlowerThanResponseTimeout_errorsWithConnectionException() {
    registry.stubFor(get(urlEqualTo(TAGS)).willReturn(okJson(tagsBody("a")).withFixedDelay(3000)));

    try (ReactiveRegistryClient impatient =
        registry.builder(b -> b.responseTimeout(Duration.ofMillis(300))).build()) {
      RegistryConnectionException c =
          failureOf(impatient.tags("team/app"), RegistryConnectionException.class);
      assertThat(c.isRetryable()).isTrue();
      assertThat(c.getMessage()).contains("timed out");
    }
  }

  @Test
  void checkAuth_when200_completes() {
    registry.stubFor(
        get(urlEqualTo("/v2/"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Docker-Distribution-API-Version", "registry/2.0")));

    StepVerifier.create(client.checkAuth()).expectComplete().verify(VERIFY_TIMEOUT);
  }

  @Test
  void checkAuth_when404_errorsWithProtocolException() {
    registry.stubFor(
        get(urlEqualTo("/v2/"))
            .willReturn(aResponse().withStatus(404).withBody("404 page not found")));

    assertThat(failureOf(client.checkAuth(), RegistryProtocolException.class))
        .hasMessageContaining("v2");
  }
}
