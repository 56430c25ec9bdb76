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
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.json;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagList;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.RateLimitOptions;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * A 429 is about the client, not the one request: by default every request of the client waits out
 * the {@code Retry-After}, so a fan-out does not keep hammering a registry that asked it to stop.
 */
class ThrottlePauseTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static final String OTHER_REPO = "team/other";
  private static final String OTHER_TAGS_PATH = "/v2/team/other/tags/list";

  private void stubThrottledThenOk() {
    stubTags(wm, aResponse().withStatus(429).withHeader("Retry-After", "1"), tagsOk("a"));
    wm.stubFor(get(urlEqualTo(OTHER_TAGS_PATH)).willReturn(json(tagList(OTHER_REPO, "b"))));
  }

  /**
   * Starts request A, waits until its 429 was handled (its retry is scheduled), then runs request
   * B.
   */
  private static long runThrottledThenOther(ReactiveRegistryClient client) throws Exception {
    CompletableFuture<List<String>> a = client.tags(REPO).collectList().toFuture();
    awaitUntil(
        () -> client.metrics().retries() >= 1,
        Duration.ofSeconds(10),
        "request A's 429 to be handled");

    StepVerifier.create(client.tags(OTHER_REPO).collectList())
        .expectNext(List.of("b"))
        .expectComplete()
        .verify(BOUND);
    assertThat(a.get(20, TimeUnit.SECONDS)).containsExactly("a");

    List<LoggedRequest> first = wm.findAll(getRequestedFor(urlEqualTo(TAGS_PATH)));
    List<LoggedRequest> other = wm.findAll(getRequestedFor(urlEqualTo(OTHER_TAGS_PATH)));
    assertThat(first).hasSize(2);
    assertThat(other).hasSize(1);
    // How long after A's 429 the registry saw B.
    return other.get(0).getLoggedDate().getTime() - first.get(0).getLoggedDate().getTime();
  }

  @Test
  void tags_when429OnAnotherRequest_waitsForClientWidePauseBeforeSending() throws Exception {
    stubThrottledThenOk();

    ReactiveRegistryClient client = fastClient(wm, 3);
    long bAfterA = runThrottledThenOther(client);

    assertThat(bAfterA).isGreaterThanOrEqualTo(800);
    assertThat(client.metrics().clientPauses()).isGreaterThanOrEqualTo(1);
    assertThat(client.metrics().throttled()).isEqualTo(1);
  }

  @Test
  void tags_whenPauseAllOnThrottleDisabled_otherRequestsGoAtOnce() throws Exception {
    stubThrottledThenOk();

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3))
            .rateLimit(RateLimitOptions.defaults().pauseAllOnThrottle(false))
            .build()) {
      long bAfterA = runThrottledThenOther(client);

      // B is not held back: it reaches the registry well before A's 1 s Retry-After runs out.
      assertThat(bAfterA).isLessThan(800);
      assertThat(client.metrics().clientPauses()).isZero();
      // A itself still honours the Retry-After.
      assertThat(client.metrics().totalWait()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }
}
