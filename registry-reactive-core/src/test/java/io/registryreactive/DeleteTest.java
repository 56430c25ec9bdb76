package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.testkit.Failures.failure;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static io.registryreactive.testkit.StubRegistry.errorBody;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.StubRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** {@code DELETE /v2/<name>/manifests/<digest>} and what each answer means. */
class DeleteTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private static final String DIGEST = sha256("manifest");
  private static final String PATH = "/v2/team/app/manifests/" + DIGEST;

  private final ReactiveRegistryClient client = registry.client();

  @Test
  void delete_when202_returnsDeleted() {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
    ImageMetadata image =
        new ImageMetadata("team/app", Optional.of("v1"), DIGEST, StubRegistry.OCI_MANIFEST, 525);

    StepVerifier.create(client.delete(image))
        .expectNext(new DeleteResult("team/app", DIGEST, DeleteResult.Outcome.DELETED))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    // By digest, never by the tag the metadata was resolved from.
    registry.verify(1, deleteRequestedFor(urlEqualTo(PATH)));
    registry.verify(0, deleteRequestedFor(urlEqualTo("/v2/team/app/manifests/v1")));
  }

  @Test
  void deleteManifest_when404_returnsAlreadyAbsent() {
    registry.answer(
        delete(urlEqualTo(PATH)),
        404,
        "application/json",
        errorBody("MANIFEST_UNKNOWN", "manifest unknown"));

    StepVerifier.create(client.deleteManifest("team/app", DIGEST))
        .assertNext(
            result -> {
              assertThat(result.outcome()).isEqualTo(DeleteResult.Outcome.ALREADY_ABSENT);
              assertThat(result.deleted()).isFalse();
            })
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void deleteManifest_when405Unsupported_errorsWithDeletionDisabledSayingHowToEnable() {
    registry.answer(
        delete(urlEqualTo(PATH)),
        405,
        "application/json; charset=utf-8",
        errorBody("UNSUPPORTED", "The operation is unsupported."));

    DeletionDisabledException disabled =
        failure(
            client.deleteManifest("team/app", DIGEST),
            DeletionDisabledException.class,
            VERIFY_TIMEOUT);
    assertThat(disabled.getMessage()).contains("storage").contains("delete").contains("enabled");
    assertThat(disabled.isRetryable()).isFalse();
    assertThat(disabled.statusCode()).isEqualTo(405);
    assertThat(disabled.hasErrorCode("UNSUPPORTED")).isTrue();
    assertThat(disabled.method()).isEqualTo("DELETE");
  }

  @Test
  void deleteManifest_when405PlainText_errorsRetryableNotDeletionDisabled() {
    // distribution in read-only maintenance mode.
    registry.stubFor(
        delete(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(405)
                    .withHeader("Content-Type", "text/plain; charset=utf-8")
                    .withHeader("Allow", "GET, HEAD")
                    .withBody("method not allowed\n")));

    RegistryResponseException response =
        failure(
            client.deleteManifest("team/app", DIGEST),
            RegistryResponseException.class,
            VERIFY_TIMEOUT);
    assertThat(response).isNotInstanceOf(DeletionDisabledException.class);
    assertThat(response.isRetryable()).isTrue();
    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void deleteManifest_whenTagGiven_errorsWithoutSendingRequest() {
    assertThat(
            failure(
                client.deleteManifest("team/app", "v1"),
                InvalidReferenceException.class,
                VERIFY_TIMEOUT))
        .hasMessageContaining("v1")
        .hasMessageContaining("digest");

    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void deleteManifest_when403_errorsWithAccessDenied() {
    registry.answer(
        delete(urlEqualTo(PATH)),
        403,
        "application/json",
        errorBody("DENIED", "requested access to the resource is denied"));

    AccessDeniedException e =
        failure(
            client.deleteManifest("team/app", DIGEST), AccessDeniedException.class, VERIFY_TIMEOUT);
    assertThat(e.hasErrorCode("DENIED")).isTrue();
  }

  @Test
  void deleteManifest_whenNotSubscribed_sendsNothing() {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

    client.deleteManifest("team/app", DIGEST);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }
}
