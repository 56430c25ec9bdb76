package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.ClientCalls.expectExactly;
import static io.registryreactive.ClientCalls.expectOne;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.ClientCalls.registryError;
import static io.registryreactive.testkit.StubRegistry.OCI_MANIFEST;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Monolithic blob upload and manifest push. */
class PushTest extends StubClientFixture {

  /**
   * Includes bytes that are not valid UTF-8, so a body re-encoded as text would not match. Not
   * gzip: WireMock would inflate a request body that starts with the gzip magic before matching it.
   */
  private static final byte[] BLOB = {
    0x00, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, 0x7f, 'x', 'y', '\n'
  };

  private static final String BLOB_DIGEST = sha256(BLOB);
  private static final String BLOB_PATH = "/v2/team/app/blobs/" + BLOB_DIGEST;
  private static final String UPLOADS = "/v2/team/app/blobs/uploads/";

  /**
   * The registry lacks the blob ({@code HEAD} 404) and starts an upload session with a 202 and the
   * headers of {@code started}.
   */
  private static void stubUploadStarted(ResponseDefinitionBuilder started) {
    registry.stubFor(head(urlEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(404)));
    registry.stubFor(post(urlEqualTo(UPLOADS)).willReturn(started.withStatus(202)));
  }

  @Test
  void blobExists_when200_isTrueAnd404_isFalse_withHeadOnly() {
    registry.stubFor(head(urlEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(200)));
    String gone = "/v2/team/app/blobs/" + sha256(new byte[] {1});
    registry.stubFor(head(urlEqualTo(gone)).willReturn(aResponse().withStatus(404)));

    expectExactly(client.blobExists("team/app", BLOB_DIGEST), true);
    expectExactly(client.blobExists("team/app", sha256(new byte[] {1})), false);

    registry.verify(
        2,
        anyRequestedFor(anyUrl())
            .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.absent()));
    registry.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(anyUrl()));
  }

  @Test
  void blobExists_when403_isAnErrorNotAMissingBlob() {
    registry.stubFor(head(urlEqualTo(BLOB_PATH)).willReturn(aResponse().withStatus(403)));

    StepVerifier.create(client.blobExists("team/app", BLOB_DIGEST))
        .expectError(AccessDeniedException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void pushBlob_whenRegistryHasBlob_skipsUpload() {
    registry.stubFor(
        head(urlEqualTo(BLOB_PATH))
            .willReturn(
                aResponse().withStatus(200).withHeader("Docker-Content-Digest", BLOB_DIGEST)));

    expectExactly(client.pushBlob("team/app", BLOB), BLOB_DIGEST);

    registry.verify(1, headRequestedFor(urlEqualTo(BLOB_PATH)));
    registry.verify(0, postRequestedFor(anyUrl()));
    registry.verify(0, putRequestedFor(anyUrl()));
  }

  @Test
  void pushBlob_whenLocationIsRelativeWithQuery_putsDigestAfterExistingQueryWithExactBody() {
    stubUploadStarted(
        aResponse()
            .withHeader("Location", "/v2/team/app/blobs/uploads/3f2a-uuid?_state=x")
            .withHeader("Docker-Upload-UUID", "3f2a-uuid"));
    registry.stubFor(
        put(urlPathEqualTo("/v2/team/app/blobs/uploads/3f2a-uuid"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Docker-Content-Digest", BLOB_DIGEST)
                    .withHeader("Location", BLOB_PATH)));

    expectExactly(client.pushBlob("team/app", BLOB), BLOB_DIGEST);

    registry.verify(1, postRequestedFor(urlEqualTo(UPLOADS)));
    registry.verify(
        1,
        putRequestedFor(
                urlEqualTo("/v2/team/app/blobs/uploads/3f2a-uuid?_state=x&digest=" + BLOB_DIGEST))
            .withHeader("Content-Type", equalTo("application/octet-stream"))
            .withHeader("Content-Length", equalTo(String.valueOf(BLOB.length)))
            .withRequestBody(binaryEqualTo(BLOB)));
  }

  @Test
  void pushBlob_whenLocationIsAbsoluteWithoutQuery_startsQueryWithDigest() {
    String location = registry.baseUrl() + "/v2/team/app/blobs/uploads/abc";
    stubUploadStarted(aResponse().withHeader("Location", location));
    registry.stubFor(
        put(urlPathEqualTo("/v2/team/app/blobs/uploads/abc"))
            .willReturn(aResponse().withStatus(201)));

    expectExactly(client.pushBlob("team/app", BLOB), BLOB_DIGEST);

    registry.verify(
        1,
        putRequestedFor(urlEqualTo("/v2/team/app/blobs/uploads/abc?digest=" + BLOB_DIGEST))
            .withRequestBody(binaryEqualTo(BLOB)));
  }

  @Test
  void pushBlob_whenUploadStartedWithoutLocation_errorsWithProtocolException() {
    stubUploadStarted(aResponse());

    assertThat(failureOf(client.pushBlob("team/app", BLOB), RegistryProtocolException.class))
        .hasMessageContaining("Location");

    registry.verify(0, putRequestedFor(anyUrl()));
  }

  @Test
  void pushBlob_whenPutRejected_errorsWithRegistryCode() {
    stubUploadStarted(aResponse().withHeader("Location", "/v2/team/app/blobs/uploads/u1"));
    registry.stubFor(
        put(urlPathEqualTo("/v2/team/app/blobs/uploads/u1"))
            .willReturn(
                registryError(
                    400, "DIGEST_INVALID", "provided digest did not match uploaded content")));

    RegistryResponseException r =
        failureOf(client.pushBlob("team/app", BLOB), RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.hasErrorCode("DIGEST_INVALID")).isTrue();
    assertThat(r.isRetryable()).isFalse();
  }

  @Test
  void pushManifest_sendsContentTypeAndExactBodyAndReturnsDigest() {
    byte[] manifest =
        ("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \""
                + OCI_MANIFEST
                + "\",\n"
                + "  \"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \""
                + sha256("{}")
                + "\", \"size\": 2},\n  \"layers\": []\n}\n")
            .getBytes(StandardCharsets.UTF_8);
    String digest = sha256(manifest);
    registry.stubFor(
        put(urlEqualTo("/v2/team/app/manifests/v1"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Docker-Content-Digest", digest)
                    .withHeader("Location", "/v2/team/app/manifests/" + digest)));

    expectOne(
        client.pushManifest("team/app", "v1", manifest, OCI_MANIFEST),
        m -> {
          assertThat(m.digest()).isEqualTo(digest);
          assertThat(m.tag()).contains("v1");
          assertThat(m.mediaType()).isEqualTo(OCI_MANIFEST);
          assertThat(m.size()).isEqualTo(manifest.length);
        });

    registry.verify(
        1,
        putRequestedFor(urlEqualTo("/v2/team/app/manifests/v1"))
            .withHeader("Content-Type", equalTo(OCI_MANIFEST))
            .withRequestBody(binaryEqualTo(manifest)));
  }

  @Test
  void pushManifest_whenBlobsMissing_errorsWithManifestBlobUnknown() {
    registry.stubFor(
        put(urlEqualTo("/v2/team/app/manifests/v1"))
            .willReturn(registryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry")));

    RegistryResponseException r =
        failureOf(
            client.pushManifest(
                "team/app", "v1", "{}".getBytes(StandardCharsets.UTF_8), OCI_MANIFEST),
            RegistryResponseException.class);
    assertThat(r.hasErrorCode("MANIFEST_BLOB_UNKNOWN")).isTrue();
  }

  @Test
  void pushManifest_whenRegistryReportsOtherDigest_errorsWithDigestMismatch() {
    byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
    registry.stubFor(
        put(urlEqualTo("/v2/team/app/manifests/v1"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader(
                        "Docker-Content-Digest", sha256("what the registry stored instead"))));

    StepVerifier.create(client.pushManifest("team/app", "v1", manifest, OCI_MANIFEST))
        .expectError(DigestMismatchException.class)
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void pushBlob_whenNotSubscribed_sendsNothing() {
    client.pushBlob("team/app", BLOB);
    client.pushManifest("team/app", "v1", BLOB, OCI_MANIFEST);

    registry.verify(0, anyRequestedFor(anyUrl()));
  }
}
