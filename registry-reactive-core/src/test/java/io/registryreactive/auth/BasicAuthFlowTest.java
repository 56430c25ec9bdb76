package io.registryreactive.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.registryreactive.auth.RegistryStubs.PASSWORD;
import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.USER;
import static io.registryreactive.auth.RegistryStubs.basicHeader;
import static io.registryreactive.auth.RegistryStubs.countStatus;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static io.registryreactive.auth.RegistryStubs.stubEndpoints;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.StubRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** HTTP basic auth: learnt from the first 401, answered once, then sent up front. */
class BasicAuthFlowTest {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  private static final String BASIC_CHALLENGE = "Basic realm=\"Registry Realm\"";

  private ReactiveRegistryClient client(RegistryCredentials credentials) {
    return registry.client(credentials);
  }

  @Test
  void checkAuth_whenBasicChallengeAndGoodCredentials_completesAfterOneAnonymousAttempt() {
    stubChallenge(registry, BASIC_CHALLENGE);
    stubEndpoints(registry, basicHeader(USER, PASSWORD));

    StepVerifier.create(client(RegistryCredentials.basic(USER, PASSWORD)).checkAuth())
        .verifyComplete();

    List<LoggedRequest> requests = registry.findAll(getRequestedFor(urlPathEqualTo("/v2/")));
    assertThat(requests).hasSize(2);
    assertThat(requests).filteredOn(r -> !r.containsHeader("Authorization")).hasSize(1);
    assertThat(requests)
        .filteredOn(r -> basicHeader(USER, PASSWORD).equals(r.getHeader("Authorization")))
        .hasSize(1);
  }

  @Test
  void checkAuth_whenCredentialsRejected_failsWithAuthenticationExceptionAfterExactlyTwoRequests() {
    stubChallenge(registry, BASIC_CHALLENGE);

    StepVerifier.create(client(RegistryCredentials.basic(USER, "wrong-password")).checkAuth())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(AuthenticationException.class)
                    .extracting(x -> ((AuthenticationException) x).statusCode())
                    .isEqualTo(401))
        .verify(TIMEOUT);

    assertThat(registry.getAllServeEvents()).hasSize(2);
    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .filteredOn(r -> basicHeader(USER, "wrong-password").equals(r.getHeader("Authorization")))
        .hasSize(1);
  }

  @Test
  void checkAuth_whenAnonymousClientIsChallenged_failsWithoutRetrying() {
    stubChallenge(registry, BASIC_CHALLENGE);

    StepVerifier.create(client(RegistryCredentials.anonymous()).checkAuth())
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);

    assertThat(registry.getAllServeEvents()).hasSize(1);
  }

  @Test
  void checkAuthAndTags_whenRegistryIsAnonymous_sendNoAuthorization() {
    registry.stubFor(get(urlPathEqualTo("/v2/")).willReturn(okJson("{}")));
    registry.stubFor(
        get(urlPathMatching("/v2/.+/tags/list"))
            .willReturn(okJson("{\"name\":\"" + REPO + "\",\"tags\":[\"v1\"]}")));
    ReactiveRegistryClient client = client(RegistryCredentials.basic(USER, PASSWORD));

    StepVerifier.create(client.checkAuth().thenMany(client.tags(REPO)))
        .expectNext("v1")
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .hasSize(2)
        .noneMatch(r -> r.containsHeader("Authorization"));
  }

  @Test
  void tags_afterBasicWasLearnt_sendsCredentialsUpFront() {
    stubChallenge(registry, BASIC_CHALLENGE);
    stubEndpoints(registry, basicHeader(USER, PASSWORD));
    ReactiveRegistryClient client = client(RegistryCredentials.basic(USER, PASSWORD));

    StepVerifier.create(client.checkAuth().thenMany(client.tags(REPO)).thenMany(client.tags(REPO)))
        .expectNext("v1", "v2")
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(countStatus(registry, 401)).isEqualTo(1);
    List<LoggedRequest> tagRequests =
        registry.findAll(getRequestedFor(urlPathMatching("/v2/.+/tags/list")));
    assertThat(tagRequests)
        .hasSize(2)
        .allMatch(r -> basicHeader(USER, PASSWORD).equals(r.getHeader("Authorization")));
  }

  @Test
  void tags_whenUpFrontBasicIsRefusedLater_failsAfterOneRequestWithoutLooping() {
    stubChallenge(registry, BASIC_CHALLENGE);
    stubEndpoints(registry, basicHeader(USER, PASSWORD));
    ReactiveRegistryClient client = client(RegistryCredentials.basic(USER, PASSWORD));
    StepVerifier.create(client.checkAuth()).expectComplete().verify(TIMEOUT);

    // The password was revoked: from now on every request is refused.
    registry.resetMappings();
    stubChallenge(registry, BASIC_CHALLENGE);
    registry.resetRequests();

    StepVerifier.create(client.tags(REPO))
        .expectError(AuthenticationException.class)
        .verify(TIMEOUT);
    assertThat(registry.findAll(anyRequestedFor(anyUrl())))
        .hasSize(1)
        .allMatch(r -> basicHeader(USER, PASSWORD).equals(r.getHeader("Authorization")));
  }
}
