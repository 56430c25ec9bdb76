package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.registryreactive.auth.RegistryStubs.MANIFEST_DIGEST;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.SERVICE;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.UNAUTHORIZED_BODY;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.answer;
import static io.registryreactive.auth.RegistryStubs.base64;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.bearerChallenge;
import static io.registryreactive.auth.RegistryStubs.clientFor;
import static io.registryreactive.auth.RegistryStubs.countStatus;
import static io.registryreactive.auth.RegistryStubs.scopesOf;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static io.registryreactive.auth.RegistryStubs.stubRotatingTokens;
import static io.registryreactive.auth.RegistryStubs.stubTokenGet;
import static io.registryreactive.auth.RegistryStubs.tokenJson;
import static io.registryreactive.auth.RegistryStubs.tokenRequests;
import static io.registryreactive.testkit.Failures.failure;
import static io.registryreactive.testkit.TestDigests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.model.DeleteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Bearer token auth against a separate token server: scopes, caching, expiry, refusal, garbage. */
class BearerTokenFlowTest extends TokenServerFixture {

  private static final String TOKEN = "tok-1";

  private ReactiveRegistryClient basicClient() {
    return client(clientFor(registry, RegistryCredentials.basic(USER, PASSWORD)));
  }

  /** Registry challenging with a scope-less Bearer challenge, accepting {@link #TOKEN}. */
  private void stubBearerRegistry() {
    stubRegistryAccepting("Bearer " + TOKEN);
    stubTokenGet(tokenServer, TOKEN);
  }

  /** Registry challenging with a scope-less Bearer challenge, accepting only this authorization. */
  private void stubRegistryAccepting(String authorization) {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubEndpoints(registry, authorization);
  }

  private ReactiveRegistryClient clientWithClock(MutableClock clock) {
    return client(clientFor(registry, RegistryCredentials.basic(USER, PASSWORD)).clock(clock));
  }

  /** Moves the clock on, reads the metadata again; answers how many tokens were fetched in all. */
  private static int tokenRequestsAfter(
      MutableClock clock, ReactiveRegistryClient client, long seconds) {
    clock.advance(Duration.ofSeconds(seconds));
    verifyMetadata(client, REPO + ":v1");
    return tokenRequests(tokenServer).size();
  }

  /** The scopes of each token request so far, in order. */
  private static List<List<String>> scopesRequested() {
    return tokenRequests(tokenServer).stream().map(RegistryStubs::scopesOf).toList();
  }

  private static void verifyMetadata(ReactiveRegistryClient client, String reference) {
    StepVerifier.create(client.metadata(reference))
        .assertNext(m -> assertThat(m.digest()).isEqualTo(MANIFEST_DIGEST))
        .expectComplete()
        .verify(TIMEOUT);
  }

