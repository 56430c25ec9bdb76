package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
    registry.stubFor(
        delete(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(errorBody("MANIFEST_UNKNOWN", "manifest unknown"))));

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
    registry.stubFor(
        delete(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(405)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(errorBody("UNSUPPORTED", "The operation is unsupported."))));

    StepVerifier.create(client.deleteManifest("team/app", DIGEST))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(DeletionDisabledException.class);
              DeletionDisabledException disabled = (DeletionDisabledException) e;
              assertThat(disabled.getMessage())
                  .contains("storage")
                  .contains("delete")
                  .contains("enabled");
              assertThat(disabled.isRetryable()).isFalse();
              assertThat(disabled.statusCode()).isEqualTo(405);
              assertThat(disabled.hasErrorCode("UNSUPPORTED")).isTrue();
              assertThat(disabled.method()).isEqualTo("DELETE");
            })
        .verify(VERIFY_TIMEOUT);
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

    StepVerifier.create(client.deleteManifest("team/app", DIGEST))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(RegistryResponseException.class)
                  .isNotInstanceOf(DeletionDisabledException.class);
              RegistryResponseException response = (RegistryResponseException) e;
              assertThat(response.isRetryable()).isTrue();
              assertThat(response.statusCode()).isEqualTo(405);
            })
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void deleteManifest_whenTagGiven_errorsWithoutSendingRequest() {
    StepVerifier.create(client.deleteManifest("team/app", "v1"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(InvalidReferenceException.class)
                    .hasMessageContaining("v1")
                    .hasMessageContaining("digest"))
        .verify(VERIFY_TIMEOUT);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void deleteManifest_when403_errorsWithAccessDenied() {
    registry.stubFor(
        delete(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(403)
                    .withHeader("Content-Type", "application/json")
                    .withBody(errorBody("DENIED", "requested access to the resource is denied"))));

    StepVerifier.create(client.deleteManifest("team/app", DIGEST))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(AccessDeniedException.class);
              assertThat(((AccessDeniedException) e).hasErrorCode("DENIED")).isTrue();
            })
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void deleteManifest_whenNotSubscribed_sendsNothing() {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

    client.deleteManifest("team/app", DIGEST);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }
}
