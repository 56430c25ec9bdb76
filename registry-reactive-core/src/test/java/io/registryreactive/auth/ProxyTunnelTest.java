package io.registryreactive.auth;

import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.base64;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.registryreactive.ProxyOptions;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ConnectProxy;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Through an HTTP proxy: every connection is a CONNECT tunnel whose CONNECT request carries no
 * registry credentials; NO_PROXY sends listed hosts direct.
 */
class ProxyTunnelTest {

  @RegisterExtension static final WireMockExtension registry = RegistryStubs.httpAndHttpsServer();

  private ConnectProxy proxy;

  @BeforeEach
  void startProxy() throws Exception {
    proxy = new ConnectProxy();
    stubChallenge(registry, "Basic realm=\"r\"");
    stubEndpoints(registry, basicHeader(USER, PASSWORD));
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private static ReactiveRegistryClient client(String baseUrl, ProxyOptions proxyOptions) {
    return ReactiveRegistryClient.builder()
        .baseUrl(baseUrl)
        .insecureTls(true)
        .proxy(proxyOptions)
        .credentials(RegistryCredentials.basic(USER, PASSWORD))
        .build();
  }

  private void assertNoCredentialsInConnectRequests() {
    assertThat(proxy.connectRequests())
        .isNotEmpty()
        .allSatisfy(
            head ->
                assertThat(head)
                    .doesNotContainIgnoringCase("authorization")
                    .doesNotContain(base64(USER + ":" + PASSWORD))
                    .doesNotContain(PASSWORD));
  }

  @Test
  void httpsRegistry_fromEnvironment_tunnelsAndKeepsCredentialsInsideTheTunnel() {
    String hostPort = "127.0.0.1:" + registry.getHttpsPort();
    ProxyOptions options = ProxyOptions.fromEnvironment(Map.of("https_proxy", proxy.url()));
    try (ReactiveRegistryClient c = client("https://" + hostPort, options)) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
    assertThat(proxy.connectRequests())
        .allSatisfy(head -> assertThat(head).startsWith("CONNECT " + hostPort + " "));
    assertNoCredentialsInConnectRequests();
    assertThat(proxy.otherRequests()).isEmpty();
    // Inside the tunnel the proxy sees only TLS: not even the header name.
    assertThat(proxy.tunnelUploads()).noneMatch(t -> t.contains("Authorization"));
    registry.verify(
        WireMock.getRequestedFor(WireMock.urlPathMatching("/v2/.+/tags/list"))
            .withHeader("Authorization", WireMock.equalTo(basicHeader(USER, PASSWORD))));
  }

  @Test
  void httpRegistry_tunnelsToo_butThePlainRequestInsideIsReadableByTheProxy() {
    String hostPort = "127.0.0.1:" + registry.getPort();
    ProxyOptions options =
        ProxyOptions.fromEnvironment(
            Map.of("HTTP_PROXY", proxy.url(), "HTTPS_PROXY", "http://127.0.0.1:9"));
    try (ReactiveRegistryClient c = client("http://" + hostPort, options)) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
    assertNoCredentialsInConnectRequests();
    // What the README says: plain http through a proxy exposes the header to the proxy.
    assertThat(String.join("", proxy.tunnelUploads()))
        .containsIgnoringCase("Authorization: " + basicHeader(USER, PASSWORD));
  }

  @Test
  void noProxy_sendsListedHostsDirect() {
    for (String noProxy :
        new String[] {
          "127.0.0.1", "127.0.0.0/8", "example.com,127.0.0.1:" + registry.getPort(), "*"
        }) {
      ProxyOptions options =
          ProxyOptions.fromEnvironment(Map.of("HTTP_PROXY", proxy.url(), "no_proxy", noProxy));
      try (ReactiveRegistryClient c = client("http://127.0.0.1:" + registry.getPort(), options)) {
        StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
      }
    }
    assertThat(proxy.connections()).isZero();
  }

  @Test
  void noProxy_notMatching_stillProxies() {
    ProxyOptions options =
        ProxyOptions.fromEnvironment(
            Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "localhost,10.0.0.0/8,127.0.0.1:1"));
    try (ReactiveRegistryClient c = client("http://127.0.0.1:" + registry.getPort(), options)) {
      StepVerifier.create(c.tags(REPO)).expectNext("v1", "v2").verifyComplete();
    }
    assertThat(proxy.connectRequests()).isNotEmpty();
  }
}
