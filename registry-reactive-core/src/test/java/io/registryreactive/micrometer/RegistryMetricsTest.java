package io.registryreactive.micrometer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RetryOptions;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.ImageReference;
import io.registryreactive.testkit.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * The Micrometer binding against a stub registry: one timer sample per request, tagged by route
 * kind (never the repository), method, outcome and status class; retries by reason; 429s.
 */
class RegistryMetricsTest {
  private static final String REPO = "team/app";
  private static final String TAGS = "/v2/team/app/tags/list";
  private static final String MANIFEST_BODY =
      "{\"schemaVersion\":2,\"mediaType\":\""
          + StubRegistry.OCI_MANIFEST
          + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
          + "aa".repeat(32)
          + "\",\"size\":2},\"layers\":[]}";

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private ReactiveRegistryClient client(RetryOptions retry) {
    return registry.client(b -> b.retry(retry).listener(RegistryMetrics.of(meters)));
  }

  private long requests(String endpoint, String method, String outcome, String status) {
    Timer t =
        meters
            .find(RegistryMetrics.REQUESTS)
            .tags("endpoint", endpoint, "method", method, "outcome", outcome, "status", status)
            .timer();
    return t == null ? 0 : t.count();
  }

  /** A tag list of {@link #REPO}. */
  private static String tagsBody(String... tags) {
    return "{\"name\":\"" + REPO + "\",\"tags\":[" + String.join(",", quoted(tags)) + "]}";
  }

  private static List<String> quoted(String... items) {
    return Stream.of(items).map(t -> "\"" + t + "\"").toList();
  }

  /** The tag list gets each answer in turn, then the last one again. */
  private static void stubTagAnswers(ResponseDefinitionBuilder... answers) {
    stubSequence(registry, "tags", () -> get(urlPathEqualTo(TAGS)), answers);
  }

  private long totalRequests() {
    return meters.find(RegistryMetrics.REQUESTS).timers().stream().mapToLong(Timer::count).sum();
  }