  static Stream<Arguments> operations() {
    byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
    return Stream.of(
        Arguments.of(
            "tags",
            (Function<ReactiveRegistryClient, Publisher<?>>) c -> c.tags(REPO),
            "repository:team/app:pull"),
        Arguments.of(
            "metadata",
            (Function<ReactiveRegistryClient, Publisher<?>>) c -> c.metadata(REPO + ":v1"),
            "repository:team/app:pull"),
        Arguments.of(
            "deleteManifest",
            (Function<ReactiveRegistryClient, Publisher<?>>)
                c -> c.deleteManifest(REPO, MANIFEST_DIGEST),
            "repository:team/app:delete"),
        Arguments.of(
            "catalog",
            (Function<ReactiveRegistryClient, Publisher<?>>) c -> c.catalog(),
            "registry:catalog:*"),
        Arguments.of(
            "pushBlob",
            (Function<ReactiveRegistryClient, Publisher<?>>) c -> c.pushBlob(REPO, blob),
            "repository:team/app:pull,push"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void tokenRequest_perOperation_asksForServiceAndTheScopeTheOperationNeeds(
      String name, Function<ReactiveRegistryClient, Publisher<?>> operation, String expectedScope) {
    stubBearerRegistry();

    StepVerifier.create(Flux.from(operation.apply(basicClient())))
        .thenConsumeWhile(x -> true)
        .expectComplete()
        .verify(TIMEOUT);

    List<LoggedRequest> tokens = tokenRequests(tokenServer);
    assertThat(tokens).hasSize(1);
    assertThat(tokens.get(0).queryParameter("service").values()).containsExactly(SERVICE);
    assertThat(scopesOf(tokens.get(0))).containsExactly(expectedScope);
  }

  @Test
  void deleteManifest_afterPullTokenCached_fetchesADeleteToken() {
    stubBearerRegistry();
    ReactiveRegistryClient client = basicClient();
    verifyMetadata(client, REPO + ":v1");

    StepVerifier.create(client.deleteManifest(REPO, MANIFEST_DIGEST))
        .assertNext(r -> assertThat(r.outcome()).isEqualTo(DeleteResult.Outcome.DELETED))
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(scopesRequested())
        .containsExactly(
            List.of("repository:team/app:pull"), List.of("repository:team/app:delete"));
  }

  @Test
  void tokenRequest_withBasicCredentials_sendsThemToTheTokenServerAndOnlyBearerToTheRegistry() {
    stubBearerRegistry();

    verifyMetadata(basicClient(), REPO + ":v1");

    assertThat(tokenRequests(tokenServer))
        .singleElement()
        .satisfies(
            r -> assertThat(r.getHeader("Authorization")).isEqualTo(basicHeader(USER, PASSWORD)));
    List<LoggedRequest> registryRequests = registry.findAll(anyRequestedFor(anyUrl()));
    assertThat(registryRequests).hasSize(2);
    assertThat(registryRequests)
        .noneMatch(r -> String.valueOf(r.getHeader("Authorization")).startsWith("Basic"));
    assertThat(registryRequests)
        .filteredOn(r -> ("Bearer " + TOKEN).equals(r.getHeader("Authorization")))
        .hasSize(1);
  }

  @Test
  void tokenRequest_whenAnonymous_sendsNoAuthorizationToTheTokenServer() {
    stubBearerRegistry();

    verifyMetadata(client(clientFor(registry, RegistryCredentials.anonymous())), REPO + ":v1");

    assertThat(tokenRequests(tokenServer))
        .singleElement()
        .satisfies(r -> assertThat(r.containsHeader("Authorization")).isFalse());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"token\":\"tok-1\",\"expires_in\":300}",
        "{\"access_token\":\"tok-1\",\"expires_in\":300}",
        "{\"token\":\"\",\"access_token\":\"tok-1\"}"
      })
  void metadata_whenTokenResponseUsesTokenOrAccessToken_sendsThatToken(String body) {
    stubRegistryAccepting("Bearer " + TOKEN);
    tokenServer.stubFor(get(urlPathEqualTo("/token")).willReturn(okJson(body)));

    verifyMetadata(basicClient(), REPO + ":v1");
  }

  @Test
  void tokenRequest_whenRealmHasAQuery_keepsItAndAddsServiceAndScope() {
    String realm = tokenServer.baseUrl() + "/token?account=ci-bot&type=registry";
    stubChallenge(registry, "Bearer realm=\"" + realm + "\",service=\"" + SERVICE + "\"");
    stubEndpoints(registry, "Bearer " + TOKEN);
    stubTokenGet(tokenServer, TOKEN);

    verifyMetadata(basicClient(), REPO + ":v1");

    LoggedRequest token = tokenRequests(tokenServer).get(0);
    assertThat(token.queryParameter("account").values()).containsExactly("ci-bot");
    assertThat(token.queryParameter("type").values()).containsExactly("registry");
    assertThat(token.queryParameter("service").values()).containsExactly(SERVICE);
    assertThat(scopesOf(token)).containsExactly("repository:team/app:pull");
  }

  @Test
  void metadata_repeatedWithTheSameScope_usesOneCachedToken() {
    stubBearerRegistry();
    ReactiveRegistryClient client = basicClient();

    for (int i = 0; i < 5; i++) {
      verifyMetadata(client, REPO + ":v" + i);
    }

    assertThat(tokenRequests(tokenServer)).hasSize(1);
    assertThat(countStatus(registry, 401)).isEqualTo(1);
    assertThat(countStatus(registry, 200)).isEqualTo(5);
  }

  @Test
  void metadata_forTwoRepositories_usesOneTokenPerScope() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    // Each repository's manifests take only its own token, fetched for its own pull scope.
    for (String repository : List.of("team/app", "team/other")) {
      String token = "tok-" + repository.substring("team/".length());
      registry.stubFor(
          head(urlPathMatching("/v2/" + repository + "/manifests/.+"))
              .atPriority(1)
              .withHeader("Authorization", equalTo("Bearer " + token))
              .willReturn(
                  aResponse()
                      .withStatus(200)
                      .withHeader("Docker-Content-Digest", MANIFEST_DIGEST)));
      tokenServer.stubFor(
          get(urlPathEqualTo("/token"))
              .withQueryParam("scope", equalTo("repository:" + repository + ":pull"))
              .willReturn(okJson(tokenJson(token))));
    }
    ReactiveRegistryClient client = basicClient();

    for (int i = 0; i < 3; i++) {
      verifyMetadata(client, "team/app:v" + i);
      verifyMetadata(client, "team/other:v" + i);
    }

    assertThat(scopesRequested())
        .containsExactlyInAnyOrder(
            List.of("repository:team/app:pull"), List.of("repository:team/other:pull"));
  }

  @Test
  void metadata_whenClockPassesTokenExpiry_fetchesANewToken() {
    stubBearerRegistry();
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    ReactiveRegistryClient client = clientWithClock(clock);
    verifyMetadata(client, REPO + ":v1");

    assertThat(tokenRequestsAfter(clock, client, 200))
        .as("token still valid for 100 s")
        .isEqualTo(1);
    assertThat(tokenRequestsAfter(clock, client, 99))
        .as("token about to expire is replaced")
        .isEqualTo(2);
    assertThat(countStatus(registry, 401))
        .as("renewed before the registry refused it")
        .isEqualTo(1);
  }

  @Test
  void metadata_whenTokenResponseHasNoExpiry_assumesSixtySeconds() {
    stubRegistryAccepting("Bearer " + TOKEN);
    stubTokenGet(tokenServer, okJson("{\"token\":\"" + TOKEN + "\"}"));
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    ReactiveRegistryClient client = clientWithClock(clock);
    verifyMetadata(client, REPO + ":v1");

    assertThat(tokenRequestsAfter(clock, client, 30)).isEqualTo(1);
    assertThat(tokenRequestsAfter(clock, client, 31)).isEqualTo(2);
  }

  /**
   * A client that has cached tok-1, which the registry then stops accepting (revoked), accepting
   * only {@code accepted}; the token server hands out tok-2 next, after {@code
   * secondTokenDelayMillis}. The servers' request logs start afresh.
   */
  private ReactiveRegistryClient clientHoldingRevokedToken(
      int secondTokenDelayMillis, String accepted) {
    stubRegistryAccepting("Bearer tok-1");
    stubRotatingTokens(tokenServer, secondTokenDelayMillis);
    ReactiveRegistryClient client = basicClient();
    verifyMetadata(client, REPO + ":v1");
    registry.resetMappings();
    stubRegistryAccepting(accepted);
    registry.resetRequests();
    tokenServer.resetRequests();
    return client;
  }

  @Test
  void metadata_whenCachedTokenIsRefused_refetchesOnceAndRetriesOnce() {
    ReactiveRegistryClient client = clientHoldingRevokedToken(0, "Bearer tok-2");

    verifyMetadata(client, REPO + ":v1");

    assertThat(tokenRequests(tokenServer)).hasSize(1);
    List<LoggedRequest> registryRequests = registry.findAll(anyRequestedFor(anyUrl()));
    assertThat(registryRequests)
        .extracting(r -> r.getHeader("Authorization"))
        .containsExactlyInAnyOrder("Bearer tok-1", "Bearer tok-2");

    verifyMetadata(client, REPO + ":v2");
    assertThat(tokenRequests(tokenServer)).as("the fresh token is cached").hasSize(1);
  }

  @Test
  void metadata_whenConcurrentRequestsFindCachedTokenRevoked_shareOneRefetch() {
    ReactiveRegistryClient client = clientHoldingRevokedToken(500, "Bearer tok-2");
    // Refuse tok-1 slowly, so that all ten requests carry it before the first refusal arrives.
    registry.stubFor(
        any(anyUrl())
            .atPriority(5)
            .withHeader("Authorization", equalTo("Bearer tok-1"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withFixedDelay(300)
                    .withHeader("WWW-Authenticate", bearerChallenge(tokenServer))
                    .withBody(UNAUTHORIZED_BODY)));

    StepVerifier.create(Flux.range(0, 10).flatMap(i -> client.metadata(REPO + ":t" + i), 10))
        .expectNextCount(10)
        .expectComplete()
        .verify(TIMEOUT);

    // Each refused request drops only the token it was refused with, not the fresh one in flight.
    assertThat(tokenRequests(tokenServer)).hasSize(1);
    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .filteredOn(r -> "Bearer tok-1".equals(r.getHeader("Authorization")))
        .hasSize(10);
  }

  @Test
  void metadata_whenCachedAndFreshTokenAreBothRefused_failsWithAuthenticationException() {
    ReactiveRegistryClient client = clientHoldingRevokedToken(0, "Bearer no-token-is-good-enough");

    assertThat(failure(client.metadata(REPO + ":v1"), AuthenticationException.class, TIMEOUT))
        .extracting(x -> ((AuthenticationException) x).statusCode())
        .isEqualTo(401);

    assertThat(tokenRequests(tokenServer)).hasSize(1);
    assertThat(registry.findAll(anyRequestedFor(anyUrl()))).hasSize(2);
  }

  @Test
  void metadata_whenFreshTokenIsRefused_failsAfterOneRetry() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubTokenGet(tokenServer, TOKEN);

    StepVerifier.create(basicClient().metadata(REPO + ":v1"))
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);

    assertThat(registry.getAllServeEvents()).hasSize(2);
    assertThat(tokenRequests(tokenServer)).hasSize(1);
  }

