package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.ClientCalls.answer;
import static io.registryreactive.ClientCalls.assertStatusAndCode;
import static io.registryreactive.ClientCalls.expectExactly;
import static io.registryreactive.ClientCalls.expectOne;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.ClientCalls.registryError;
import static io.registryreactive.testkit.StubRegistry.errorBody;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.StubRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code DELETE /v2/<name>/manifests/<digest>} and what each answer means. */
class DeleteTest extends StubClientFixture {

  private static final String DIGEST = sha256("manifest");
  private static final String PATH = "/v2/team/app/manifests/" + DIGEST;

  /** The registry answers the manifest's DELETE so; deleting it must fail with this type. */
  private <E extends Throwable> E deleteFailure(ResponseDefinitionBuilder answer, Class<E> type) {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(answer));
    return failureOf(client.deleteManifest("team/app", DIGEST), type);
  }

  @Test
  void delete_when202_returnsDeleted() {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));
    ImageMetadata image =
        new ImageMetadata("team/app", Optional.of("v1"), DIGEST, StubRegistry.OCI_MANIFEST, 525);

    expectExactly(
        client.delete(image), new DeleteResult("team/app", DIGEST, DeleteResult.Outcome.DELETED));

    // By digest, never by the tag the metadata was resolved from.
    registry.verify(1, deleteRequestedFor(urlEqualTo(PATH)));
    registry.verify(0, deleteRequestedFor(urlEqualTo("/v2/team/app/manifests/v1")));
  }

  @Test
  void deleteManifest_when404_returnsAlreadyAbsent() {
    registry.stubFor(
        delete(urlEqualTo(PATH))
            .willReturn(registryError(404, "MANIFEST_UNKNOWN", "manifest unknown")));

    expectOne(
        client.deleteManifest("team/app", DIGEST),
        result -> {
          assertThat(result.outcome()).isEqualTo(DeleteResult.Outcome.ALREADY_ABSENT);
          assertThat(result.deleted()).isFalse();
        });
  }

  @Test
  void deleteManifest_when405Unsupported_errorsWithDeletionDisabledSayingHowToEnable() {
    DeletionDisabledException disabled =
        deleteFailure(
            answer(
                405,
                "application/json; charset=utf-8",
                errorBody("UNSUPPORTED", "The operation is unsupported.")),
            DeletionDisabledException.class);
    assertThat(disabled.getMessage()).contains("storage").contains("delete").contains("enabled");
    assertThat(disabled.isRetryable()).isFalse();
    assertStatusAndCode(disabled, 405, "UNSUPPORTED");
    assertThat(disabled.method()).isEqualTo("DELETE");
  }

  @Test
  void deleteManifest_when405PlainText_errorsRetryableNotDeletionDisabled() {
    // distribution in read-only maintenance mode.
    RegistryResponseException response =
        deleteFailure(
            answer(405, "text/plain; charset=utf-8", "method not allowed\n")
                .withHeader("Allow", "GET, HEAD"),
            RegistryResponseException.class);
    assertThat(response).isNotInstanceOf(DeletionDisabledException.class);
    assertThat(response.isRetryable()).isTrue();
    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void deleteManifest_whenTagGiven_errorsWithoutSendingRequest() {
    assertThat(failureOf(client.deleteManifest("team/app", "v1"), InvalidReferenceException.class))
        .hasMessageContaining("v1")
        .hasMessageContaining("digest");

    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void deleteManifest_when403_errorsWithAccessDenied() {
    AccessDeniedException e =
        deleteFailure(
            registryError(403, "DENIED", "requested access to the resource is denied"),
            AccessDeniedException.class);
    assertThat(e.hasErrorCode("DENIED")).isTrue();
  }

  @Test
  void deleteManifest_whenNotSubscribed_sendsNothing() {
    registry.stubFor(delete(urlEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

    client.deleteManifest("team/app", DIGEST);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }
}
