package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.DIGEST;
import static io.registryreactive.resilience.RegistryStubs.MANIFEST_PATH;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.answer;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.unavailable;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
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

  /** The manifest's DELETE gets each answer in turn, then the last one again. */
  private static void stubDeletes(ResponseDefinitionBuilder... answers) {
    stubSequence(wm, "delete", () -> delete(urlEqualTo(MANIFEST_PATH)), answers);
  }

  /** Checks that the registry saw exactly {@code count} DELETEs of the manifest. */
  private static void verifyDeletes(int count) {
    wm.verify(count, deleteRequestedFor(urlEqualTo(MANIFEST_PATH)));
  }

  private static ResponseDefinitionBuilder accepted() {
    return aResponse().withStatus(202);
  }

  private static ResponseDefinitionBuilder manifestUnknown() {
    return registryError(404, "MANIFEST_UNKNOWN", "manifest unknown");
  }

  private static ResponseDefinitionBuilder readOnly() {
    return answer(405, "text/plain; charset=utf-8", "method not allowed\n")
        .withHeader("Allow", "GET, HEAD");
  }

  @Test
  void deleteManifest_whenFirstAnswerLostAfterDeleting_reportsDeletedAndCountsConfirmation() {
    // The scenario moves to "deleted" when the first DELETE matches; the registry has applied it
    // by the time the connection is reset, so the retry finds nothing.
    stubDeletes(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isEqualTo(1);
    assertThat(client.metrics().retries()).isEqualTo(1);
    verifyDeletes(2);
  }

  @Test
  void deleteManifest_when404OnFirstAttempt_reportsAlreadyAbsent() {
    stubDeletes(manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.ALREADY_ABSENT);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    assertThat(client.metrics().retries()).isZero();
    verifyDeletes(1);
  }

  @Test
  void deleteManifest_when429Then404_reportsAlreadyAbsentSinceNothingWasApplied() {
    // A 429 (or a read-only 405) means the registry refused the first attempt: a 404 on the retry
    // is someone else's delete, not ours.
    stubDeletes(registryError(429, "TOOMANYREQUESTS", "slow down"), manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.ALREADY_ABSENT);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    verifyDeletes(2);
  }

  @Test
  void deleteManifest_when503Then404_reportsDeletedSinceTheFirstAttemptMayHaveBeenApplied() {
    stubDeletes(unavailable("proxy timeout"), manifestUnknown());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isEqualTo(1);
  }

  @Test
  void deleteManifest_when503Then202_reportsDeletedWithoutConfirmationCount() {
    stubDeletes(unavailable("busy"), accepted());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().deletesConfirmedOnRetry()).isZero();
    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 503", 1L));
  }

  @Test
  void deleteManifest_whenReadOnly405ThenAccepted_retriesAndReportsDeleted() {
    stubDeletes(readOnly(), accepted());

    ReactiveRegistryClient client = deleteExpecting(Outcome.DELETED);

    assertThat(client.metrics().retriesByReason()).isEqualTo(Map.of("status 405", 1L));
    verifyDeletes(2);
  }

  @Test
  void deleteManifest_whenReadOnlyOutlastsRetries_failsRetryableSayingReadOnly() {
    stubDeletes(readOnly());

    ReactiveRegistryClient client = fastClient(wm, 3);
    RegistryResponseException e =
        failure(client.deleteManifest(REPO, DIGEST), RegistryResponseException.class, BOUND);
    assertThat(e)
        .isExactlyInstanceOf(RegistryResponseException.class)
        .hasMessageContaining("read-only");
    assertThat(e.statusCode()).isEqualTo(405);
    assertThat(e.isRetryable()).isTrue();
    verifyDeletes(3);
  }

  @Test
  void deleteManifest_when405Unsupported_failsWithDeletionDisabledAfterOneAttempt() {
    stubDeletes(
        registryError(405, "UNSUPPORTED", "The operation is unsupported.")
            .withHeader("Allow", "GET, HEAD"));

    ReactiveRegistryClient client = fastClient(wm, 5);
    DeletionDisabledException e =
        failure(client.deleteManifest(REPO, DIGEST), DeletionDisabledException.class, BOUND);
    assertThat(e).hasMessageContaining("storage").hasMessageContaining(MANIFEST_PATH);
    assertThat(e.isRetryable()).isFalse();

    assertThat(client.metrics().retries()).isZero();
    verifyDeletes(1);
  }
}
