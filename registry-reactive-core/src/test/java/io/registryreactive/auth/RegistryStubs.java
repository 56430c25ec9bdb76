package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.StubRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Constants and WireMock stubs shared by the auth tests (the server and its clients are a {@link
 * StubRegistry}): a registry that challenges anonymous requests and serves the endpoints the client
 * calls once the right {@code Authorization} arrives.
 */
final class RegistryStubs {
  static final String USER = "ci-bot";
  static final String PASSWORD = "pa55-W0rd-s3cret";
  static final String SERVICE = "test-registry";
  static final String REPO = "team/app";
  static final String MANIFEST_DIGEST = "sha256:" + "ab".repeat(32);
  static final String UNAUTHORIZED_BODY =
      StubRegistry.errorBody("UNAUTHORIZED", "authentication required");
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private RegistryStubs() {}

  /**
   * A stub registry (or token server) whose clients have short timeouts and the default retries.
   */
  static StubRegistry newServer() {
    return StubRegistry.create(
        b -> b.connectTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(5)));
  }

  static ReactiveRegistryClient.Builder clientFor(
      StubRegistry registry, RegistryCredentials credentials) {
    return registry.builder(b -> b.credentials(credentials));
  }

  static String basicHeader(String user, String password) {
    return "Basic " + base64(user + ":" + password);
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code Bearer realm=".../token",service="test-registry"}, without a scope parameter. */
  static String bearerChallenge(WireMockExtension tokenServer) {
    return "Bearer realm=\"http://127.0.0.1:"
        + tokenServer.getPort()
        + "/token\",service=\""
        + SERVICE
        + "\"";
  }

  static String bearerChallenge(WireMockExtension tokenServer, String scope) {
    return bearerChallenge(tokenServer) + ",scope=\"" + scope + "\"";
  }

  /**
   * Every request that no higher-priority stub matches gets a 401 with these challenges, one {@code
   * WWW-Authenticate} header each.
   */
  static void stubChallenge(WireMockExtension registry, String... challenges) {
    registry.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(
                answer(401, "application/json", UNAUTHORIZED_BODY)
                    .withHeader("WWW-Authenticate", challenges)));
  }

  /** A response with this status, {@code Content-Type} and body. */
  static ResponseDefinitionBuilder answer(int status, String contentType, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
  }

  /**
   * A response whose body is a WireMock template (e.g. {@code {{request.headers.Authorization}}}),
   * for servers that echo the request back; the server must have templating enabled.
   */
  static ResponseDefinitionBuilder echo(int status, String contentType, String template) {
    return answer(status, contentType, template).withTransformers("response-template");
  }

  /** A WireMock server on 127.0.0.1 with an http and an https port (self-signed). */
  static WireMockExtension httpAndHttpsServer() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
        .build();
  }

  /** A WireMock server on 127.0.0.1 that renders {@link #echo} templates. */
  static WireMockExtension echoingServer() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").templatingEnabled(true))
        .build();
  }

  /**
   * Serves {@code /v2/}, tag lists, the catalog, manifest HEADs, blob HEADs and manifest DELETEs to
   * requests carrying exactly this {@code Authorization} value.
   */
  static void stubEndpoints(WireMockExtension registry, String authorization) {
    registry.stubFor(
        get(urlPathEqualTo("/v2/"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(
                okJson("{}").withHeader("Docker-Distribution-API-Version", "registry/2.0")));
    registry.stubFor(
        get(urlPathMatching("/v2/.+/tags/list"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(okJson("{\"name\":\"" + REPO + "\",\"tags\":[\"v1\",\"v2\"]}")));
    registry.stubFor(
        get(urlPathEqualTo("/v2/_catalog"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(okJson("{\"repositories\":[\"" + REPO + "\"]}")));
    registry.stubFor(
        head(urlPathMatching("/v2/.+/manifests/.+"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Docker-Content-Digest", MANIFEST_DIGEST)
                    .withHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")));
    registry.stubFor(
        head(urlPathMatching("/v2/.+/blobs/.+"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(aResponse().withStatus(200)));
    registry.stubFor(
        delete(urlPathMatching("/v2/.+/manifests/sha256:.+"))
            .atPriority(1)
            .withHeader("Authorization", equalTo(authorization))
            .willReturn(aResponse().withStatus(202)));
  }

  /** Token server: {@code GET /token} answers this token, valid for five minutes. */
  static void stubTokenGet(WireMockExtension tokenServer, String token) {
    stubTokenGet(tokenServer, okJson(tokenJson(token)));
  }

  /** Token server: {@code GET /token} gets this answer. */
  static void stubTokenGet(WireMockExtension tokenServer, ResponseDefinitionBuilder answer) {
    tokenServer.stubFor(get(urlPathEqualTo("/token")).willReturn(answer));
  }

  /** A token response body: this token, valid for five minutes. */
  static String tokenJson(String token) {
    return "{\"token\":\"" + token + "\",\"expires_in\":300}";
  }

  /**
   * Token server that hands out tok-1, then tok-2 (after {@code secondDelayMillis}) for every
   * further request.
   */
  static void stubRotatingTokens(WireMockExtension tokenServer, int secondDelayMillis) {
    tokenServer.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("rotate")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(tokenJson("tok-1")))
            .willSetStateTo("second"));
    tokenServer.stubFor(
        get(urlPathEqualTo("/token"))
            .inScenario("rotate")
            .whenScenarioStateIs("second")
            .willReturn(okJson(tokenJson("tok-2")).withFixedDelay(secondDelayMillis)));
  }

  static List<LoggedRequest> tokenRequests(WireMockExtension tokenServer) {
    return tokenServer.findAll(anyRequestedFor(urlPathEqualTo("/token")));
  }

  static long countStatus(WireMockExtension server, int status) {
    return server.getAllServeEvents().stream()
        .filter(e -> e.getResponse().getStatus() == status)
        .count();
  }

  static List<String> scopesOf(LoggedRequest tokenRequest) {
    return tokenRequest.queryParameter("scope").isPresent()
        ? tokenRequest.queryParameter("scope").values()
        : List.of();
  }

  /**
   * Decodes an {@code application/x-www-form-urlencoded} body; repeated names keep their values in
   * order.
   */
  static Map<String, List<String>> form(LoggedRequest request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }
}
