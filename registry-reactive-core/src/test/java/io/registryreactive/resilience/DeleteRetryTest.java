package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.MANIFEST_PATH;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastRetry;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.DeleteResult.Outcome;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Deletes are retried too, which makes a 404 ambiguous: on the first attempt it means someone else
 * deleted the manifest; on a retry it most likely means our own earlier attempt did, and only its
 * answer was lost.
 */
class DeleteRetryTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static final Duration BOUND = Duration.ofSeconds(20);

  /**
   * Deletes the manifest with a client of three attempts and expects this outcome.
   *
   * @return the client, for its metrics; closed after the test
   */
  private static ReactiveRegistryClient deleteExpecting(Outcome outcome) {
    ReactiveRegistryClient client = wm.client(b -> b.retry(fastRetry(3)));
    StepVerifier.create(client.deleteManifest(REPO, DIGEST))
        .expectNext(new DeleteResult(REPO, DIGEST, outcome))
        .expectComplete()
        .verify(BOUND);
    return client;
  }

  private static ResponseDefinitionBuilder accepted() {
    return aResponse().withStatus(202);
  }

  private static ResponseDefinitionBuilder manifestUnknown() {
    return registryError(404, "MANIFEST_UNKNOWN", "manifest unknown");
  }

  private static ResponseDefinitionBuilder readOnly() {
    return aResponse()
        .withStatus(405)
        .withHeader("Content-Type", "text/plain; charset=utf-8")
        .withHeader("Allow", "GET, HEAD")
        .withBody("method not allowed\n");
  }

  @Test
  void deleteManifest_whenFirstAnswerLostAfterDeleting_reportsDeletedAndCountsConfirmation() {
    // The scenario moves to "deleted" when the first DELETE matches; the registry has applied it
    // by the time the connection is reset, so the retry finds nothing.
    stubSequence(
        wm,
        "lost-answer",
        () -> delete(urlEqualTo(MANIFEST_PATH)),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isEqualTo(1);
    assertThat(client.metrics().retries()).isEqualTo(1);
    wm.verify(2, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_when404OnFirstAttempt_reportsAlreadyAbsent() {
    wm.stubFor(delete(urlEqualTo(MANIFEST_PATH)).willReturn(manifestUnknown()));

    ReactiveRegistryClient client = deleteExpecting(Outcome.ALREADY_ABSENT);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    assertThat(client.metrics().retries()).isZero();
    wm.verify(1, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_when429Then404_reportsAlreadyAbsentSinceNothingWasApplied() {
    // A 429 (or a read-only 405) means the registry refused the first attempt: a 404 on the retry
    // is someone else's delete, not ours.
    stubSequence(
        wm,
        "throttled-then-gone",
        () -> delete(urlEqualTo(MANIFEST_PATH)),
        registryError(429, "TOOMANYREQUESTS", "slow down"),
        manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.ALREADY_ABSENT);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    wm.verify(2, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_when503Then404_reportsDeletedSinceTheFirstAttemptMayHaveBeenApplied() {
    stubSequence(
        wm,
        "proxy-error-then-gone",
        () -> delete(urlEqualTo(MANIFEST_PATH)),
        registryError(503, "UNAVAILABLE", "proxy timeout"),
        manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isEqualTo(1);
  }

  @Test
  void deleteManifest_when503Then202_reportsDeletedWithoutConfirmationCount() {
    stubSequence(
        wm,
        "busy-then-ok",
        () -> delete(urlEqualTo(MANIFEST_PATH)),
        registryError(503, "UNAVAILABLE", "busy"),
        accepted());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 503", 1L));
  }

  @Test
  void deleteManifest_whenReadOnly405ThenAccepted_retriesAndReportsDeleted() {
    stubSequence(wm, "read-only", () -> delete(urlEqualTo(MANIFEST_PATH)), readOnly(), accepted());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 405", 1L));
    wm.verify(2, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_whenReadOnlyOutlastsRetries_failsRetryableSayingReadOnly() {
    wm.stubFor(delete(urlEqualTo(MANIFEST_PATH)).willReturn(readOnly()));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.deleteManifest(REPO, DIGEST))
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isExactlyInstanceOf(RegistryResponseException.class)
                    .hasMessageContaining("read-only");
                assertThat(((RegistryResponseException) e).statusCode()).isEqualTo(405);
                assertThat(((RegistryResponseException) e).isRetryable()).isTrue();
              })
          .verify(BOUND);
    }
    wm.verify(3, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_when405Unsupported_failsWithDeletionDisabledAfterOneAttempt() {
    wm.stubFor(
        delete(urlEqualTo(MANIFEST_PATH))
            .willReturn(
                registryError(405, "UNSUPPORTED", "The operation is unsupported.")
                    .withHeader("Allow", "GET, HEAD")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.deleteManifest(REPO, DIGEST))
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(DeletionDisabledException.class)
                    .hasMessageContaining("storage")
                    .hasMessageContaining(MANIFEST_PATH);
                assertThat(((DeletionDisabledException) e).isRetryable()).isFalse();
              })
          .verify(BOUND);

      assertThat(client.metrics().retries()).isZero();
    }
    wm.verify(1, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }
}
