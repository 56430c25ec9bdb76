package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastRetry;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubSequence;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * A registry that answers too slowly: per-attempt response timeout, and the deadline over all
 * attempts.
 */
class TimeoutDeadlineTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static final Duration BOUND = Duration.ofSeconds(20);

  @Test
  void tags_whenFirstResponseSlowerThanResponseTimeout_retriesAndSucceeds() {
    stubSequence(
        wm,
        "slow-once",
        () -> get(urlEqualTo(TAGS_PATH)),
        tagsOk("slow").withFixedDelay(3_000),
        tagsOk("fast"));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).responseTimeout(Duration.ofMillis(300)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("fast"))
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().retries()).isEqualTo(1);
      assertThat(client.metrics().retriesByReason().keySet())
          .singleElement()
          .satisfies(reason -> assertThat(reason).startsWith("connection: "));
    }
    wm.verify(2, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenEveryResponseIsSlow_failsWithConnectionErrorAfterAllAttempts() {
    wm.stubFor(get(urlEqualTo(TAGS_PATH)).willReturn(tagsOk("never").withFixedDelay(2_000)));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).responseTimeout(Duration.ofMillis(200)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(RegistryConnectionException.class)
                    .hasMessageContaining("timed out")
                    .hasMessageContaining(TAGS_PATH);
                assertThat(((RegistryException) e).isRetryable()).isTrue();
              })
          .verify(BOUND);

      assertThat(client.metrics().attempts()).isEqualTo(3);
    }
  }

  @Test
  void tags_whenDeadlineShorterThanRetries_failsWithNonRetryableDeadlineError() {
    wm.stubFor(get(urlEqualTo(TAGS_PATH)).willReturn(registryError(503, "UNAVAILABLE", "busy")));
    // Ten attempts 200 ms apart need about 1.8 s; the deadline allows 500 ms.
    RetryOptions slowRetries =
        RetryOptions.builder()
            .maxAttempts(10)
            .initialBackoff(Duration.ofMillis(200))
            .maxBackoff(Duration.ofMillis(200))
            .multiplier(1)
            .jitter(0)
            .build();

    try (ReactiveRegistryClient client =
        client(wm, slowRetries).requestDeadline(Duration.ofMillis(500)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isExactlyInstanceOf(RegistryException.class)
                    .hasMessageContaining("deadline")
                    .hasMessageContaining("list tags of 'team/app'");
                assertThat(((RegistryException) e).isRetryable()).isFalse();
              })
          .verify(BOUND);

      assertThat(client.metrics().attempts()).isBetween(1L, 5L);
    }
  }

  @Test
  void tags_whenSingleResponseOutlastsDeadline_failsWithDeadlineNotResponseTimeout() {
    wm.stubFor(get(urlEqualTo(TAGS_PATH)).willReturn(tagsOk("late").withFixedDelay(3_000)));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3))
            .responseTimeout(Duration.ofSeconds(10))
            .requestDeadline(Duration.ofMillis(300))
            .build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isExactlyInstanceOf(RegistryException.class)
                      .hasMessageContaining("deadline of PT0.3S"))
          .verify(BOUND);

      assertThat(client.metrics().attempts()).isEqualTo(1);
    }
  }
}
