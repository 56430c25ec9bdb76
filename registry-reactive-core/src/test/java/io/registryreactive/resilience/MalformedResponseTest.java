package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.fastRetry;
import static io.registryreactive.resilience.RegistryStubs.stubSequence;
import static io.registryreactive.resilience.RegistryStubs.tagList;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Answers a client cannot use: broken JSON, a proxy's HTML, oversized pages, a {@code Link} that
 * loops, a token service that answers nonsense. Each must end in a typed error that names the
 * request, promptly, and without retrying what will not change.
 */
class MalformedResponseTest {

  @RegisterExtension static StubRegistry wm = RegistryStubs.wireMock();

  private static final Duration BOUND = Duration.ofSeconds(20);

  private static ResponseDefinitionBuilder json(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  @Test
  void tags_whenJsonIsTruncated_failsWithProtocolErrorNamingRequestWithoutRetry() {
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH)).willReturn(json("{\"name\":\"team/app\",\"tags\":[\"a\",")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("list tags of 'team/app'")
                      .hasMessageContaining("GET " + wm.baseUrl() + TAGS_PATH)
                      .hasMessageContaining("malformed JSON"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenTagsIsNotAnArray_failsWithProtocolError() {
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH)).willReturn(json("{\"name\":\"team/app\",\"tags\":\"v1\"}")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("'tags' is not an array"))
          .verify(BOUND);
    }
  }

  @Test
  void tags_whenProxyAnswers200WithHtml_failsWithProtocolError() {
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body>Sign in to continue</body></html>")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("list tags of 'team/app'"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenProxyAnswers502WithLongHtml_failsWithStatusAndBoundedExcerptAfterRetries() {
    String html =
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
            + "</center><hr><center>nginx</center>"
            + "<!-- padding -->".repeat(200)
            + "</body></html>";
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .willReturn(
                aResponse()
                    .withStatus(502)
                    .withHeader("Content-Type", "text/html")
                    .withBody(html)));

    try (ReactiveRegistryClient client = client(wm, fastRetry(2)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e -> {
                assertThat(e).isExactlyInstanceOf(RegistryResponseException.class);
                RegistryResponseException r = (RegistryResponseException) e;
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.errors()).isEmpty();
                assertThat(r.bodyExcerpt())
                    .contains("502 Bad Gateway")
                    .hasSizeLessThanOrEqualTo(512);
                assertThat(r.getMessage())
                    .contains(TAGS_PATH)
                    .contains("502 Bad Gateway")
                    .hasSizeLessThan(1_000);
              })
          .verify(BOUND);
    }
    wm.verify(2, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenPageExceedsMaxListPageBytes_failsWithProtocolErrorWithoutRetry() {
    String[] many = IntStream.range(0, 500).mapToObj(i -> "tag-" + i).toArray(String[]::new);
    wm.stubFor(get(urlEqualTo(TAGS_PATH)).willReturn(tagsOk(many)));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).maxListPageBytes(1024).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("exceeds the limit of 1024 bytes")
                      .hasMessageContaining(TAGS_PATH))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenLinkPointsAtItself_failsInsteadOfLooping() {
    String page2 = "/v2/team/app/tags/list?last=b";
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .willReturn(tagsOk("a", "b").withHeader("Link", "<" + page2 + ">; rel=\"next\"")));
    wm.stubFor(
        get(urlEqualTo(page2))
            .willReturn(tagsOk("c", "d").withHeader("Link", "<" + page2 + ">; rel=\"next\"")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO))
          .expectNext("a", "b", "c", "d")
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("loops"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(page2)));
  }

  @Test
  void tags_whenLinkLeadsBackToFirstPage_failsWithoutRepeatingTags() {
    String page2 = "/v2/team/app/tags/list?last=b";
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .willReturn(tagsOk("a", "b").withHeader("Link", "<" + page2 + ">; rel=\"next\"")));
    wm.stubFor(
        get(urlEqualTo(page2))
            .willReturn(tagsOk("c", "d").withHeader("Link", "<" + TAGS_PATH + ">; rel=\"next\"")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      // The page whose Link loops is refused whole, so no tag is ever emitted twice.
      StepVerifier.create(client.tags(REPO))
          .expectNext("a", "b")
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("list tags of 'team/app'")
                      .hasMessageContaining(page2)
                      .hasMessageContaining("loops back to the first page"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  @Test
  void tags_whenTokenServiceAnswersHtml_failsWithProtocolErrorNamingTokenRequest() {
    stubBearerChallenge();
    wm.stubFor(
        get(urlPathEqualTo("/token"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>Please log in</html>")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("Token response")
                      .hasMessageContaining("repository:team/app:pull"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlEqualTo(TAGS_PATH)));
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void tags_whenTokenServiceAnswersJsonWithoutToken_failsWithProtocolError() {
    stubBearerChallenge();
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(json("{\"expires_in\":300}")));

    try (ReactiveRegistryClient client = client(wm, fastRetry(5)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(RegistryProtocolException.class)
                      .hasMessageContaining("Token response"))
          .verify(BOUND);
    }
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
  }

  @Test
  void tags_whenTokenServiceResetsOnce_retriesAndSucceeds() {
    stubBearerChallenge();
    stubSequence(
        wm,
        "token-reset",
        () -> get(urlPathEqualTo("/token")),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        json("{\"token\":\"tok-1\",\"expires_in\":300}"));
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .withHeader("Authorization", equalTo("Bearer tok-1"))
            .atPriority(1)
            .willReturn(json(tagList(REPO, "a"))));

    try (ReactiveRegistryClient client = client(wm, fastRetry(3)).build()) {
      StepVerifier.create(client.tags(REPO).collectList())
          .expectNext(List.of("a"))
          .expectComplete()
          .verify(BOUND);

      assertThat(client.metrics().retries()).isEqualTo(1);
    }
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  /** Every unauthenticated tag listing gets a Bearer challenge pointing at the stub's /token. */
  private static void stubBearerChallenge() {
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .atPriority(5)
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer realm=\""
                            + wm.baseUrl()
                            + "/token\",service=\"stub\","
                            + "scope=\"repository:team/app:pull\"")
                    .withBody(
                        "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));
  }
}
