package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.ClientCalls.expectExactly;
import static io.registryreactive.ClientCalls.expectOne;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.testkit.StubRegistry.DOCKER_LIST;
import static io.registryreactive.testkit.StubRegistry.DOCKER_MANIFEST;
import static io.registryreactive.testkit.StubRegistry.OCI_INDEX;
import static io.registryreactive.testkit.StubRegistry.OCI_MANIFEST;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static io.registryreactive.testkit.StubRegistry.errorBody;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/** {@code metadata()} (HEAD, GET fallback), {@code manifest()} and {@code blob()}. */
class MetadataAndManifestTest extends StubClientFixture {

  /**
   * Object storage that blob downloads redirect to: another origin, so it must get no credentials.
   */
  @RegisterExtension static final StubRegistry storage = StubRegistry.create();

  private static final String MANIFESTS = "/v2/team/app/manifests/";
  private static final String CONFIG_DIGEST = "sha256:" + "a".repeat(64);
  private static final String LAYER_DIGEST = "sha256:" + "b".repeat(64);
  private static final String CHILD_AMD64 = "sha256:" + "c".repeat(64);
  private static final String CHILD_ARM64 = "sha256:" + "d".repeat(64);

  /**
   * Pretty-printed with a trailing newline, as registries store what was pushed: hashes must use
   * these bytes.
   */
  private static final String DOCKER_V2_BODY =
      """
      {
         "schemaVersion": 2,
         "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1469,
            "digest": "%s"
         },
         "layers": [
            {
               "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
               "size": 3208,
               "digest": "%s"
            }
         ]
      }
      """
          .formatted(CONFIG_DIGEST, LAYER_DIGEST);

  private static final String OCI_INDEX_BODY =
      """
      {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":525,\
      "platform":{"architecture":"amd64","os":"linux"}},\
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":527,\
      "platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}"""
          .formatted(CHILD_AMD64, CHILD_ARM64);

  private static final String DOCKER_V2_DIGEST = sha256(DOCKER_V2_BODY);
  private static final String OCI_INDEX_DIGEST = sha256(OCI_INDEX_BODY);

