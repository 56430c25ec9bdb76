package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.SERVICE;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Credentials go to a token realm only over https, or over http when the registry is plain http on
 * the same host; otherwise the token request is never sent.
 */
class TokenRealmPolicyTest {

  @RegisterExtension
  static final WireMockExtension registry =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
          .build();

  @RegisterExtension
  static final WireMockExtension tokenServer =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
          .build();

  private static void challengeWithRealm(String realm) {
    registry.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer realm=\"" + realm + "\",service=\"" + SERVICE + "\"")));
  }

  private static ReactiveRegistryClient client(String baseUrl) {
    return ReactiveRegistryClient.builder()
        .baseUrl(baseUrl)
        .insecureTls(true)
        .credentials(RegistryCredentials.basic(USER, PASSWORD))
        .build();
  }

  @Test
  void httpsRegistryWithHttpRealm_whenCredentialsAreSet_failsAndSendsNothingToTheRealm() {
    challengeWithRealm("http://127.0.0.1:" + tokenServer.getPort() + "/token");
    stubTokenGet(tokenServer, "t");
    try (ReactiveRegistryClient c = client("https://127.0.0.1:" + registry.getHttpsPort())) {
      StepVerifier.create(c.tags(REPO))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(AuthenticationException.class)
                      .hasMessageContaining(
                          "refusing to send credentials to the token realm http://127.0.0.1:"
                              + tokenServer.getPort())
                      .hasMessageContaining("the registry itself uses https")
                      .hasMessageNotContaining(PASSWORD))
          .verify(TIMEOUT);
    }
    assertThat(tokenServer.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void httpRegistryWithHttpRealmOnAnotherHost_isRefused() {
    // 127.0.0.1 and localhost are the same machine but not the same host name: the rule compares
    // names.
    challengeWithRealm("http://localhost:" + tokenServer.getPort() + "/token");
    stubTokenGet(tokenServer, "t");
    try (ReactiveRegistryClient c = client("http://127.0.0.1:" + registry.getPort())) {
      StepVerifier.create(c.tags(REPO))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(AuthenticationException.class)
                      .hasMessageContaining("on another host than the registry"))
          .verify(TIMEOUT);
    }
    assertThat(tokenServer.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void httpRegistryWithHttpRealmOnTheSameHost_getsAToken() {
    challengeWithRealm("http://127.0.0.1:" + tokenServer.getPort() + "/token");
    stubTokenGet(tokenServer, "tok-same-host");
    stubEndpoints(registry, "Bearer tok-same-host");
    try (ReactiveRegistryClient c = client("http://127.0.0.1:" + registry.getPort())) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
    assertThat(tokenServer.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
  }

  @Test
  void httpsRegistryWithHttpsRealmOnAnotherHost_getsAToken() {
    challengeWithRealm("https://localhost:" + tokenServer.getHttpsPort() + "/token");
    stubTokenGet(tokenServer, "tok-cross-host");
    stubEndpoints(registry, "Bearer tok-cross-host");
    try (ReactiveRegistryClient c = client("https://127.0.0.1:" + registry.getHttpsPort())) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
    assertThat(tokenServer.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
  }

  @Test
  void anonymousClient_mayFetchAnonymousTokensFromAnHttpRealm() {
    // Nothing secret goes out, so nothing is refused.
    challengeWithRealm("http://localhost:" + tokenServer.getPort() + "/token");
    stubTokenGet(tokenServer, "tok-anon");
    stubEndpoints(registry, "Bearer tok-anon");
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder()
            .baseUrl("https://127.0.0.1:" + registry.getHttpsPort())
            .insecureTls(true)
            .build()) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
  }
}
