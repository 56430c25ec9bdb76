package io.registryreactive;

import static io.registryreactive.testkit.StubRegistry.OCI_MANIFEST;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.test.StepVerifier;

/**
 * Bad input is signalled as an error (not thrown at assembly) and before any request: the WireMock
 * journal stays empty. The server has no stubs, so a request that slipped through would be visible.
 */
class ArgumentValidationTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private static final String DIGEST = sha256("x");
  private static final byte[] BYTES = {1, 2, 3};

  private final ReactiveRegistryClient client = registry.client();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Team/App",
        "team//app",
        "team/app/",
        "-team",
        "team app",
        "team/app:v1",
        "localhost:5000/team/app"
      })
  void tags_whenRepositoryMalformed_errorsBeforeAnyRequest(String repository) {
    expectErrorWithoutRequest(() -> client.tags(repository), InvalidReferenceException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Team/app:v1",
        "team/app:",
        "team/app:-v1",
        "team/app:v 1",
        "team/app@sha256:abc",
        "team/app@",
        "team/app@sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
      })
  void metadata_whenReferenceMalformed_errorsBeforeAnyRequest(String reference) {
    expectErrorWithoutRequest(() -> client.metadata(reference), InvalidReferenceException.class);
  }

  @Test
  void metadata_whenTagTooLong_errorsBeforeAnyRequest() {
    expectErrorWithoutRequest(
        () -> client.metadata("team/app:" + "t".repeat(129)), InvalidReferenceException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Team/app:v1", "team/app:", "team/app@sha256:abc"})
  void manifest_whenReferenceMalformed_errorsBeforeAnyRequest(String reference) {
    expectErrorWithoutRequest(() -> client.manifest(reference), InvalidReferenceException.class);
  }

  @Test
  void metadata_whenReferenceNamesAnotherRegistry_errorsNamingBothHosts() {
    StepVerifier.create(client.metadata("registry.example.com/team/app:v1"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(InvalidReferenceException.class)
                    .hasMessageContaining("registry.example.com")
                    .hasMessageContaining(registry.host()))
        .verify(VERIFY_TIMEOUT);
    StepVerifier.create(client.manifest("localhost:1/team/app:v1"))
        .expectError(InvalidReferenceException.class)
        .verify(VERIFY_TIMEOUT);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void metadataAndManifest_whenReferenceNull_errorWithNullPointerNamingIt() {
    expectNullArgument(() -> client.metadata((String) null), "reference");
    expectNullArgument(() -> client.manifest((String) null), "reference");
  }

  @Test
  void tags_whenRepositoryNull_errorWithNullPointerNamingIt() {
    expectNullArgument(() -> client.tags(null), "repository");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 10_001})
  void listings_whenPageSizeOutOfRange_errorBeforeAnyRequest(int pageSize) {
    expectErrorWithoutRequest(() -> client.catalog(pageSize), IllegalArgumentException.class);
    expectErrorWithoutRequest(
        () -> client.tags("team/app", pageSize), IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1",
        "latest",
        "sha256:abc",
        "md5",
        ":",
        "sha256:g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      })
  void deleteManifest_whenDigestMalformedOrTag_errorsBeforeAnyRequest(String digest) {
    expectErrorWithoutRequest(
        () -> client.deleteManifest("team/app", digest), InvalidReferenceException.class);
  }

  @Test
  void deleteManifest_whenArgumentsNullOrRepositoryMalformed_errorsBeforeAnyRequest() {
    expectNullArgument(() -> client.deleteManifest(null, DIGEST), "repository");
    expectNullArgument(() -> client.deleteManifest("team/app", null), "digest");
    expectNullArgument(() -> client.delete(null), "metadata");
    expectErrorWithoutRequest(
        () -> client.deleteManifest("Team/App", DIGEST), InvalidReferenceException.class);
    ImageMetadata byTag = new ImageMetadata("team/app", Optional.of("v1"), "v1", OCI_MANIFEST, 1);
    expectErrorWithoutRequest(() -> client.delete(byTag), InvalidReferenceException.class);
  }

  @Test
  void blob_whenArgumentsInvalid_errorsBeforeAnyRequest() {
    expectErrorWithoutRequest(() -> client.blob("team/app", "v1"), InvalidReferenceException.class);
    expectErrorWithoutRequest(() -> client.blob("Team", DIGEST), InvalidReferenceException.class);
    expectNullArgument(() -> client.blob("team/app", null), "digest");
    expectNullArgument(() -> client.blob(null, DIGEST), "repository");
  }

  @Test
  void pushBlob_whenArgumentsInvalid_errorsBeforeAnyRequest() {
    expectNullArgument(() -> client.pushBlob("team/app", null), "content");
    expectNullArgument(() -> client.pushBlob(null, BYTES), "repository");
    expectErrorWithoutRequest(
        () -> client.pushBlob("team/App", BYTES), InvalidReferenceException.class);
  }

  @Test
  void pushManifest_whenArgumentsInvalid_errorsBeforeAnyRequest() {
    expectNullArgument(() -> client.pushManifest("team/app", null, BYTES, OCI_MANIFEST), "tag");
    expectNullArgument(() -> client.pushManifest(null, "v1", BYTES, OCI_MANIFEST), "repository");
    expectNullArgument(() -> client.pushManifest("team/app", "v1", null, OCI_MANIFEST), "manifest");
    expectNullArgument(() -> client.pushManifest("team/app", "v1", BYTES, null), "mediaType");
    expectErrorWithoutRequest(
        () -> client.pushManifest("team/app", "-v1", BYTES, OCI_MANIFEST),
        InvalidReferenceException.class);
    expectErrorWithoutRequest(
        () -> client.pushManifest("team/app", "sha256:abc", BYTES, OCI_MANIFEST),
        InvalidReferenceException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://registry.example.com",
        "http://",
        "http:///v2",
        "https://registry.example.com/?x=1",
        "https://registry.example.com/#top",
        "not a url",
        ""
      })
  void builder_whenBaseUrlInvalid_rejectsIt(String baseUrl) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ReactiveRegistryClient.builder().baseUrl(baseUrl));
  }

  @Test
  void builder_whenBaseUrlCarriesCredentials_rejectsItWithoutEchoingThem() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                ReactiveRegistryClient.builder().baseUrl("https://ci:hunter2@registry.example.com"))
        .withMessageContaining("credentials")
        .withMessageNotContaining("hunter2");
  }

  @Test
  void builder_whenOptionsInvalid_rejectsThem() {
    ReactiveRegistryClient.Builder builder = ReactiveRegistryClient.builder();
    assertThatIllegalStateException().isThrownBy(builder::build);
    assertThatNullPointerException().isThrownBy(() -> builder.baseUrl((String) null));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.responseTimeout(Duration.ZERO));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.maxConcurrentRequests(0));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.maxManifestBytes(1023));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.maxListPageBytes(0));
  }

  @Test
  void builder_whenBaseUrlHasPathPrefix_keepsIt() {
    try (ReactiveRegistryClient prefixed =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl() + "/mirror/")
            .retry(RetryOptions.disabled())
            .build()) {
      assertThat(prefixed.registryHost()).isEqualTo(registry.host());
      StepVerifier.create(prefixed.tags("team/app"))
          .expectError(NotFoundException.class)
          .verify(VERIFY_TIMEOUT);
    }

    assertThat(registry.getAllServeEvents())
        .singleElement()
        .satisfies(
            event ->
                assertThat(event.getRequest().getUrl()).isEqualTo("/mirror/v2/team/app/tags/list"));
  }

  private void expectErrorWithoutRequest(
      Supplier<Publisher<?>> call, Class<? extends Throwable> type) {
    Publisher<?> publisher = assertAssemblesWithoutThrowing(call);
    StepVerifier.create(publisher).expectError(type).verify(VERIFY_TIMEOUT);
    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  private void expectNullArgument(Supplier<Publisher<?>> call, String name) {
    Publisher<?> publisher = assertAssemblesWithoutThrowing(call);
    StepVerifier.create(publisher)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("'" + name + "'"))
        .verify(VERIFY_TIMEOUT);
    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  private static Publisher<?> assertAssemblesWithoutThrowing(Supplier<Publisher<?>> call) {
    Publisher<?>[] publisher = new Publisher<?>[1];
    assertThatCode(() -> publisher[0] = call.get())
        .as("errors are signalled, not thrown")
        .doesNotThrowAnyException();
    return publisher[0];
  }
}