  @Test
  void requests_perEndpoint_areTimedOnceWithMethodOutcomeAndStatusClass() {
    String body = MANIFEST_BODY;
    String digest = Digests.sha256(body.getBytes(StandardCharsets.UTF_8));
    registry.stubFor(
        get(urlPathEqualTo("/v2/_catalog"))
            .willReturn(okJson("{\"repositories\":[\"team/app\"]}")));
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(okJson(tagsBody("v1"))));
    registry.stubFor(
        head(urlPathEqualTo("/v2/team/app/blobs/" + digest))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Length", "2")));
    registry.stubFor(
        get(urlPathEqualTo("/v2/team/app/manifests/v1"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", StubRegistry.OCI_MANIFEST)
                    .withHeader("Docker-Content-Digest", digest)
                    .withBody(body)));
    registry.stubFor(
        delete(urlPathEqualTo("/v2/team/app/manifests/" + digest))
            .willReturn(aResponse().withStatus(202)));
    registry.stubFor(
        get(urlPathEqualTo("/v2/team/app/manifests/missing"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withBody(StubRegistry.errorBody("MANIFEST_UNKNOWN", "manifest unknown"))));
    ReactiveRegistryClient client = client(fastRetry(1));

    StepVerifier.create(client.catalog().collectList()).expectNext(List.of(REPO)).verifyComplete();
    StepVerifier.create(client.tags(REPO).collectList()).expectNext(List.of("v1")).verifyComplete();
    StepVerifier.create(client.blobExists(REPO, digest)).expectNext(true).verifyComplete();
    StepVerifier.create(client.manifest(ImageReference.of(REPO, "v1")))
        .expectNextCount(1)
        .verifyComplete();
    StepVerifier.create(client.deleteManifest(REPO, digest)).expectNextCount(1).verifyComplete();
    StepVerifier.create(client.manifest(ImageReference.of(REPO, "missing")))
        .expectError(NotFoundException.class)
        .verify(VERIFY_TIMEOUT);

    assertThat(requests("catalog", "GET", "success", "2xx")).isEqualTo(1);
    assertThat(requests("tags", "GET", "success", "2xx")).isEqualTo(1);
    assertThat(requests("blob", "HEAD", "success", "2xx")).isEqualTo(1);
    assertThat(requests("manifest", "GET", "success", "2xx")).isEqualTo(1);
    assertThat(requests("manifest", "DELETE", "success", "2xx")).isEqualTo(1);
    assertThat(requests("manifest", "GET", "client_error", "4xx")).isEqualTo(1);
    assertThat(totalRequests()).as(meters.getMetersAsString()).isEqualTo(6);
    // No tag names a repository: cardinality stays bounded by route kinds.
    assertThat(meters.getMeters())
        .flatMap(m -> m.getId().getTags())
        .allSatisfy(t -> assertThat(t.getValue()).doesNotContain("team"));
  }

  @Test
  void retries_on503Sequence_countedByReasonAndWaitsAsBackoff_oneRequestSample() {
    stubTagAnswers(
        aResponse().withStatus(503), aResponse().withStatus(503), okJson(tagsBody("v1")));

    StepVerifier.create(client(fastRetry(4)).tags(REPO).collectList())
        .expectNext(List.of("v1"))
        .verifyComplete();

    assertThat(meters.get(RegistryMetrics.RETRIES).tag("reason", "status 503").counter().count())
        .isEqualTo(2);
    assertThat(meters.find(RegistryMetrics.RETRIES).counters()).hasSize(1);
    assertThat(meters.get(RegistryMetrics.WAITS).tag("kind", "backoff").timer().count())
        .isEqualTo(2);
    assertThat(requests("tags", "GET", "success", "2xx")).isEqualTo(1);
    assertThat(totalRequests()).isEqualTo(1);
    assertThat(meters.get(RegistryMetrics.THROTTLED).counter().count()).isZero();
  }

  @Test
  void throttled_on429_countsThe429AndItsRetry() {
    stubTagAnswers(aResponse().withStatus(429), okJson(tagsBody()));

    StepVerifier.create(client(fastRetry(3)).tags(REPO).collectList())
        .expectNext(List.of())
        .verifyComplete();

    assertThat(meters.get(RegistryMetrics.THROTTLED).counter().count()).isEqualTo(1);
    assertThat(meters.get(RegistryMetrics.RETRIES).tag("reason", "status 429").counter().count())
        .isEqualTo(1);
    assertThat(requests("tags", "GET", "success", "2xx")).isEqualTo(1);
  }

  @Test
  void retriesExhausted_on500_endAsOneServerErrorSample() {
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(aResponse().withStatus(500)));

    StepVerifier.create(client(fastRetry(3)).tags(REPO)).expectError().verify(VERIFY_TIMEOUT);

    assertThat(requests("tags", "GET", "server_error", "5xx")).isEqualTo(1);
    assertThat(meters.get(RegistryMetrics.RETRIES).tag("reason", "status 500").counter().count())
        .isEqualTo(2);
  }

  @Test
  void connectionRefused_isAnIoErrorWithoutStatus() {
    ReactiveRegistryClient client =
        registry.closeAfterTest(
            ReactiveRegistryClient.builder()
                .baseUrl("http://127.0.0.1:1")
                .retry(fastRetry(1))
                .listener(RegistryMetrics.of(meters))
                .build());

    StepVerifier.create(client.checkAuth())
        .expectError(RegistryConnectionException.class)
        .verify(VERIFY_TIMEOUT);

    assertThat(requests("api_version", "GET", "io_error", "none")).isEqualTo(1);
    assertThat(totalRequests()).isEqualTo(1);
  }

  @Test
  void commonTags_areOnEveryMeter() {
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(okJson(tagsBody())));
    ReactiveRegistryClient client =
        registry.client(
            b ->
                b.retry(fastRetry(1))
                    .listener(
                        RegistryMetrics.of(
                            meters, io.micrometer.core.instrument.Tags.of("registry", "main"))));

    StepVerifier.create(client.tags(REPO).collectList()).expectNext(List.of()).verifyComplete();

    assertThat(meters.getMeters())
        .isNotEmpty()
        .allSatisfy(
            m ->
                assertThat(m.getId().getTag("registry")).as(m.getId().getName()).isEqualTo("main"));
    assertThat(
            meters.getMeters().stream()
                .map(Meter::getId)
                .map(Meter.Id::getName)
                .collect(Collectors.toSet()))
        .contains(
            RegistryMetrics.REQUESTS,
            RegistryMetrics.THROTTLED,
            RegistryMetrics.PRUNE_PLANNED,
            RegistryMetrics.PRUNE_DELETED,
            RegistryMetrics.PRUNE_FAILED,
            RegistryMetrics.PRUNE_RECLAIMABLE);
  }

  @Test
  void connectionMetrics_recordReactorNettyMetersWithTheRouteKindAsUri() {
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(okJson(tagsBody())));
    SimpleMeterRegistry global = new SimpleMeterRegistry();
    io.micrometer.core.instrument.Metrics.addRegistry(global);
    try {
      ReactiveRegistryClient client =
          registry.client(b -> b.retry(fastRetry(1)).connectionMetrics(true));

      StepVerifier.create(client.tags(REPO).collectList()).expectNext(List.of()).verifyComplete();

      List<Meter> netty =
          global.getMeters().stream()
              .filter(m -> m.getId().getName().startsWith("reactor.netty"))
              .collect(Collectors.toList());
      assertThat(netty).isNotEmpty();
      // Request-level meters carry the route kind; connection-level ones Reactor Netty's "http".
      assertThat(netty)
          .filteredOn(m -> m.getId().getTag("uri") != null)
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m.getId().getTag("uri")).isIn("tags", "http"))
          .anySatisfy(m -> assertThat(m.getId().getTag("uri")).isEqualTo("tags"));
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(global);
    }
  }
}
