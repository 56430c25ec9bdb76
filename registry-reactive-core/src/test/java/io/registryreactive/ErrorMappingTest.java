package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static io.registryreactive.testkit.StubRegistry.errorBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.testkit.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/**
 * Statuses, bodies and transport failures become typed {@link RegistryException}s that carry what a
 * caller needs, bounded, and never a raw Netty exception. The client here does not retry, so each
 * failure is exactly one request.
 */
class ErrorMappingTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private static final String TAGS = "/v2/team/app/tags/list";

  private final ReactiveRegistryClient client = registry.client();

  @Test
  void tags_whenProxyAnswersHtml502_errorsWithBoundedExcerptAndStatus() {
    String html =
        "<html><head><title>502 Bad Gateway</title></head><body>"
            + "<p>upstream down</p>".repeat(1000)
            + "</body></html>";
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody(html)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryResponseException.class,
                        r -> {
                          assertThat(r.statusCode()).isEqualTo(502);
                          assertThat(r.errors()).isEmpty();
                          assertThat(r.bodyExcerpt())
                              .startsWith("<html><head><title>502 Bad Gateway");
                          assertThat(r.bodyExcerpt().length())
                              .isLessThanOrEqualTo(RegistryResponseException.MAX_BODY_EXCERPT);
                          assertThat(r.getMessage()).contains("502").hasSizeLessThan(1000);
                          assertThat(r.isRetryable()).isTrue();
                        }))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenPlainTextError_errorsWithTextInExcerpt() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(500)
                    .withHeader("Content-Type", "text/plain")
                    .withBody("internal error: storage backend unreachable\n")));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryResponseException.class,
                        r -> {
                          assertThat(r.statusCode()).isEqualTo(500);
                          assertThat(r.bodyExcerpt()).contains("storage backend unreachable");
                          assertThat(r.getMessage())
                              .contains("storage backend unreachable")
                              .contains(TAGS);
                          assertThat(r.errors()).isEmpty();
                        }))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenDockerHubStyleMessageBody_keepsTheMessage() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"message\":\"httpReadSeeker: failed open: unexpected status code\"}")));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryResponseException.class,
                        r -> assertThat(r.getMessage()).contains("httpReadSeeker")))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenErrorCodeUnknownAndDetailIsObject_keepsCodeAndDetail() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"errors\":[{\"code\":\"QUOTA_EXCEEDED\",\"message\":\"quota\",\"detail\":{\"limit\":10}}]}")));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryResponseException.class,
                        r -> {
                          assertThat(r.errors()).hasSize(1);
                          assertThat(r.errors().get(0).code()).isEqualTo("QUOTA_EXCEEDED");
                          assertThat(r.errors().get(0).knownCode()).isEqualTo("UNKNOWN");
                          assertThat(r.errors().get(0).detail())
                              .contains("\"limit\"")
                              .contains("10");
                        }))
        .verify(VERIFY_TIMEOUT);
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
    registry.stubFor(get(urlEqualTo(TAGS)).willReturn(aResponse().withStatus(status)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryResponseException.class,
                        r -> {
                          assertThat(r.statusCode()).isEqualTo(status);
                          assertThat(r.isRetryable()).isEqualTo(retryable);
                        }))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_when429WithRetryAfterSeconds_errorsWithRateLimitedCarryingWait() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "30")
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        errorBody("TOOMANYREQUESTS", "You have reached your pull rate limit."))));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RateLimitedException.class,
                        r -> {
                          assertThat(r.retryAfter()).contains(Duration.ofSeconds(30));
                          assertThat(r.isRetryable()).isTrue();
                          assertThat(r.statusCode()).isEqualTo(429);
                          assertThat(r.hasErrorCode("TOOMANYREQUESTS")).isTrue();
                        }))
        .verify(VERIFY_TIMEOUT);
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
    registry.stubFor(get(urlEqualTo(TAGS)).willReturn(aResponse().withStatus(429)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RateLimitedException.class, r -> assertThat(r.retryAfter()).isEmpty()))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_when401WithoutChallenge_errorsWithAuthentication() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(errorBody("UNAUTHORIZED", "authentication required"))));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        AuthenticationException.class,
                        r -> {
                          assertThat(r.statusCode()).isEqualTo(401);
                          assertThat(r.hasErrorCode("UNAUTHORIZED")).isTrue();
                          assertThat(r.isRetryable()).isFalse();
                        }))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenBasicCredentialsRefused_errorsWithoutLeakingThem() {
    String password = "s3cret-Pa55";
    String basic =
        Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8));
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")
                    .withHeader("Content-Type", "application/json")
                    .withBody(errorBody("UNAUTHORIZED", "authentication required"))));

    try (ReactiveRegistryClient withCredentials =
        registry.builder(b -> b.credentials(RegistryCredentials.basic("ci", password))).build()) {
      StepVerifier.create(withCredentials.tags("team/app"))
          .expectErrorSatisfies(
              e -> {
                assertThat(e).isInstanceOf(AuthenticationException.class);
                assertThat(e.toString()).doesNotContain(password).doesNotContain(basic);
              })
          .verify(VERIFY_TIMEOUT);
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
    registry.stubFor(
        get(urlEqualTo(TAGS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        RegistryConnectionException.class,
                        c -> assertThat(c.isRetryable()).isTrue()))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenResponseSlowerThanResponseTimeout_errorsWithConnectionException() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(ListingTest.tagsBody("a"))
                    .withFixedDelay(3000)));

    try (ReactiveRegistryClient impatient =
        registry.builder(b -> b.responseTimeout(Duration.ofMillis(300))).build()) {
      StepVerifier.create(impatient.tags("team/app"))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          RegistryConnectionException.class,
                          c -> {
                            assertThat(c.isRetryable()).isTrue();
                            assertThat(c.getMessage()).contains("timed out");
                          }))
          .verify(VERIFY_TIMEOUT);
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

    StepVerifier.create(client.checkAuth())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("v2"))
        .verify(VERIFY_TIMEOUT);
  }
}
