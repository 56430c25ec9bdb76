package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.bearerChallenge;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static io.registryreactive.testkit.Failures.failure;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.AuthenticationException;
import io.registryreactive.DigestMismatchException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.testkit.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** Blob downloads redirected to storage: credentials stay with the registry's own origin. */
class RedirectAuthTest {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  /** Object storage, on another port and therefore another origin. */
  @RegisterExtension static final StubRegistry storage = RegistryStubs.newServer();

  private static final byte[] CONFIG =
      "{\"created\":\"2024-05-01T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
  private static final String CONFIG_DIGEST = sha256(CONFIG);
  private static final String BLOB_PATH = "/v2/" + REPO + "/blobs/" + CONFIG_DIGEST;

  private ReactiveRegistryClient client(RegistryCredentials credentials) {
    return registry.client(credentials);
  }

  /** Downloads the config blob with these credentials and expects exactly its bytes. */
  private void expectConfigBlob(RegistryCredentials credentials) {
    StepVerifier.create(client(credentials).blob(REPO, CONFIG_DIGEST))
        .assertNext(bytes -> assertThat(bytes).isEqualTo(CONFIG))
        .expectComplete()
        .verify(TIMEOUT);
  }

  /** Basic-auth registry whose blob GET (with credentials) redirects to {@code location}. */
  private void stubBasicRegistryRedirectingTo(String location) {
    stubChallenge(registry, "Basic realm=\"Registry\"");
    registry.stubFor(
        get(urlPathEqualTo(BLOB_PATH))
            .atPriority(1)
            .withHeader("Authorization", equalTo(basicHeader(USER, PASSWORD)))
            .willReturn(aResponse().withStatus(307).withHeader("Location", location)));
  }

  private void stubStorage(byte[] body) {
    storage.stubFor(
        get(urlPathEqualTo("/storage/blob"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/octet-stream")
                    .withBody(body)));
  }

  @Test
  void blob_whenRedirectedToAnotherOrigin_sendsNoAuthorizationThereAndReturnsVerifiedBody() {
    stubBasicRegistryRedirectingTo(storage.baseUrl() + "/storage/blob?X-Amz-Signature=abc123");
    stubStorage(CONFIG);

    expectConfigBlob(RegistryCredentials.basic(USER, PASSWORD));

    List<LoggedRequest> storageRequests = storage.findAll(anyRequestedFor(anyUrl()));
    assertThat(storageRequests)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.containsHeader("Authorization")).isFalse();
              assertThat(r.queryParameter("X-Amz-Signature").values()).containsExactly("abc123");
            });
  }

  @Test
  void blob_whenStorageOnAnotherOriginChallenges_neverSendsItCredentials() {
    stubBasicRegistryRedirectingTo(storage.baseUrl() + "/storage/blob");
    storage.stubFor(
        get(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("WWW-Authenticate", "Basic realm=\"storage\"")));
    ReactiveRegistryClient client = client(RegistryCredentials.basic(USER, PASSWORD));

    StepVerifier.create(client.blob(REPO, CONFIG_DIGEST))
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);
    StepVerifier.create(client.blob(REPO, CONFIG_DIGEST))
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);

    assertThat(storage.findAll(anyRequestedFor(anyUrl())))
        .hasSize(2)
        .noneMatch(r -> r.containsHeader("Authorization"));
    assertThat(registry.findAll(getRequestedFor(urlPathEqualTo(BLOB_PATH))))
        .as("the storage's challenge did not replace what the registry asked for")
        .filteredOn(r -> basicHeader(USER, PASSWORD).equals(r.getHeader("Authorization")))
        .hasSize(2);
  }

  @Test
  void blob_whenStorageServesOtherBytes_failsWithDigestMismatch() {
    stubBasicRegistryRedirectingTo(storage.baseUrl() + "/storage/blob");
    stubStorage("tampered".getBytes(StandardCharsets.UTF_8));

    StepVerifier.create(client(RegistryCredentials.basic(USER, PASSWORD)).blob(REPO, CONFIG_DIGEST))
        .expectError(DigestMismatchException.class)
        .verify(TIMEOUT);
  }

  @Test
  void blob_withBearerTokenRedirectedToTheTokenServersOrigin_sendsNoAuthorizationThere() {
    // Storage and token service share an origin; only the token request may carry credentials.
    stubChallenge(registry, bearerChallenge(storage));
    stubTokenGet(storage, "tok-1");
    registry.stubFor(
        get(urlPathEqualTo(BLOB_PATH))
            .atPriority(1)
            .withHeader("Authorization", equalTo("Bearer tok-1"))
            .willReturn(
                aResponse()
                    .withStatus(307)
                    .withHeader("Location", storage.baseUrl() + "/storage/blob")));
    stubStorage(CONFIG);

    expectConfigBlob(RegistryCredentials.basic(USER, PASSWORD));

    assertThat(storage.findAll(getRequestedFor(urlPathEqualTo("/storage/blob"))))
        .singleElement()
        .satisfies(r -> assertThat(r.containsHeader("Authorization")).isFalse());
  }

  @Test
  void blob_whenRedirectedWithinTheRegistryOrigin_keepsAuthorization() {
    stubBasicRegistryRedirectingTo("/mirror/blob-data");
    registry.stubFor(
        get(urlPathEqualTo("/mirror/blob-data"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(basicHeader(USER, PASSWORD)))
            .willReturn(aResponse().withStatus(200).withBody(CONFIG)));

    expectConfigBlob(RegistryCredentials.basic(USER, PASSWORD));

    // Sent up front: a hop that had to be challenged again would show a request without it.
    assertThat(registry.findAll(getRequestedFor(urlPathEqualTo("/mirror/blob-data"))))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getHeader("Authorization")).isEqualTo(basicHeader(USER, PASSWORD)));
  }

  /**
   * An anonymous registry whose blob GET starts a chain of {@code redirects} 302s ending in the
   * blob.
   */
  private void stubRedirectChain(int redirects) {
    registry.stubFor(
        get(urlPathEqualTo(BLOB_PATH))
            .willReturn(aResponse().withStatus(302).withHeader("Location", "/hop/1")));
    for (int i = 1; i < redirects; i++) {
      registry.stubFor(
          get(urlPathEqualTo("/hop/" + i))
              .willReturn(aResponse().withStatus(302).withHeader("Location", "/hop/" + (i + 1))));
    }
    registry.stubFor(
        get(urlPathEqualTo("/hop/" + redirects))
            .willReturn(aResponse().withStatus(200).withBody(CONFIG)));
  }

  @Test
  void blob_afterFiveRedirects_returnsTheBlob() {
    stubRedirectChain(5);

    expectConfigBlob(RegistryCredentials.anonymous());
  }

  @Test
  void blob_whenRedirectedMoreThanFiveTimes_failsWithRegistryProtocolException() {
    stubRedirectChain(6);

    assertThat(
            failure(
                client(RegistryCredentials.anonymous()).blob(REPO, CONFIG_DIGEST),
                RegistryProtocolException.class,
                TIMEOUT))
        .hasMessageContaining("redirects");

    assertThat(registry.getAllServeEvents()).hasSize(6);
  }
}
