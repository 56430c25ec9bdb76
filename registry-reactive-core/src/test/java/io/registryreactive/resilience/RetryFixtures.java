package io.registryreactive.resilience;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The retry fixtures that tests outside this package share too (the Micrometer binding's): fast
 * retries, and a registry that answers a request differently on each attempt.
 */
public final class RetryFixtures {

  private RetryFixtures() {}

  /**
   * Retries without jitter and with waits short enough that only the count of attempts matters.
   *
   * @param attempts attempts per request, the first included
   * @return the options
   */
  public static RetryOptions fastRetry(int attempts) {
    return RetryOptions.builder()
        .maxAttempts(attempts)
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(40))
        .jitter(0)
        .build();
  }

  /**
   * Answers the request with each response in turn, then repeats the last one.
   *
   * @param wm the stub registry
   * @param scenario the WireMock scenario the steps belong to
   * @param request makes a fresh matcher for each step (a {@link MappingBuilder} is single-use)
   * @param responses the answers, in order
   */
  public static void stubSequence(
      StubRegistry wm,
      String scenario,
      Supplier<MappingBuilder> request,
      ResponseDefinitionBuilder... responses) {
    for (int i = 0; i < responses.length; i++) {
      ScenarioMappingBuilder step =
          request
              .get()
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "step-" + i);
      if (i < responses.length - 1) {
        step = step.willSetStateTo("step-" + (i + 1));
      }
      wm.stubFor(step.willReturn(responses[i]));
    }
  }
}
