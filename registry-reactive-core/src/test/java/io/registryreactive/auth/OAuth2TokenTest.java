package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.auth.RegistryStubs.MANIFEST_DIGEST;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.SERVICE;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.base64;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.bearerChallenge;
import static io.registryreactive.auth.RegistryStubs.clientFor;
import static io.registryreactive.auth.RegistryStubs.form;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.StubRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** The OAuth2 variant of token auth: POSTed forms for identity tokens and the password grant. */
class OAuth2TokenTest {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  @RegisterExtension static final StubRegistry tokenServer = RegistryStubs.newServer();

  private static final String IDENTITY_TOKEN = "idt-9f8e7d6c-refresh";
  private static final String ACCESS_TOKEN = "oauth-access-1";

  private ReactiveRegistryClient client(ReactiveRegistryClient.Builder builder) {
    return registry.closeAfterTest(builder.build());
  }

  private void stubOAuth2TokenServer() {
    tokenServer.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                okJson(
                    "{\"access_token\":\""
                        + ACCESS_TOKEN
                        + "\",\"expires_in\":300,\"scope\":\"\"}")));
  }

  private static void verifyMetadata(ReactiveRegistryClient client) {
    StepVerifier.create(client.metadata(REPO + ":v1"))
        .assertNext(m -> assertThat(m.digest()).isEqualTo(MANIFEST_DIGEST))
        .expectComplete()
        .verify(TIMEOUT);
  }

  private List<LoggedRequest> tokenPosts() {
    return tokenServer.findAll(postRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void metadata_withIdentityToken_postsRefreshTokenGrant() {
    stubChallenge(registry, bearerChallenge(tokenServer, "repository:team/app:pull"));
    stubEndpoints(registry, "Bearer " + ACCESS_TOKEN);
    stubOAuth2TokenServer();

    verifyMetadata(client(clientFor(registry, RegistryCredentials.identityToken(IDENTITY_TOKEN))));

    assertThat(tokenServer.findAll(getRequestedFor(anyUrl()))).isEmpty();
    assertThat(tokenPosts())
        .singleElement()
        .satisfies(
            post -> {
              assertThat(post.getHeader("Content-Type"))
                  .startsWith("application/x-www-form-urlencoded");
              Map<String, List<String>> form = form(post);
              assertThat(form.get("grant_type")).containsExactly("refresh_token");
              assertThat(form.get("refresh_token")).containsExactly(IDENTITY_TOKEN);
              assertThat(form.get("service")).containsExactly(SERVICE);
              assertThat(form.get("scope")).containsExactly("repository:team/app:pull");
              assertThat(form.get("client_id")).singleElement().asString().isNotBlank();
              assertThat(form).doesNotContainKey("password");
            });
  }

  @Test
  void metadata_withIdentityTokenAndChallengeNamingAnotherScope_sendsScopesSpaceSeparated() {
    // insufficient_scope challenges may name more access than this request needs; ask for both.
    stubChallenge(
        registry,
        bearerChallenge(tokenServer, "repository:team/other:pull")
            + ",error=\"insufficient_scope\"");
    stubEndpoints(registry, "Bearer " + ACCESS_TOKEN);
    stubOAuth2TokenServer();

    verifyMetadata(client(clientFor(registry, RegistryCredentials.identityToken(IDENTITY_TOKEN))));

    Map<String, List<String>> form = form(tokenPosts().get(0));
    assertThat(form.get("scope")).hasSize(1);
    assertThat(form.get("scope").get(0).split(" "))
        .containsExactlyInAnyOrder("repository:team/app:pull", "repository:team/other:pull");
  }

  @Test
  void metadata_withIdentityToken_neverSendsItToTheRegistry() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubEndpoints(registry, "Bearer " + ACCESS_TOKEN);
    stubOAuth2TokenServer();

    verifyMetadata(client(clientFor(registry, RegistryCredentials.identityToken(IDENTITY_TOKEN))));

    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .noneMatch(
            r ->
                r.getAllHeaderKeys().stream()
                    .anyMatch(k -> String.valueOf(r.getHeader(k)).contains(IDENTITY_TOKEN)))
        .noneMatch(r -> r.getUrl().contains(IDENTITY_TOKEN));
    assertThat(tokenPosts())
        .singleElement()
        .satisfies(p -> assertThat(p.containsHeader("Authorization")).isFalse());
  }

  @Test
  void metadata_withPasswordGrant_postsPasswordGrant() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubEndpoints(registry, "Bearer " + ACCESS_TOKEN);
    stubOAuth2TokenServer();

    verifyMetadata(
        client(
            clientFor(registry, RegistryCredentials.basic(USER, PASSWORD))
                .oauth2PasswordGrant(true)));

    assertThat(tokenServer.findAll(getRequestedFor(anyUrl()))).isEmpty();
    Map<String, List<String>> form = form(tokenPosts().get(0));
    assertThat(form.get("grant_type")).containsExactly("password");
    assertThat(form.get("username")).containsExactly(USER);
    assertThat(form.get("password")).containsExactly(PASSWORD);
    assertThat(form.get("service")).containsExactly(SERVICE);
    assertThat(form.get("scope")).containsExactly("repository:team/app:pull");
    assertThat(form.get("client_id")).singleElement().asString().isNotBlank();
  }

  @Test
  void metadata_withPasswordGrantAndPostAnswered404_fallsBackToGetWithBasic() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubEndpoints(registry, "Bearer tok-get");
    tokenServer.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "text/plain")
                    .withBody("404 page not found")));
    stubTokenGet(tokenServer, "tok-get");

    verifyMetadata(
        client(
            clientFor(registry, RegistryCredentials.basic(USER, PASSWORD))
                .oauth2PasswordGrant(true)));

    assertThat(tokenPosts()).hasSize(1);
    List<LoggedRequest> gets = tokenServer.findAll(getRequestedFor(urlPathEqualTo("/token")));
    assertThat(gets)
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.getHeader("Authorization")).isEqualTo(basicHeader(USER, PASSWORD));
              assertThat(g.queryParameter("service").values()).containsExactly(SERVICE);
              assertThat(g.queryParameter("scope").values())
                  .containsExactly("repository:team/app:pull");
            });
  }

  @Test
  void metadata_withDockerConfigIdentityToken_postsRefreshTokenGrant(@TempDir Path dir)
      throws IOException {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubEndpoints(registry, "Bearer " + ACCESS_TOKEN);
    stubOAuth2TokenServer();
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"auths\":{\"127.0.0.1:"
            + registry.getPort()
            + "\":{"
            + "\"auth\":\""
            + base64("<token>:")
            + "\",\"identitytoken\":\""
            + IDENTITY_TOKEN
            + "\"}}}",
        StandardCharsets.UTF_8);

    verifyMetadata(client(clientFor(registry, RegistryCredentials.dockerConfig(config))));

    Map<String, List<String>> form = form(tokenPosts().get(0));
    assertThat(form.get("grant_type")).containsExactly("refresh_token");
    assertThat(form.get("refresh_token")).containsExactly(IDENTITY_TOKEN);
  }
}
