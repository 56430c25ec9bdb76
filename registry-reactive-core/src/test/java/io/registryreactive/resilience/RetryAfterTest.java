package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastRetry;
import static io.registryreactive.resilience.RegistryStubs.stubSequence;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.ClientMetrics;
import io.registryreactive.RateLimitedException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * {@code Retry-After} from a 429 (or 503): both forms, the cap, and what happens without one. Waits
 * are checked through {@code metrics().totalWait()}, which records what the client decided to wait,
 * rather than through the wall clock.
 */
class RetryAfterTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static final Duration BOUND = Duration.ofSeconds(20);

  private static ResponseDefinitionBuilder tooManyRequests(String retryAfter) {
    return aResponse()
        .withStatus(429)
        .withHeader("Content-Type", "application/json")
        .withHeader("Retry-After", retryAfter)
        .withBody("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}");
  }

  @Test
  void tags_when429WithRetryAfterSeconds_waitsAtLeastThatLongThenSucceeds() {
    stubSequence(
        wm, "429-seconds", () -> get(urlEqualTo(TAGS_PATH)), tooManyRequests("1"), tagsOk("a"));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      ClientMetrics m = client.metrics();
      assertThat(m.retriesByReason()).isEqualTo(Map.of("status 429", 1L));
      assertThat(m.throttled()).isEqualTo(1);
      // The backoff alone would be 10 ms; Retry-After asked for 1 s.
      assertThat(m.totalWait()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
    List<LoggedRequest> requests = wm.findAll(getRequestedFor(urlEqualTo(TAGS_PATH)));
    assertThat(requests).hasSize(2);
    long gapMillis =
        requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
    assertThat(gapMillis).isGreaterThanOrEqualTo(900);
  }

  @Test
  void tags_when429WithRetryAfterDate_waitsUntilThatDateOnTheClientClock() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    String oneSecondLater =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(1).atOffset(ZoneOffset.UTC));
    stubSequence(
        wm,
        "429-date",
        () -> get(urlEqualTo(TAGS_PATH)),
        tooManyRequests(oneSecondLater),
        tagsOk("a"));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 429", 1L));
      assertThat(client.metrics().totalWait())
          .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void tags_whenRetryAfterExceedsMaxRetryAfter_waitIsCapped() {
    stubSequence(
        wm, "429-huge", () -> get(urlEqualTo(TAGS_PATH)), tooManyRequests("3600"), tagsOk("a"));
    RetryOptions retry = fastRetry(3).toBuilder().maxRetryAfter(Duration.ofMillis(200)).build();

    try (ReactiveRegistryClient client = client(wm, retry).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      // Capped at 200 ms for the retry; the client-wide pause is capped the same way.
      assertThat(client.metrics().totalWait())
          .isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
    }
    wm.verify(2, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_when503WithRetryAfter_honoursIt() {
    stubSequence(
        wm,
        "503-retry-after",
        () -> get(urlEqualTo(TAGS_PATH)),
        aResponse().withStatus(503).withHeader("Retry-After", "1"),
        tagsOk("a"));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().totalWait()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(client.metrics().throttled()).isZero();
    }
  }

  @Test
  void tags_whenRetryAfterIsUnparseable_fallsBackToBackoff() {
    stubSequence(
        wm,
        "429-garbage",
        () -> get(urlEqualTo(TAGS_PATH)),
        tooManyRequests("soon-ish"),
        tagsOk("a"));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      // 10 ms backoff for the retry plus at most the same again for the client pause.
      assertThat(client.metrics().totalWait()).isLessThan(Duration.ofMillis(500));
      assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 429", 1L));
    }
  }

  @Test
  void tags_when429Persists_failsWithRateLimitedExceptionCarryingRetryAfter() {
    wm.stubFor(get(urlEqualTo(TAGS_PATH)).willReturn(tooManyRequests("0")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e -> {
                assertThat(e).isInstanceOf(RateLimitedException.class);
                RateLimitedException r = (RateLimitedException) e;
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.isRetryable()).isTrue();
                assertThat(r.hasErrorCode("TOOMANYREQUESTS")).isTrue();
                assertThat(r.retryAfter()).contains(Duration.ZERO);
              })
          .verify(BOUND);

      assertThat(client.metrics().throttled()).isEqualTo(3);
    }
    wm.verify(3, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }
}
