package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.SERVICE;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static io.registryreactive.testkit.Failures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * Credentials go to a token realm only over https, or over http when the registry is plain http on
 * the same host; otherwise the token request is never sent.
 */
class TokenRealmPolicyTest {

  @RegisterExtension static final WireMockExtension registry = RegistryStubs.httpAndHttpsServer();

  @RegisterExtension
  static final WireMockExtension tokenServer = RegistryStubs.httpAndHttpsServer();

  private static void challengeWithRealm(String realm) {
    stubChallenge(registry, "Bearer realm=\"" + realm + "\",service=\"" + SERVICE + "\"");
  }

  private static ReactiveRegistryClient client(String baseUrl) {
    return ReactiveRegistryClient.builder()
        .baseUrl(baseUrl)
        .insecureTls(true)
        .credentials(RegistryCredentials.basic(USER, PASSWORD))
        .build();
  }

  /**
   * Lists tags through a registry at {@code registryUrl} that names {@code realm}: the failure,
   * once it is checked that the token server saw no request at all.
   */
  private static AuthenticationException refusal(String registryUrl, String realm) {
    challengeWithRealm(realm);
    stubTokenGet(tokenServer, "t");
    AuthenticationException refused;
    try (ReactiveRegistryClient c = client(registryUrl)) {
      refused = failure(c.tags(REPO), AuthenticationException.class, TIMEOUT);
    }
    assertThat(tokenServer.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    return refused;
  }

  @Test
  void httpsRegistryWithHttpRealm_whenCredentialsAreSet_failsAndSendsNothingToTheRealm() {
    String realm = "http://127.0.0.1:" + tokenServer.getPort() + "/token";
    assertThat(refusal("https://127.0.0.1:" + registry.getHttpsPort(), realm))
        .hasMessageContaining(
            "refusing to send credentials to the token realm http://127.0.0.1:"
                + tokenServer.getPort())
        .hasMessageContaining("the registry itself uses https")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void httpRegistryWithHttpRealmOnAnotherHost_isRefused() {
    // 127.0.0.1 and localhost are the same machine but not the same host name: the rule compares
    // names.
    String realm = "http://localhost:" + tokenServer.getPort() + "/token";
    assertThat(refusal("http://127.0.0.1:" + registry.getPort(), realm))
        .hasMessageContaining("on another host than the registry");
  }

  /**
   * Realms that credentials may go to: (registry URL, realm URL); ports are known only once the
   * servers run.
   */
  static Stream<Arguments> allowedRealms() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<String>>of(
                "http registry, http realm on the same host",
                () -> "http://127.0.0.1:" + registry.getPort()),
            (Supplier<String>) () -> "http://127.0.0.1:" + tokenServer.getPort() + "/token"),
        Arguments.of(
            Named.<Supplier<String>>of(
                "https registry, https realm on another host",
                () -> "https://127.0.0.1:" + registry.getHttpsPort()),
            (Supplier<String>) () -> "https://localhost:" + tokenServer.getHttpsPort() + "/token"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowedRealms")
  void allowedRealm_getsAToken(Supplier<String> registryUrl, Supplier<String> realm) {
    challengeWithRealm(realm.get());
    stubTokenGet(tokenServer, "tok-allowed");
    stubEndpoints(registry, "Bearer tok-allowed");
    try (ReactiveRegistryClient c = client(registryUrl.get())) {
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