  @Test
  void metadata_whenHeadHasDigest_usesItWithoutGet() {
    registry.stubFor(
        head(urlEqualTo(MANIFESTS + "v1"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Docker-Content-Digest", DOCKER_V2_DIGEST)
                    .withHeader("Content-Type", DOCKER_MANIFEST)
                    .withHeader("Content-Length", "1234")));

    expectOne(
        client.metadata("team/app:v1"),
        m -> {
          assertThat(m.repository()).isEqualTo("team/app");
          assertThat(m.tag()).contains("v1");
          assertThat(m.digest()).isEqualTo(DOCKER_V2_DIGEST);
          assertThat(m.mediaType()).isEqualTo(DOCKER_MANIFEST);
          assertThat(m.size()).isEqualTo(1234);
          assertThat(m.isIndex()).isFalse();
        });

    registry.verify(1, headRequestedFor(urlEqualTo(MANIFESTS + "v1")));
    registry.verify(0, getRequestedFor(urlEqualTo(MANIFESTS + "v1")));
  }

  @Test
  void metadata_whenHeadLacksDigest_getsManifestAndHashesExactBytes() {
    stubHead("v1", null, DOCKER_MANIFEST);
    stubGet("v1", DOCKER_MANIFEST, DOCKER_V2_BODY);

    expectOne(
        client.metadata("team/app:v1"),
        m -> {
          assertThat(m.digest()).isEqualTo(DOCKER_V2_DIGEST);
          assertThat(m.size()).isEqualTo(DOCKER_V2_BODY.getBytes(StandardCharsets.UTF_8).length);
          assertThat(m.mediaType()).isEqualTo(DOCKER_MANIFEST);
          assertThat(m.tag()).contains("v1");
        });

    registry.verify(1, getRequestedFor(urlEqualTo(MANIFESTS + "v1")));
  }

  @Test
  void metadata_whenHeadDigestIsMalformed_fallsBackToGet() {
    stubHead("v1", "sha256:not-a-digest", DOCKER_MANIFEST);
    stubGet("v1", DOCKER_MANIFEST, DOCKER_V2_BODY);

    expectExactly(client.metadata("team/app:v1").map(ImageMetadata::digest), DOCKER_V2_DIGEST);
  }

  @Test
  void metadata_whenAnyManifestRequest_sendsAllFourMediaTypesInAccept() {
    stubHead("v1", null, OCI_INDEX);
    stubGet("v1", OCI_INDEX, OCI_INDEX_BODY);

    StepVerifier.create(client.metadata("team/app:v1"))
        .expectNextCount(1)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    StepVerifier.create(client.manifest("team/app:v1"))
        .expectNextCount(1)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    // One HEAD, the GET fallback of metadata() and the GET of manifest().
    assertAcceptsAllManifestTypes(() -> headRequestedFor(urlEqualTo(MANIFESTS + "v1")), 1);
    assertAcceptsAllManifestTypes(() -> getRequestedFor(urlEqualTo(MANIFESTS + "v1")), 2);
  }

  @Test
  void metadata_whenDigestReferenceAndHeadAgrees_returnsItWithoutTag() {
    stubHead(OCI_INDEX_DIGEST, OCI_INDEX_DIGEST, OCI_INDEX);

    expectOne(
        client.metadata("team/app@" + OCI_INDEX_DIGEST),
        m -> {
          assertThat(m.digest()).isEqualTo(OCI_INDEX_DIGEST);
          assertThat(m.tag()).isEmpty();
          assertThat(m.isIndex()).isTrue();
          assertThat(m.digestReference()).isEqualTo("team/app@" + OCI_INDEX_DIGEST);
        });
  }

  @Test
  void metadata_whenDigestReferenceAndHeadNamesOtherDigest_errorsWithDigestMismatch() {
    String asked = sha256("asked");
    String other = sha256("other");
    stubHead(asked, other, OCI_MANIFEST);

    DigestMismatchException e =
        failureOf(client.metadata("team/app@" + asked), DigestMismatchException.class);
    assertThat(e.expected()).isEqualTo(asked);
  }

  @Test
  void metadata_whenDigestReferenceAndGetBodyDoesNotMatch_errorsWithDigestMismatch() {
    String asked = sha256("something else entirely");
    stubHead(asked, null, DOCKER_MANIFEST);
    stubGet(asked, DOCKER_MANIFEST, DOCKER_V2_BODY);

    DigestMismatchException mismatch =
        failureOf(client.metadata("team/app@" + asked), DigestMismatchException.class);
    assertThat(mismatch.expected()).isEqualTo(asked);
    assertThat(mismatch.actual()).isEqualTo(DOCKER_V2_DIGEST);
    assertThat(mismatch.isRetryable()).isFalse();
  }

  @Test
  void metadata_whenManifestUnknown_errorsWithNotFound() {
    registry.stubFor(
        head(urlEqualTo(MANIFESTS + "gone"))
            .willReturn(
                aResponse().withStatus(404).withHeader("Content-Type", "application/json")));

    NotFoundException e = failureOf(client.metadata("team/app:gone"), NotFoundException.class);
    assertThat(e.method()).isEqualTo("HEAD");
    assertThat(e.statusCode()).isEqualTo(404);
  }

  /** References that resolve to a tag of team/app here: (reference, the tag asked for). */
  static Stream<Arguments> referencesToThisRegistry() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<String>>of(
                "a reference naming this registry's host is accepted",
                () -> registry.host() + "/team/app:v1"),
            "v1"),
        Arguments.of(
            Named.<Supplier<String>>of("no tag given means latest", () -> "team/app"), "latest"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referencesToThisRegistry")
  void metadata_whenReferenceResolvesToATagHere_headsThatTag(
      Supplier<String> reference, String tag) {
    stubHead(tag, DOCKER_V2_DIGEST, DOCKER_MANIFEST);

    expectExactly(client.metadata(reference.get()).map(ImageMetadata::digest), DOCKER_V2_DIGEST);
  }

  @Test
  void manifest_whenDockerV2_parsesConfigAndLayers() {
    stubGet("v1", DOCKER_MANIFEST, DOCKER_V2_BODY, DOCKER_V2_DIGEST);

    expectOne(
        client.manifest("team/app:v1"),
        m -> {
          assertThat(m).isInstanceOf(ImageManifest.class);
          ImageManifest image = (ImageManifest) m;
          assertThat(image.mediaType()).isEqualTo(DOCKER_MANIFEST);
          assertThat(image.digest()).isEqualTo(DOCKER_V2_DIGEST);
          assertThat(image.raw()).isEqualTo(DOCKER_V2_BODY.getBytes(StandardCharsets.UTF_8));
          assertThat(image.config().digest()).isEqualTo(CONFIG_DIGEST);
          assertThat(image.config().size()).isEqualTo(1469);
          assertThat(image.layers()).hasSize(1);
          assertThat(image.layers().get(0).digest()).isEqualTo(LAYER_DIGEST);
          assertThat(image.layers().get(0).size()).isEqualTo(3208);
        });
  }

  @Test
  void manifest_whenOciIndexByDigest_parsesChildren() {
    stubGet(OCI_INDEX_DIGEST, OCI_INDEX, OCI_INDEX_BODY);

    expectOne(
        client.manifest("team/app@" + OCI_INDEX_DIGEST),
        m -> {
          assertThat(m).isInstanceOf(ImageIndex.class);
          ImageIndex index = (ImageIndex) m;
          assertThat(index.mediaType()).isEqualTo(OCI_INDEX);
          assertThat(index.digest()).isEqualTo(OCI_INDEX_DIGEST);
          assertThat(index.childDigests()).containsExactly(CHILD_AMD64, CHILD_ARM64);
          assertThat(index.manifests().get(1).platform()).isPresent();
          assertThat(index.manifests().get(1).platform().get().architecture()).isEqualTo("arm64");
        });
  }

  @Test
  void manifest_whenDigestReferenceAndBodyDoesNotMatch_errorsWithDigestMismatch() {
    String asked = sha256("not this body");
    stubGet(asked, OCI_INDEX, OCI_INDEX_BODY);

    failureOf(client.manifest("team/app@" + asked), DigestMismatchException.class);
  }

  @Test
  void manifest_whenDigestHeaderDisagreesWithBody_errorsWithDigestMismatch() {
    stubGet("v1", DOCKER_MANIFEST, DOCKER_V2_BODY, sha256("a different manifest"));

    failureOf(client.manifest("team/app:v1"), DigestMismatchException.class);
  }

  @Test
  void manifest_whenManifestUnknown_errorsWithNotFoundCarryingCode() {
    registry.answer(
        get(urlEqualTo(MANIFESTS + "v9")),
        404,
        "application/json",
        errorBody("MANIFEST_UNKNOWN", "manifest unknown"));

    NotFoundException e = failureOf(client.manifest("team/app:v9"), NotFoundException.class);
    assertThat(e.hasErrorCode("MANIFEST_UNKNOWN")).isTrue();
    assertThat(e.getMessage()).contains("MANIFEST_UNKNOWN").contains(MANIFESTS + "v9");
  }

  @Test
  void manifest_whenBodyExceedsMaxManifestBytes_errorsWithProtocolException() {
    String huge = "{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + "y".repeat(4096) + "\"}}";
    stubGet("v1", OCI_MANIFEST, huge);

    try (ReactiveRegistryClient capped = registry.builder(b -> b.maxManifestBytes(1024)).build()) {
      assertThat(failureOf(capped.manifest("team/app:v1"), RegistryProtocolException.class))
          .hasMessageContaining("1024");
    }
  }

  @Test
  void manifest_whenBodyIsNotAManifest_errorsWithProtocolException() {
    String body = "<html>not a manifest</html>";
    registry.answer(get(urlEqualTo(MANIFESTS + "v1")), 200, "text/html", body);

    failureOf(client.manifest("team/app:v1"), RegistryProtocolException.class);
  }

  @Test
  void blob_whenBodyMatchesDigest_returnsExactBytes() {
    byte[] config = "{\"created\":\"2024-01-02T03:04:05Z\"}\n".getBytes(StandardCharsets.UTF_8);
    String digest = sha256(config);
    registry.answer(
        get(urlEqualTo("/v2/team/app/blobs/" + digest)), 200, "application/octet-stream", config);

    expectOne(client.blob("team/app", digest), bytes -> assertThat(bytes).isEqualTo(config));
  }

  @Test
  void blob_whenRedirectedToStorage_followsWithoutCredentials() {
    byte[] config = "{\"created\":\"2024-01-02T03:04:05Z\"}".getBytes(StandardCharsets.UTF_8);
    String digest = sha256(config);
    registry.stubFor(
        get(urlEqualTo("/v2/team/app/blobs/" + digest))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", storage.baseUrl() + "/blob-1?sig=abc")));
    storage.stubFor(
        get(urlEqualTo("/blob-1?sig=abc"))
            .willReturn(aResponse().withStatus(200).withBody(config)));

    try (ReactiveRegistryClient withCredentials =
        registry.builder(b -> b.credentials(RegistryCredentials.basic("ci", "s3cret"))).build()) {
      // A Basic challenge first, so that the client sends credentials to the registry up front.
      registry.stubFor(
          get(urlEqualTo("/v2/"))
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));
      registry.stubFor(
          get(urlEqualTo("/v2/"))
              .withHeader("Authorization", containing("Basic "))
              .willReturn(aResponse().withStatus(200)));
      StepVerifier.create(withCredentials.checkAuth()).expectComplete().verify(VERIFY_TIMEOUT);

      expectOne(
          withCredentials.blob("team/app", digest), bytes -> assertThat(bytes).isEqualTo(config));
    }

    registry.verify(
        1,
        getRequestedFor(urlEqualTo("/v2/team/app/blobs/" + digest))
            .withHeader("Authorization", containing("Basic ")));
    storage.verify(
        1, getRequestedFor(urlEqualTo("/blob-1?sig=abc")).withoutHeader("Authorization"));
  }

  @Test
  void blob_whenBodyDoesNotMatchDigest_errorsWithDigestMismatch() {
    String digest = sha256("expected");
    registry.stubFor(
        get(urlEqualTo("/v2/team/app/blobs/" + digest))
            .willReturn(aResponse().withStatus(200).withBody("tampered")));

    DigestMismatchException e =
        failureOf(client.blob("team/app", digest), DigestMismatchException.class);
    assertThat(e.actual()).isEqualTo(sha256("tampered"));
  }

  /**
   * {@code HEAD} of this manifest answers 200 with this {@code Content-Type} and, unless {@code
   * digest} is null, this {@code Docker-Content-Digest}.
   */
  private static void stubHead(String reference, String digest, String type) {
    ResponseDefinitionBuilder answer = aResponse().withStatus(200).withHeader("Content-Type", type);
    if (digest != null) {
      answer = answer.withHeader("Docker-Content-Digest", digest);
    }
    registry.stubFor(head(urlEqualTo(MANIFESTS + reference)).willReturn(answer));
  }

  /** {@code GET} of this manifest answers 200 with this {@code Content-Type} and body. */
  private static void stubGet(String reference, String type, String body) {
    registry.answer(get(urlEqualTo(MANIFESTS + reference)), 200, type, body);
  }

  /** As {@link #stubGet(String, String, String)}, with this {@code Docker-Content-Digest}. */
  private static void stubGet(String reference, String type, String body, String digest) {
    registry.stubFor(
        get(urlEqualTo(MANIFESTS + reference))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", type)
                    .withHeader("Docker-Content-Digest", digest)
                    .withBody(body)));
  }

  private static void assertAcceptsAllManifestTypes(
      Supplier<RequestPatternBuilder> requests, int expectedCount) {
    for (String mediaType : List.of(OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST)) {
      registry.verify(expectedCount, requests.get().withHeader("Accept", containing(mediaType)));
    }
  }
}
