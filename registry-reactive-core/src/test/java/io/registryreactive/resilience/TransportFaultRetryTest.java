package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.expectTags;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.manifestHeadOk;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.ClientMetrics;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/**
 * Broken connections: each WireMock fault on the first attempts, then a good answer. A retry on a
 * fresh connection must recover; without retries the failure must arrive as one of the SDK's own
 * exception types, naming the request, never as a raw Netty exception.
 */
class TransportFaultRetryTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  @ParameterizedTest
  @EnumSource(Fault.class)
  void tags_whenFirstAttemptHitsFault_retriesAndSucceeds(Fault fault) {
    stubTags(wm, aResponse().withFault(fault), tagsOk("v1", "v2"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "v1", "v2");

    ClientMetrics m = client.metrics();
    assertThat(m.attempts()).isEqualTo(2);
    assertThat(m.retries()).isEqualTo(1);
    assertThat(m.retriesByReason()).hasSize(1);
    assertThat(m.retriesByReason().keySet()).allMatch(reason -> reason.startsWith("connection: "));
    assertThat(m.retriesByReason().values()).containsExactly(1L);
    verifyTagRequests(wm, 2);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void tags_whenTwoAttemptsHitFault_succeedsOnThirdAndCountsBoth(Fault fault) {
    stubTags(wm, aResponse().withFault(fault), aResponse().withFault(fault), tagsOk("latest"));

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "latest");

    assertThat(client.metrics().retries()).isEqualTo(2);
    assertThat(
            client.metrics().retriesByReason().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(2);
    verifyTagRequests(wm, 3);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void tags_whenFaultAndRetriesDisabled_failsWithTypedErrorNamingRequest(Fault fault) {
    stubTags(wm, aResponse().withFault(fault));

    try (ReactiveRegistryClient client = client(wm, RetryOptions.disabled()).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e -> {
                // A connection failure is the SDK's type, not Netty's; RegistryException is the
                // only root.
                assertThat(e).isInstanceOf(RegistryConnectionException.class);
                assertThat(((RegistryException) e).isRetryable()).isTrue();
                assertThat(e.getMessage()).contains("list tags of 'team/app'").contains(TAGS_PATH);
              })
          .verify(BOUND);

      assertThat(client.metrics().attempts()).isEqualTo(1);
      assertThat(client.metrics().retries()).isZero();
    }
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenEveryAttemptIsReset_failsWithConnectionErrorAfterMaxAttempts() {
    stubTags(wm, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

    ReactiveRegistryClient client = fastClient(wm, 3);
    assertThat(tagsFailure(client, RegistryConnectionException.class))
        .hasMessageContaining(TAGS_PATH);

    assertThat(client.metrics().attempts()).isEqualTo(3);
    assertThat(client.metrics().retries()).isEqualTo(2);
    verifyTagRequests(wm, 3);
  }

  @Test
  void metadata_whenHeadIsResetOnce_retriesAndResolvesDigest() {
    String path = "/v2/team/app/manifests/v1";
    stubSequence(
        wm,
        "head-reset",
        () -> head(urlEqualTo(path)),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        manifestHeadOk(DIGEST));

    ReactiveRegistryClient client = fastClient(wm, 3);
    StepVerifier.create(client.metadata(REPO + ":v1"))
        .assertNext(m -> assertThat(m.digest()).isEqualTo(DIGEST))
        .expectComplete()
        .verify(BOUND);

    assertThat(client.metrics().retries()).isEqualTo(1);
    wm.verify(2, headRequestedFor(urlEqualTo(path)));
  }

  @Test
  void tags_whenConnectionRefused_retriesThenFailsWithConnectionError() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl("http://127.0.0.1:" + closedPort)
            .retry(fastRetry(2))
            .connectTimeout(Duration.ofSeconds(2))
            .build()) {
      assertThat(tagsFailure(client, RegistryConnectionException.class))
          .hasMessageContaining("list tags of 'team/app'");

      assertThat(client.metrics().attempts()).isEqualTo(2);
      assertThat(client.metrics().retriesByReason().keySet())
          .singleElement()
          .satisfies(reason -> assertThat(reason).startsWith("connection: "));
    }
  }
}
