package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the resilience tests share: a client aimed at a WireMock registry with fast retries, the
 * registry's answers as stubs, and a bounded wait for asynchronous progress.
 */
final class RegistryStubs {
  static final String REPO = "team/app";
  static final String TAGS_PATH = "/v2/team/app/tags/list";
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String MANIFEST_PATH = "/v2/team/app/manifests/" + DIGEST;
  static final String OCI_MANIFEST = StubRegistry.OCI_MANIFEST;

  private RegistryStubs() {}

  /**
   * A stub registry whose clients have timeouts far below the test bound; each test sets the
   * retries.
   */
  static StubRegistry wireMock(Extension... extensions) {
    return StubRegistry.create(
        b -> b.connectTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(5)),
        extensions);
  }

  /**
   * Retries without jitter and with waits short enough that only the count of attempts matters.
   *
   * @param attempts attempts per request, the first included
   */
  static RetryOptions fastRetry(int attempts) {
    return RetryOptions.builder()
        .maxAttempts(attempts)
        .initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(40))
        .jitter(0)
        .build();
  }

  /** A client builder for the stub registry with these retries. */
  static ReactiveRegistryClient.Builder client(StubRegistry wm, RetryOptions retry) {
    return wm.builder(b -> b.retry(retry));
  }

  static String tagList(String repository, String... tags) {
    return "{\"name\":\""
        + repository
        + "\",\"tags\":["
        + List.of(tags).stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
        + "]}";
  }

  static ResponseDefinitionBuilder tagsOk(String... tags) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(tagList(REPO, tags));
  }

  static ResponseDefinitionBuilder manifestHeadOk(String digest) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", OCI_MANIFEST)
        .withHeader("Docker-Content-Digest", digest)
        .withHeader("Content-Length", "1234");
  }

  static ResponseDefinitionBuilder registryError(int status, String code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(StubRegistry.errorBody(code, message));
  }

  /**
   * Answers the request with each response in turn, then repeats the last one.
   *
   * @param request makes a fresh matcher for each step (a {@link MappingBuilder} is single-use)
   */
  static void stubSequence(
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

  /** Polls until the condition holds; fails the test instead of hanging. */
  static void awaitUntil(BooleanSupplier condition, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