  @Test
  void metadata_whenTokenServerRefusesCredentials_failsWithAuthenticationExceptionWithoutSecrets() {
    stubChallenge(registry, bearerChallenge(tokenServer));
    stubTokenGet(
        tokenServer,
        answer(401, "application/json", "{\"details\":\"incorrect username or password\"}")
            .withHeader("WWW-Authenticate", "Basic realm=\"token\""));

    AuthenticationException e =
        failure(basicClient().metadata(REPO + ":v1"), AuthenticationException.class, TIMEOUT);
    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.getMessage())
        .contains("token")
        .doesNotContain(PASSWORD)
        .doesNotContain(base64(USER + ":" + PASSWORD));
    assertThat(e.toString()).doesNotContain(PASSWORD);

    assertThat(tokenRequests(tokenServer)).hasSize(1);
    assertThat(registry.getAllServeEvents()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"<html><body><h1>Sign in</h1></body></html>", "{}", "[]", "{\"expires_in\":300}"})
  void metadata_whenTokenServerAnswersGarbage_failsWithRegistryProtocolException(String body) {
    stubRegistryAccepting("Bearer " + TOKEN);
    stubTokenGet(
        tokenServer, answer(200, body.startsWith("<") ? "text/html" : "application/json", body));

    StepVerifier.create(basicClient().metadata(REPO + ":v1"))
        .expectError(RegistryProtocolException.class)
        .verify(TIMEOUT);

    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .noneMatch(r -> String.valueOf(r.getHeader("Authorization")).startsWith("Bearer"));
  }

  @Test
  void metadata_twentyConcurrentRequests_shareOneTokenRequest() {
    stubRegistryAccepting("Bearer " + TOKEN);
    stubTokenGet(tokenServer, okJson(tokenJson(TOKEN)).withFixedDelay(500));
    ReactiveRegistryClient client = basicClient();

    StepVerifier.create(Flux.range(0, 20).flatMap(i -> client.metadata(REPO + ":t" + i), 20))
        .expectNextCount(20)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(tokenRequests(tokenServer)).hasSize(1);
  }

  @Test
  void pushBlob_whenChallengeQuotesCommas_parsesRealmServiceAndScope() {
    String realm = tokenServer.baseUrl() + "/auth,v2/token";
    stubChallenge(
        registry,
        "Bearer realm=\""
            + realm
            + "\",service=\"registry,example\","
            + "scope=\"repository:team/app:pull,push\"");
    stubEndpoints(registry, "Bearer " + TOKEN);
    tokenServer.stubFor(get(urlPathEqualTo("/auth,v2/token")).willReturn(okJson(tokenJson(TOKEN))));
    byte[] blob = "config".getBytes(StandardCharsets.UTF_8);

    StepVerifier.create(basicClient().pushBlob(REPO, blob))
        .expectNext(sha256(blob))
        .expectComplete()
        .verify(TIMEOUT);

    List<LoggedRequest> tokens = tokenServer.findAll(anyRequestedFor(anyUrl()));
    assertThat(tokens)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getUrl()).startsWith("/auth,v2/token?");
              assertThat(t.queryParameter("service").values()).containsExactly("registry,example");
              assertThat(scopesOf(t)).containsExactly("repository:team/app:pull,push");
            });
  }

  /**
   * Challenge spellings that all name the token server and a service: (challenge, the service
   * sent).
   */
  static Stream<Arguments> challengeSpellings() {
    return Stream.of(
        Arguments.of(
            Named.<Supplier<String>>of(
                "an escaped quote in a quoted value is unescaped",
                () ->
                    "Bearer realm=\""
                        + tokenServer.baseUrl()
                        + "/token\",service=\"reg\\\"istry\""),
            "reg\"istry"),
        Arguments.of(
            Named.<Supplier<String>>of(
                "upper-case scheme and parameter names still mean Bearer",
                () ->
                    "BEARER Realm=\""
                        + tokenServer.baseUrl()
                        + "/token\",Service=\""
                        + SERVICE
                        + "\""),
            SERVICE),
        Arguments.of(
            Named.<Supplier<String>>of(
                "one header listing Basic then Bearer uses Bearer",
                () -> "Basic realm=\"Registry, with comma\", " + bearerChallenge(tokenServer)),
            SERVICE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("challengeSpellings")
  void metadata_whenChallengeIsSpelledAnotherWay_getsOneTokenForTheService(
      Supplier<String> challenge, String service) {
    stubChallenge(registry, challenge.get());
    stubEndpoints(registry, "Bearer " + TOKEN);
    stubTokenGet(tokenServer, TOKEN);

    verifyMetadata(basicClient(), REPO + ":v1");

    assertThat(tokenRequests(tokenServer))
        .singleElement()
        .satisfies(t -> assertThat(t.queryParameter("service").values()).containsExactly(service));
  }

  @Test
  void metadata_whenChallengeCarriesInsufficientScopeError_ignoresTheExtraParameter() {
    stubChallenge(
        registry,
        bearerChallenge(tokenServer, "repository:team/app:pull") + ",error=\"insufficient_scope\"");
    stubEndpoints(registry, "Bearer " + TOKEN);
    stubTokenGet(tokenServer, TOKEN);

    verifyMetadata(basicClient(), REPO + ":v1");

    LoggedRequest token = tokenRequests(tokenServer).get(0);
    assertThat(token.queryParameter("service").values()).containsExactly(SERVICE);
    assertThat(scopesOf(token)).containsExactly("repository:team/app:pull");
    assertThat(token.queryParameter("error").isPresent()).isFalse();
  }

  @Test
  void metadata_whenRegistryOffersBasicAndBearer_usesBearer() {
    stubChallenge(registry, "Basic realm=\"Registry\"", bearerChallenge(tokenServer));
    stubEndpoints(registry, "Bearer " + TOKEN);
    stubTokenGet(tokenServer, TOKEN);

    verifyMetadata(basicClient(), REPO + ":v1");

    assertThat(tokenRequests(tokenServer)).hasSize(1);
    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .noneMatch(r -> String.valueOf(r.getHeader("Authorization")).startsWith("Basic"));
  }
}
