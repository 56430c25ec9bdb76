package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.expectTags;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
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

/**
 * {@code Retry-After} from a 429 (or 503): both forms, the cap, and what happens without one. Waits
 * are checked through {@code metrics().totalWait()}, which records what the client decided to wait,
 * rather than through the wall clock.
 */
class RetryAfterTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static ResponseDefinitionBuilder tooManyRequests(String retryAfter) {
    return registryError(429, "TOOMANYREQUESTS", "slow down").withHeader("Retry-After", retryAfter);
  }

  @Test
  void tags_when429WithRetryAfterSeconds_waitsAtLeastThatLongThenSucceeds() {
    stubTags(wm, tooManyRequests("1"), tagsOk("a"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "a");

    ClientMetrics m = client.metrics();
    assertThat(m.retriesByReason()).isEqualTo(Map.of("status 429", 1L));
    assertThat(m.throttled()).isEqualTo(1);
    // The backoff alone would be 10 ms; Retry-After asked for 1 s.
    assertThat(m.totalWait()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
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
    stubTags(wm, tooManyRequests(oneSecondLater), tagsOk("a"));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
      expectTags(client, "a");

      assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 429", 1L));
      assertThat(client.metrics().totalWait())
          .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void tags_whenRetryAfterExceedsMaxRetryAfter_waitIsCapped() {
    stubTags(wm, tooManyRequests("3600"), tagsOk("a"));
    RetryOptions retry = fastRetry(3).toBuilder().maxRetryAfter(Duration.ofMillis(200)).build();

    try (ReactiveRegistryClient client = client(wm, retry).build()) {
      expectTags(client, "a");

      // Capped at 200 ms for the retry; the client-wide pause is capped the same way.
      assertThat(client.metrics().totalWait())
          .isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
    }
    verifyTagRequests(wm, 2);
  }

  @Test
  void tags_when503WithRetryAfter_honoursIt() {
    stubTags(wm, aResponse().withStatus(503).withHeader("Retry-After", "1"), tagsOk("a"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "a");

    assertThat(client.metrics().totalWait()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(client.metrics().throttled()).isZero();
  }

  @Test
  void tags_whenRetryAfterIsUnparseable_fallsBackToBackoff() {
    stubTags(wm, tooManyRequests("soon-ish"), tagsOk("a"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "a");

    // 10 ms backoff for the retry plus at most the same again for the client pause.
    assertThat(client.metrics().totalWait()).isLessThan(Duration.ofMillis(500));
    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 429", 1L));
  }

  @Test
  void tags_when429Persists_failsWithRateLimitedExceptionCarryingRetryAfter() {
    stubTags(wm, tooManyRequests("0"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    RateLimitedException r = tagsFailure(client, RateLimitedException.class);
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.hasErrorCode("TOOMANYREQUESTS")).isTrue();
    assertThat(r.retryAfter()).contains(Duration.ZERO);

    assertThat(client.metrics().throttled()).isEqualTo(3);
    verifyTagRequests(wm, 3);
  }
}
