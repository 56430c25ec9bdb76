package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.awaitUntil;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.constantBackoff;
import static io.registryreactive.resilience.RegistryStubs.expectTags;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.unavailable;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Which HTTP statuses are retried, how many times, and what surfaces when the retries run out. */
class StatusRetryTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  @AfterEach
  void resetVirtualTime() {
    VirtualTimeScheduler.reset();
  }

  @Test
  void tags_when503Then503Then200_succeedsOnThirdAttempt() {
    stubTags(wm, unavailable("busy"), unavailable("busy"), tagsOk("a", "b"));

    ReactiveRegistryClient client = fastClient(wm, 5);
    expectTags(client, "a", "b");

    assertThat(client.metrics().attempts()).isEqualTo(3);
    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 503", 2L));
    verifyTagRequests(wm, 3);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 500, 502, 504})
  void tags_whenTransientStatusOnce_retriesAndSucceeds(int status) {
    stubSequence(
        wm,
        "transient-" + status,
        () -> get(urlEqualTo(TAGS_PATH)),
        aResponse().withStatus(status).withBody("try again"),
        tagsOk("a"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "a");

    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status " + status, 1L));
    verifyTagRequests(wm, 2);
  }

  @ParameterizedTest
  @ValueSource(ints = {501, 505})
  void tags_when501Or505_failsAfterOneAttempt(int status) {
    stubTags(wm, aResponse().withStatus(status).withBody("no"));

    ReactiveRegistryClient client = fastClient(wm, 5);
    RegistryResponseException r = tagsFailure(client, RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.isRetryable()).isFalse();

    assertThat(client.metrics().retries()).isZero();
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_when404NameUnknown_failsWithNotFoundAfterOneAttempt() {
    stubTags(wm, registryError(404, "NAME_UNKNOWN", "repository name not known"));

    ReactiveRegistryClient client = fastClient(wm, 5);
    NotFoundException e = tagsFailure(client, NotFoundException.class);
    assertThat(e.hasErrorCode("NAME_UNKNOWN")).isTrue();
    assertThat(e.isRetryable()).isFalse();

    assertThat(client.metrics().attempts()).isEqualTo(1);
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenEveryAttemptIs503_failsWithLastResponseAsRetryableError() {
    stubTags(wm, unavailable("first"), unavailable("second"), unavailable("last"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    RegistryResponseException r = tagsFailure(client, RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.url()).endsWith(TAGS_PATH);
    // The error is built from the response of the last attempt, not the first.
    assertThat(r.getMessage()).contains("last").doesNotContain("first");

    assertThat(client.metrics().attempts()).isEqualTo(3);
    assertThat(client.metrics().retries()).isEqualTo(2);
    verifyTagRequests(wm, 3);
  }

  @Test
  void tags_whenRetriesDisabled_503FailsAfterOneAttempt() {
    stubTags(wm, unavailable("busy"));

    try (ReactiveRegistryClient client = client(wm, RetryOptions.disabled()).build()) {
      RegistryResponseException r = tagsFailure(client, RegistryResponseException.class);
      assertThat(r.statusCode()).isEqualTo(503);
    }
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenBackoffIsExponential_waitsGrowByMultiplier() {
    stubTags(
        wm,
        aResponse().withStatus(503),
        aResponse().withStatus(503),
        aResponse().withStatus(503),
        tagsOk("a"));
    RetryOptions retry =
        RetryOptions.builder()
            .maxAttempts(4)
            .initialBackoff(Duration.ofMillis(20))
            .multiplier(3)
            .maxBackoff(Duration.ofMillis(100))
            .jitter(0)
            .build();

    try (ReactiveRegistryClient client = client(wm, retry).build()) {
      expectTags(client, "a");

      // 20 ms, 60 ms, then 180 ms capped at 100 ms.
      assertThat(client.metrics().totalWait()).isEqualTo(Duration.ofMillis(180));
    }
  }

  /**
   * The backoff runs on Reactor's parallel scheduler, so virtual time can stand in for a 30 s wait
   * while the HTTP exchanges stay real: the test lets the first 503 arrive (real I/O), checks the
   * retry is parked on the virtual clock, and only then moves the clock.
   */
  @Test
  void tags_whenBackoffIsLong_retryWaitsOnVirtualTimeUntilAdvanced() {
    stubTags(wm, unavailable("busy"), tagsOk("late"));
    RetryOptions retry = constantBackoff(2, Duration.ofSeconds(30));
    AtomicReference<ReactiveRegistryClient> holder = new AtomicReference<>();

    try {
      StepVerifier.withVirtualTime(
              () -> {
                ReactiveRegistryClient client = client(wm, retry).build();
                holder.set(client);
                return client.tags(REPO).collectList();
              })
          .expectSubscription()
          .then(
              () ->
                  awaitUntil(
                      () -> VirtualTimeScheduler.get().getScheduledTaskCount() > 0,
                      Duration.ofSeconds(10),
                      "the retry wait to be scheduled on virtual time"))
          .then(
              () -> {
                assertThat(holder.get().metrics().retries()).isEqualTo(1);
                assertThat(holder.get().metrics().totalWait()).isEqualTo(Duration.ofSeconds(30));
              })
          .thenAwait(Duration.ofSeconds(29))
          .then(() -> assertThat(wm.findAll(getRequestedFor(urlEqualTo(TAGS_PATH)))).hasSize(1))
          .thenAwait(Duration.ofSeconds(1))
          .expectNext(List.of("late"))
          .expectComplete()
          .verify(BOUND);
    } finally {
      if (holder.get() != null) {
        holder.get().close();
      }
    }
    verifyTagRequests(wm, 2);
  }
}
