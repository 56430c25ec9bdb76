package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.registryreactive.ClientCalls.TAGS;
import static io.registryreactive.ClientCalls.catalogBody;
import static io.registryreactive.ClientCalls.expectExactly;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.ClientCalls.tagsBody;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/** Catalog and tag listings: following {@code Link}, reading pages, failing on bad pages. */
class ListingTest extends StubClientFixture {

  @Test
  void catalog_whenRelativeLinks_followsEveryPage() {
    stubTwoCatalogPagesOfTwo("</v2/_catalog?last=d&n=2>; rel=\"next\"");
    calls.stubPage("/v2/_catalog?last=d&n=2", catalogBody("e"), null);

    expectExactly(client.catalog(2), "a", "b", "c", "d", "e");

    assertThat(count("/v2/_catalog?n=2")).isEqualTo(1);
    assertThat(count("/v2/_catalog?last=b&n=2")).isEqualTo(1);
    assertThat(count("/v2/_catalog?last=d&n=2")).isEqualTo(1);
  }

  @Test
  void catalog_whenAbsoluteLink_followsItAsGiven() {
    String base = registry.baseUrl();
    calls.stubPage(
        "/v2/_catalog",
        catalogBody("a", "b"),
        "<" + base + "/v2/_catalog?last=b&n=2>; rel=\"next\"");
    calls.stubPage("/v2/_catalog?last=b&n=2", catalogBody("c"), null);

    expectExactly(client.catalog(), "a", "b", "c");

    assertThat(count("/v2/_catalog?last=b&n=2")).isEqualTo(1);
  }

  @Test
  void tags_whenLinkHasOpaqueCursor_requestsItVerbatim() {
    // Quay and ECR use their own cursor parameters; the client must not rebuild the URL from
    // n/last.
    calls.stubPage(
        TAGS,
        tagsBody("a"),
        "</v2/team/app/tags/list?next_page=gAAAA%3D%3D&limit=1>; rel=\"next\"");
    calls.stubPage(TAGS + "?next_page=gAAAA%3D%3D&limit=1", tagsBody("b"), null);

    expectExactly(client.tags("team/app"), "a", "b");

    assertThat(count(TAGS + "?next_page=gAAAA%3D%3D&limit=1")).isEqualTo(1);
  }

  @Test
  void tags_whenLinkHasSeveralLinksAndExtraParams_followsRelNext() {
    calls.stubPage(
        TAGS,
        tagsBody("a", "b"),
        "</v2/team/app/tags/list?prev=1>; rel=\"prev\", "
            + "</v2/team/app/tags/list?last=b>; type=\"application/json\"; title=\"tags, <page 2>\"; REL=\"next\"");
    calls.stubPage(TAGS + "?last=b", tagsBody("c"), null);

    expectExactly(client.tags("team/app"), "a", "b", "c");

    assertThat(count(TAGS + "?prev=1")).isZero();
  }

  @Test
  void tags_whenNextLinkIsInSecondLinkHeader_followsIt() {
    registry.stubFor(
        get(urlEqualTo(TAGS))
            .willReturn(
                okJson(tagsBody("a"))
                    .withHeader(
                        "Link",
                        "</v2/team/app/tags/list?first=1>; rel=\"first\"",
                        "</v2/team/app/tags/list?last=a>; rel=next")));
    calls.stubPage(TAGS + "?last=a", tagsBody("b"), null);

    expectExactly(client.tags("team/app"), "a", "b");

    assertThat(count(TAGS + "?first=1")).isZero();
  }

  @Test
  void tags_whenPageShorterThanPageSizeHasLink_continues() {
    calls.stubPage(
        TAGS + "?n=5", tagsBody("a", "b"), "</v2/team/app/tags/list?last=b&n=5>; rel=\"next\"");
    calls.stubPage(TAGS + "?last=b&n=5", tagsBody("c"), null);

    expectExactly(client.tags("team/app", 5), "a", "b", "c");
  }

  @Test
  void catalog_whenPageSizeGiven_sendsN() {
    registry.stubFor(get(urlPathEqualTo("/v2/_catalog")).willReturn(okJson(catalogBody("a"))));

    expectExactly(client.catalog(50), "a");

    registry.verify(
        1, getRequestedFor(urlPathEqualTo("/v2/_catalog")).withQueryParam("n", equalTo("50")));
  }

  @Test
  void tags_whenNoPageSizeGiven_sendsNoN() {
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(okJson(tagsBody("a"))));

    expectExactly(client.tags("team/app"), "a");

