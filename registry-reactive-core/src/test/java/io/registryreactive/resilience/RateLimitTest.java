package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.manifestHeadOk;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.RateLimitOptions;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The fixed requests-per-second cap, checked against the arrival times the registry logged. Margins
 * are wide: the assertions catch a missing or grossly wrong limiter, not scheduling jitter.
 */
class RateLimitTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  /** The most arrivals within any window of the given length. */
  private static int busiestWindow(List<LoggedRequest> requests, long windowMillis) {
    long[] times = requests.stream().mapToLong(r -> r.getLoggedDate().getTime()).sorted().toArray();
    int most = 0;
    int start = 0;
    for (int end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= windowMillis) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }

  private static long span(List<LoggedRequest> requests) {
    long first = requests.stream().mapToLong(r -> r.getLoggedDate().getTime()).min().orElseThrow();
    long last = requests.stream().mapToLong(r -> r.getLoggedDate().getTime()).max().orElseThrow();
    return last - first;
  }

  @Test
  void metadata_whenFortyAtOnceAtTwentyPerSecond_registrySeesAboutTwentyPerSecond() {
    wm.stubFor(
        head(urlPathMatching("/v2/team/app/manifests/.*")).willReturn(manifestHeadOk(DIGEST)));

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(1)).rateLimit(RateLimitOptions.perSecond(20)).build()) {
      StepVerifier.create(
              Flux.range(0, 40).flatMap(i -> client.metadata(REPO + ":t" + i), 40).count())
          .expectNext(40L)
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().rateLimitWaits()).isGreaterThan(0);
      // 40 permits at one per 50 ms: the last waits about 1.95 s.
      assertThat(client.metrics().totalWait()).isGreaterThan(Duration.ofSeconds(10));
    }

    List<LoggedRequest> requests =
        wm.findAll(headRequestedFor(urlPathMatching("/v2/team/app/manifests/.*")));
    assertThat(requests).hasSize(40);
    assertThat(span(requests)).isGreaterThanOrEqualTo(1_500);
    assertThat(busiestWindow(requests, 1_000)).isLessThanOrEqualTo(25);
  }

  @Test
  void tags_whenRateLimited_retriesCountAgainstTheCap() {
    // Ten repositories, each answering 503 once: twenty attempts in all. At ten per second they
    // need about 1.9 s; if retries bypassed the limiter, the ten first attempts would take 0.9 s
    // and the retries would follow at once.
    for (int i = 0; i < 10; i++) {
      stubSequence(
          wm,
          "limited-retry-" + i,
          urlFor(i),
          aResponse().withStatus(503),
          aResponse()
              .withStatus(200)
              .withHeader("Content-Type", "application/json")
              .withBody(RegistryStubs.tagList("team/app" + i, "a")));
    }

    try (ReactiveRegistryClient client =
        client(wm, fastRetry(3)).rateLimit(RateLimitOptions.perSecond(10)).build()) {
      StepVerifier.create(
              Flux.range(0, 10).flatMap(i -> client.tags("team/app" + i).collectList(), 10).count())
          .expectNext(10L)
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().attempts()).isEqualTo(20);
      assertThat(client.metrics().retries()).isEqualTo(10);
    }
    List<LoggedRequest> requests =
        wm.findAll(getRequestedFor(urlPathMatching("/v2/team/app[0-9]/tags/list")));
    assertThat(requests).hasSize(20);
    assertThat(span(requests)).isGreaterThanOrEqualTo(1_400);
  }

  private static Supplier<MappingBuilder> urlFor(int i) {
    return () -> get(urlEqualTo("/v2/team/app" + i + "/tags/list"));
  }

  @Test
  void metadata_withoutRateLimit_sendsWithoutRateLimitWaits() {
    wm.stubFor(
        head(urlPathMatching("/v2/team/app/manifests/.*")).willReturn(manifestHeadOk(DIGEST)));

    ReactiveRegistryClient client = fastClient(wm, 1);
    StepVerifier.create(
            Flux.range(0, 10).flatMap(i -> client.metadata(REPO + ":t" + i), 10).count())
        .expectNext(10L)
        .expectComplete()
        .verify(BOUND);

    assertThat(client.metrics().rateLimitWaits()).isZero();
    assertThat(client.metrics().totalWait()).isEqualTo(Duration.ZERO);
  }
}
