package io.registryreactive.resilience;

import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.unavailable;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * A time budget bounds retries by time, not attempts: what batch runs use ({@link
 * RetryOptions#batch()}).
 */
class RetryBudgetTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static RetryOptions.Builder fast() {
    return RetryOptions.builder()
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .jitter(0);
  }

  @Test
  void tags_whenTwelveTransientFailuresWithinTheBudget_retriesPastMaxAttemptsAndSucceeds() {
    List<ResponseDefinitionBuilder> answers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      answers.add(unavailable("busy"));
    }
    answers.add(tagsOk("a"));
    stubTags(wm, answers.toArray(new ResponseDefinitionBuilder[0]));

    try (ReactiveRegistryClient client =
        client(wm, fast().maxAttempts(3).retryFor(Duration.ofMinutes(2)).build()).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);
      assertThat(client.metrics().attempts()).isEqualTo(13);
    }
    verifyTagRequests(wm, 13);
  }

  @Test
  void tags_whenTheRegistryFailsPastTheBudget_failsWithTheLastAnswer() {
    stubTags(wm, unavailable("busy"));

    // maxAttempts(1): any retry at all comes from the time budget.
    try (ReactiveRegistryClient client =
        client(
                wm,
                fast()
                    .maxAttempts(1)
                    .initialBackoff(Duration.ofMillis(50))
                    .maxBackoff(Duration.ofMillis(50))
                    .retryFor(Duration.ofSeconds(3))
                    .build())
            .build()) {
      assertThat(tagsFailure(client, RegistryResponseException.class)).hasMessageContaining("503");
      // Retried although maxAttempts is 1, and stopped by time: far fewer than an unbounded loop.
      assertThat(client.metrics().attempts()).isGreaterThan(1).isLessThan(1_000);
    }
  }

  @Test
  void batch_retriesForTwoMinutes() {
    assertThat(RetryOptions.batch().retryBudget()).contains(RetryOptions.DEFAULT_BATCH_BUDGET);
    assertThat(RetryOptions.DEFAULT_BATCH_BUDGET).isEqualTo(Duration.ofMinutes(2));
    assertThat(RetryOptions.defaults().retryBudget()).isEmpty();
  }
}