    registry.verify(1, getRequestedFor(urlPathEqualTo(TAGS)).withQueryParam("n", absent()));
  }

  @Test
  void tags_whenTagsIsNull_completesEmpty() {
    // distribution 2.8 answers this way once every tag of a repository was deleted.
    calls.stubPage(TAGS, "{\"name\":\"team/app\",\"tags\":null}", null);

    StepVerifier.create(client.tags("team/app")).expectComplete().verify(VERIFY_TIMEOUT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\":\"team/app\",\"tags\":[\"a\",",
        "[\"a\",\"b\"]",
        "{\"name\":\"team/app\",\"tags\":\"a\"}",
        "{\"name\":\"team/app\",\"tags\":[1,2]}",
        "{\"name\":\"team/app\"}",
        "<html><body>gateway</body></html>",
        ""
      })
  void tags_whenBodyIsNotATagList_errorsWithProtocolException(String body) {
    calls.stubPage(TAGS, body, null);

    assertThat(failureOf(client.tags("team/app"), RegistryProtocolException.class))
        .hasMessageContaining(TAGS);
  }

  @Test
  void catalog_whenLinkPointsToItself_errorsAfterOneRepeat() {
    calls.stubPage("/v2/_catalog", catalogBody("a", "b"), "</v2/_catalog?last=b>; rel=\"next\"");
    calls.stubPage("/v2/_catalog?last=b", catalogBody("c"), "</v2/_catalog?last=b>; rel=\"next\"");

    StepVerifier.create(client.catalog())
        .expectNext("a", "b", "c")
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("/v2/_catalog?last=b"))
        .verify(VERIFY_TIMEOUT);

    assertThat(count("/v2/_catalog")).isEqualTo(1);
    assertThat(count("/v2/_catalog?last=b")).isEqualTo(1);
  }

  @Test
  void catalog_whenLinkLeadsBackToFirstPage_errorsWithoutRepeatingItems() {
    stubTwoCatalogPagesOfTwo("</v2/_catalog?n=2>; rel=\"next\"");

    List<String> seen = new ArrayList<>();
    StepVerifier.create(client.catalog(2).doOnNext(seen::add))
        .expectNext("a", "b")
        .thenConsumeWhile(item -> true)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("loops"))
        .verify(VERIFY_TIMEOUT);

    assertThat(seen).doesNotHaveDuplicates();
    assertThat(count("/v2/_catalog?n=2")).isEqualTo(1);
    assertThat(count("/v2/_catalog?last=b&n=2")).isEqualTo(1);
  }

  @Test
  void tags_whenPageExceedsMaxListPageBytes_errorsWithProtocolException() {
    String[] many = IntStream.range(0, 200).mapToObj(i -> "tag-" + i).toArray(String[]::new);
    calls.stubPage(TAGS, tagsBody(many), null);
    try (ReactiveRegistryClient capped = registry.builder(b -> b.maxListPageBytes(1024)).build()) {
      assertThat(failureOf(capped.tags("team/app"), RegistryProtocolException.class))
          .hasMessageContaining("1024");
    }
  }

  @Test
  void tags_whenPageWithinMaxListPageBytes_isRead() {
    String[] some = IntStream.range(0, 20).mapToObj(i -> "tag-" + i).toArray(String[]::new);
    calls.stubPage(TAGS, tagsBody(some), null);
    try (ReactiveRegistryClient capped = registry.builder(b -> b.maxListPageBytes(1024)).build()) {
      expectExactly(capped.tags("team/app").collectList(), List.of(some));
    }
  }

  @Test
  void byPage_whenLastPage_hasNoContinuationToken() {
    String base = registry.baseUrl();
    calls.stubPage(TAGS, tagsBody("a", "b"), "</v2/team/app/tags/list?last=b>; rel=\"next\"");
    calls.stubPage(TAGS + "?last=b", tagsBody("c"), null);

    expectExactly(
        client.tags("team/app").byPage(),
        new Page<>(List.of("a", "b"), Optional.of(base + TAGS + "?last=b")),
        new Page<>(List.of("c"), Optional.empty()));
  }

  /** Catalog pages of two: a, b, then c, d, whose {@code Link} is {@code linkOfSecond}. */
  private void stubTwoCatalogPagesOfTwo(String linkOfSecond) {
    calls.stubPage(
        "/v2/_catalog?n=2", catalogBody("a", "b"), "</v2/_catalog?last=b&n=2>; rel=\"next\"");
    calls.stubPage("/v2/_catalog?last=b&n=2", catalogBody("c", "d"), linkOfSecond);
  }

  private static int count(String url) {
    return registry.findAll(getRequestedFor(urlEqualTo(url))).size();
  }
}
