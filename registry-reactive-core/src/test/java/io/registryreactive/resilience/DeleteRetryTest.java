package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.MANIFEST_PATH;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.fastRetry;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubSequence;
import static io.registryreactive.testkit.Failures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.DeleteResult.Outcome;
import io.registryreactive.testkit.StubRegistry;
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

    ReactiveRegistryClient client = fastClient(wm, 3);
    RegistryResponseException e =
        failure(client.deleteManifest(REPO, DIGEST), RegistryResponseException.class, BOUND);
    assertThat(e)
        .isExactlyInstanceOf(RegistryResponseException.class)
        .hasMessageContaining("read-only");
    assertThat(e.statusCode()).isEqualTo(405);
    assertThat(e.isRetryable()).isTrue();
    wm.verify(3, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  @Test
  void deleteManifest_when405Unsupported_failsWithDeletionDisabledAfterOneAttempt() {
    wm.stubFor(
        delete(urlEqualTo(MANIFEST_PATH))
            .willReturn(
                registryError(405, "UNSUPPORTED", "The operation is unsupported.")
                    .withHeader("Allow", "GET, HEAD")));

    ReactiveRegistryClient client = fastClient(wm, 5);
    DeletionDisabledException e =
        failure(client.deleteManifest(REPO, DIGEST), DeletionDisabledException.class, BOUND);
    assertThat(e).hasMessageContaining("storage").hasMessageContaining(MANIFEST_PATH);
    assertThat(e.isRetryable()).isFalse();

    assertThat(client.metrics().retries()).isZero();
    wm.verify(1, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }
}
