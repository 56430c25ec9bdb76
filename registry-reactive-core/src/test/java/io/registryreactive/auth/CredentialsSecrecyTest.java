package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.base64;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.bearerChallenge;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.testkit.StubRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** No secret shows in toString() or exception messages; docker config credentials are used. */
class CredentialsSecrecyTest {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  @RegisterExtension static final StubRegistry tokenServer = RegistryStubs.newServer();

  private static final String BEARER_TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-bearer-token";
  private static final String IDENTITY_TOKEN = "idt-0a1b2c3d-refresh-secret";

  private ReactiveRegistryClient client(RegistryCredentials credentials) {
    return registry.client(credentials);
  }

  private Path writeDockerConfig(Path dir, String registryKey, String user, String password)
      throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"auths\":{\""
            + registryKey
            + "\":{\"auth\":\""
            + base64(user + ":" + password)
            + "\"}}}",
        StandardCharsets.UTF_8);
    return config;
  }

  /** Checks message and toString of the exception and of every cause. */
  private static void assertNoSecret(Throwable e, String... secrets) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String secret : secrets) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
        assertThat(t.toString()).doesNotContain(secret);
      }
      if (t instanceof RegistryResponseException r) {
        for (String secret : secrets) {
          assertThat(r.url()).doesNotContain(secret);
          assertThat(r.bodyExcerpt()).doesNotContain(secret);
        }
      }
    }
  }

  @Test
  void toString_ofBasicCredentials_hidesPassword() {
    String s = RegistryCredentials.basic(USER, PASSWORD).toString();

    assertThat(s)
        .contains(USER)
        .doesNotContain(PASSWORD)
        .doesNotContain(base64(USER + ":" + PASSWORD));
  }

  @Test
  void toString_ofIdentityToken_hidesToken() {
    assertThat(RegistryCredentials.identityToken(IDENTITY_TOKEN).toString())
        .doesNotContain(IDENTITY_TOKEN);
  }

  @Test
  void toString_ofDockerConfigCredentialsAndClient_afterUse_hideStoredSecret(@TempDir Path dir)
      throws IOException {
    Path config = writeDockerConfig(dir, "127.0.0.1:" + registry.getPort(), USER, PASSWORD);
    stubChallenge(registry, "Basic realm=\"Registry\"");
    stubEndpoints(registry, basicHeader(USER, PASSWORD));
    RegistryCredentials credentials = RegistryCredentials.dockerConfig(config);
    ReactiveRegistryClient client = client(credentials);
    StepVerifier.create(client.checkAuth()).expectComplete().verify(TIMEOUT);

    for (String s : List.of(credentials.toString(), client.toString())) {
      assertThat(s).doesNotContain(PASSWORD).doesNotContain(base64(USER + ":" + PASSWORD));
    }
  }

  @Test
  void toString_ofClientWithBasicCredentials_hidesPassword() {
    ReactiveRegistryClient client = client(RegistryCredentials.basic(USER, PASSWORD));

    assertThat(client.toString())
        .doesNotContain(PASSWORD)
        .doesNotContain(base64(USER + ":" + PASSWORD));
  }

  @Test
  void checkAuth_whenBasicCredentialsRefused_exceptionShowsNeitherPasswordNorHeader() {
    stubChallenge(registry, "Basic realm=\"Registry\"");

    StepVerifier.create(client(RegistryCredentials.basic(USER, PASSWORD)).checkAuth())
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(AuthenticationException.class);
              assertNoSecret(e, PASSWORD, base64(USER + ":" + PASSWORD));
            })
        .verify(TIMEOUT);
  }

  @Test
  void tags_whenBearerTokenRefused_exceptionShowsNeitherTokenNorPassword() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubTokenGet(tokenServer, BEARER_TOKEN);

    StepVerifier.create(client(RegistryCredentials.basic(USER, PASSWORD)).tags(REPO))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(AuthenticationException.class);
              assertNoSecret(e, BEARER_TOKEN, PASSWORD, base64(USER + ":" + PASSWORD));
            })
        .verify(TIMEOUT);
    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .as("the token was really sent, so the message had a chance to leak it")
        .anyMatch(r -> ("Bearer " + BEARER_TOKEN).equals(r.getHeader("Authorization")));
  }

  @Test
  void tags_withIdentityTokenRefusedByTokenServer_exceptionShowsNoIdentityToken() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    tokenServer.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token expired\"}")));

    StepVerifier.create(client(RegistryCredentials.identityToken(IDENTITY_TOKEN)).tags(REPO))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(AuthenticationException.class);
              assertNoSecret(e, IDENTITY_TOKEN);
            })
        .verify(TIMEOUT);
  }

  @Test
  void checkAuth_withDockerConfigAuth_sendsTheStoredCredentials(@TempDir Path dir)
      throws IOException {
    Path config =
        writeDockerConfig(dir, "127.0.0.1:" + registry.getPort(), "config-user", "config-pass");
    stubChallenge(registry, "Basic realm=\"Registry\"");
    stubEndpoints(registry, basicHeader("config-user", "config-pass"));

    StepVerifier.create(client(RegistryCredentials.dockerConfig(config)).checkAuth())
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .anyMatch(
            r -> basicHeader("config-user", "config-pass").equals(r.getHeader("Authorization")));
  }

  @Test
  void checkAuth_withDockerConfigForAnotherRegistry_staysAnonymous(@TempDir Path dir)
      throws IOException {
    Path config = writeDockerConfig(dir, "registry.example.com", "config-user", "config-pass");
    stubChallenge(registry, "Basic realm=\"Registry\"");
    stubEndpoints(registry, basicHeader("config-user", "config-pass"));

    StepVerifier.create(client(RegistryCredentials.dockerConfig(config)).checkAuth())
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);

    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .hasSize(1)
        .noneMatch(r -> r.containsHeader("Authorization"));
  }
}
