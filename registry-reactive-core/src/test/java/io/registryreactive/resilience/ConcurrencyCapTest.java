package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.manifestHeadOk;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.StubRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@code maxConcurrentRequests} as the registry sees it: the stub counts requests inside its
 * handler, so what it measures is concurrency on the server side, not the client's intentions.
 */
class ConcurrencyCapTest {

  private static final InFlightProbe PROBE = new InFlightProbe();

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock(PROBE);

  private static final int REQUESTS = 32;

  @BeforeEach
  void stubSlowHead() {
    PROBE.reset();
    wm.stubFor(
        head(urlPathMatching("/v2/team/app/manifests/.*"))
            .willReturn(manifestHeadOk(DIGEST).withTransformers(InFlightProbe.NAME)));
  }

  private static void resolveAllAtOnce(ReactiveRegistryClient client) {
    StepVerifier.create(
            Flux.range(0, REQUESTS)
                .flatMap(i -> client.metadata(REPO + ":t" + i), REQUESTS)
                .map(ImageMetadata::digest)
                .collectList())
        .assertNext(digests -> assertThat(digests).hasSize(REQUESTS).containsOnly(DIGEST))
        .expectComplete()
        .verify(BOUND);
  }

  @Test
  void metadata_whenFanOutExceedsCap_registryNeverSeesMoreThanCapInFlight() {
    try (ReactiveRegistryClient client =
        client(wm, fastRetry(1)).maxConcurrentRequests(4).build()) {
      resolveAllAtOnce(client);
    }

    assertThat(PROBE.maxInFlight()).isLessThanOrEqualTo(4);
    // The cap is used, not just respected: requests did overlap.
    assertThat(PROBE.maxInFlight()).isGreaterThan(1);
    wm.verify(REQUESTS, headRequestedFor(urlPathMatching("/v2/team/app/manifests/.*")));
  }

  @Test
  void metadata_whenCapIsOne_requestsAreStrictlySequential() {
    try (ReactiveRegistryClient client =
        client(wm, fastRetry(1)).maxConcurrentRequests(1).build()) {
      StepVerifier.create(
              Flux.range(0, 6).flatMap(i -> client.metadata(REPO + ":t" + i), 6).collectList())
          .assertNext(all -> assertThat(all).hasSize(6))
          .expectComplete()
          .verify(BOUND);
    }

    assertThat(PROBE.maxInFlight()).isEqualTo(1);
  }

  /** Shows the probe can tell: with a high cap the same fan-out overlaps far more than 4. */
  @Test
  void metadata_whenCapIsHigh_registrySeesMoreThanFourInFlight() {
    try (ReactiveRegistryClient client =
        client(wm, fastRetry(1)).maxConcurrentRequests(REQUESTS).build()) {
      resolveAllAtOnce(client);
    }

    assertThat(PROBE.maxInFlight()).isGreaterThan(4);
  }

  /**
   * Holds each request in the server for 200 ms and records how many were held at once. Runs on the
   * server's request threads, where blocking is fine.
   */
  static final class InFlightProbe implements ResponseDefinitionTransformerV2 {
    static final String NAME = "in-flight-probe";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      return serveEvent.getResponseDefinition();
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public String getName() {
      return NAME;
    }

    int maxInFlight() {
      return max.get();
    }

    void reset() {
      inFlight.set(0);
      max.set(0);
    }
  }
}
