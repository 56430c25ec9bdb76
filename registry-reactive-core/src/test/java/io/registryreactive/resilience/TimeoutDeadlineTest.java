package io.registryreactive.resilience;

import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.constantBackoff;
import static io.registryreactive.resilience.RegistryStubs.expectTags;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.unavailable;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registry that answers too slowly: per-attempt response timeout, and the deadline over all
 * attempts.
 */
class TimeoutDeadlineTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  @Test
  void tags_whenFirstResponseSlowerThanResponseTimeout_retriesAndSucceeds() {
    stubTags(wm, tagsOk("slow").withFixedDelay(3_000), tagsOk("fast"));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).responseTimeout(Duration.ofMillis(300)).build()) {
      expectTags(client, "fast");

      assertThat(client.metrics().retries()).isEqualTo(1);
      assertThat(client.metrics().retriesByReason().keySet())
          .singleElement()
          .satisfies(reason -> assertThat(reason).startsWith("connection: "));
    }
    verifyTagRequests(wm, 2);
  }

  @Test
  void tags_whenEveryResponseIsSlow_failsWithConnectionErrorAfterAllAttempts() {
    stubTags(wm, tagsOk("never").withFixedDelay(2_000));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).responseTimeout(Duration.ofMillis(200)).build()) {
      RegistryConnectionException e = tagsFailure(client, RegistryConnectionException.class);
      assertThat(e).hasMessageContaining("timed out").hasMessageContaining(TAGS_PATH);
      assertThat(((RegistryException) e).isRetryable()).isTrue();

      assertThat(client.metrics().attempts()).isEqualTo(3);
    }
  }

  @Test
  void tags_whenDeadlineShorterThanRetries_failsWithNonRetryableDeadlineError() {
    stubTags(wm, unavailable("busy"));
    // Ten attempts 200 ms apart need about 1.8 s; the deadline allows 500 ms.
    RetryOptions slowRetries = constantBackoff(10, Duration.ofMillis(200));

    try (ReactiveRegistryClient client =
        client(wm, slowRetries).requestDeadline(Duration.ofMillis(500)).build()) {
      RegistryException e = tagsFailure(client, RegistryException.class);
      assertThat(e)
          .isExactlyInstanceOf(RegistryException.class)
          .hasMessageContaining("deadline")
          .hasMessageContaining("list tags of 'team/app'");
      assertThat(e.isRetryable()).isFalse();

      assertThat(client.metrics().attempts()).isBetween(1L, 5L);
    }
  }

  @Test
  void tags_whenSingleResponseOutlastsDeadline_failsWithDeadlineNotResponseTimeout() {
    stubTags(wm, tagsOk("late").withFixedDelay(3_000));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3))
            .responseTimeout(Duration.ofSeconds(10))
            .requestDeadline(Duration.ofMillis(300))
            .build()) {
      assertThat(tagsFailure(client, RegistryException.class))
          .isExactlyInstanceOf(RegistryException.class)
          .hasMessageContaining("deadline of PT0.3S");

      assertThat(client.metrics().attempts()).isEqualTo(1);
    }
  }
}
