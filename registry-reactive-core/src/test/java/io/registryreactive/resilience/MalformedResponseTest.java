package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.resilience.RegistryStubs.BOUND;
import static io.registryreactive.resilience.RegistryStubs.REPO;
import static io.registryreactive.resilience.RegistryStubs.TAGS_PATH;
import static io.registryreactive.resilience.RegistryStubs.answer;
import static io.registryreactive.resilience.RegistryStubs.client;
import static io.registryreactive.resilience.RegistryStubs.expectTags;
import static io.registryreactive.resilience.RegistryStubs.fastClient;
import static io.registryreactive.resilience.RegistryStubs.json;
import static io.registryreactive.resilience.RegistryStubs.registryError;
import static io.registryreactive.resilience.RegistryStubs.stubTags;
import static io.registryreactive.resilience.RegistryStubs.tagList;
import static io.registryreactive.resilience.RegistryStubs.tagsFailure;
import static io.registryreactive.resilience.RegistryStubs.tagsOk;
import static io.registryreactive.resilience.RegistryStubs.verifyTagRequests;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.testkit.StubRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
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

  private static final String PAGE_2 = "/v2/team/app/tags/list?last=b";

  /**
   * Lists tags against this answer and expects one protocol error, after one request (what will not
   * change is not retried).
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> tagsProtocolFailure(
      ResponseDefinitionBuilder answer) {
    stubTags(wm, answer);
    RegistryProtocolException e = tagsFailure(fastClient(wm, 5), RegistryProtocolException.class);
    verifyTagRequests(wm, 1);
    return assertThat(e);
  }

  /**
   * Behind a Bearer challenge, the token service gives this answer: expects one protocol error,
   * after one token request.
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> tokenProtocolFailure(
      ResponseDefinitionBuilder answer) {
    stubBearerChallenge();
    wm.stubFor(get(urlPathEqualTo("/token")).willReturn(answer));
    RegistryProtocolException e = tagsFailure(fastClient(wm, 5), RegistryProtocolException.class);
    wm.verify(1, getRequestedFor(urlPathEqualTo("/token")));
    return assertThat(e);
  }

  /**
   * A first tag page that links to {@link #PAGE_2}, and a second page that links to {@code
   * nextOfPage2}; lists the tags and expects exactly {@code tags}, then a protocol error.
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> loopingPagesFailure(
      String nextOfPage2, String... tags) {
    stubTags(wm, tagsOk("a", "b").withHeader("Link", "<" + PAGE_2 + ">; rel=\"next\""));
    wm.stubFor(
        get(urlEqualTo(PAGE_2))
            .willReturn(
                tagsOk("c", "d").withHeader("Link", "<" + nextOfPage2 + ">; rel=\"next\"")));
    List<Throwable> seen = new ArrayList<>();
    StepVerifier.create(fastClient(wm, 5).tags(REPO))
        .expectNext(tags)
        .expectErrorSatisfies(seen::add)
        .verify(BOUND);
    return assertThat(seen.get(0)).isInstanceOf(RegistryProtocolException.class);
  }

  @Test
  void tags_whenJsonIsTruncated_failsWithProtocolErrorNamingRequestWithoutRetry() {
    tagsProtocolFailure(json("{\"name\":\"team/app\",\"tags\":[\"a\","))
        .hasMessageContaining("list tags of 'team/app'")
        .hasMessageContaining("GET " + wm.baseUrl() + TAGS_PATH)
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void tags_whenTagsIsNotAnArray_failsWithProtocolError() {
    tagsProtocolFailure(json("{\"name\":\"team/app\",\"tags\":\"v1\"}"))
        .hasMessageContaining("'tags' is not an array");
  }

  @Test
  void tags_whenProxyAnswers200WithHtml_failsWithProtocolError() {
    tagsProtocolFailure(answer(200, "text/html", "<html><body>Sign in to continue</body></html>"))
        .hasMessageContaining("list tags of 'team/app'");
  }

  @Test
  void tags_whenProxyAnswers502WithLongHtml_failsWithStatusAndBoundedExcerptAfterRetries() {
    String html =
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
            + "</center><hr><center>nginx</center>"
            + "<!-- padding -->".repeat(200)
            + "</body></html>";
    stubTags(wm, answer(502, "text/html", html));

    RegistryResponseException r = tagsFailure(fastClient(wm, 2), RegistryResponseException.class);
    assertThat(r).isExactlyInstanceOf(RegistryResponseException.class);
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.errors()).isEmpty();
    assertThat(r.bodyExcerpt()).contains("502 Bad Gateway").hasSizeLessThanOrEqualTo(512);
    assertThat(r.getMessage())
        .contains(TAGS_PATH)
        .contains("502 Bad Gateway")
        .hasSizeLessThan(1_000);
    verifyTagRequests(wm, 2);
  }

  @Test
  void tags_whenPageExceedsMaxListPageBytes_failsWithProtocolErrorWithoutRetry() {
    String[] many = IntStream.range(0, 500).mapToObj(i -> "tag-" + i).toArray(String[]::new);
    stubTags(wm, tagsOk(many));

    ReactiveRegistryClient client = wm.client(b -> b.retry(fastRetry(5)).maxListPageBytes(1024));
    assertThat(tagsFailure(client, RegistryProtocolException.class))
        .hasMessageContaining("exceeds the limit of 1024 bytes")
        .hasMessageContaining(TAGS_PATH);
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenLinkPointsAtItself_failsInsteadOfLooping() {
    loopingPagesFailure(PAGE_2, "a", "b", "c", "d").hasMessageContaining("loops");
    wm.verify(1, getRequestedFor(urlEqualTo(PAGE_2)));
  }

  @Test
  void tags_whenLinkLeadsBackToFirstPage_failsWithoutRepeatingTags() {
    // The page whose Link loops is refused whole, so no tag is ever emitted twice.
    loopingPagesFailure(TAGS_PATH, "a", "b")
        .hasMessageContaining("list tags of 'team/app'")
        .hasMessageContaining(PAGE_2)
        .hasMessageContaining("loops back to the first page");
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenTokenServiceAnswersHtml_failsWithProtocolErrorNamingTokenRequest() {
    tokenProtocolFailure(answer(200, "text/html", "<html>Please log in</html>"))
        .hasMessageContaining("Token response")
        .hasMessageContaining("repository:team/app:pull");
    verifyTagRequests(wm, 1);
  }

  @Test
  void tags_whenTokenServiceAnswersJsonWithoutToken_failsWithProtocolError() {
    tokenProtocolFailure(json("{\"expires_in\":300}")).hasMessageContaining("Token response");
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

    ReactiveRegistryClient client = fastClient(wm, 3);
    expectTags(client, "a");

    assertThat(client.metrics().retries()).isEqualTo(1);
    wm.verify(2, getRequestedFor(urlPathEqualTo("/token")));
  }

  /** Every unauthenticated tag listing gets a Bearer challenge pointing at the stub's /token. */
  private static void stubBearerChallenge() {
    wm.stubFor(
        get(urlEqualTo(TAGS_PATH))
            .atPriority(5)
            .willReturn(
                registryError(401, "UNAUTHORIZED", "authentication required")
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer realm=\""
                            + wm.baseUrl()
                            + "/token\",service=\"stub\","
                            + "scope=\"repository:team/app:pull\"")));
  }
}
