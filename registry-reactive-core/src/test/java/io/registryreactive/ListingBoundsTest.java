package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.registryreactive.testkit.StubRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Listings stay on the registry and end: a {@code Link} to another origin is never followed (the
 * registry's credentials must not go there), and a listing longer than {@code maxListingPages}
 * fails instead of paging forever.
 */
class ListingBoundsTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  /** Another origin: same host, another port. */
  @RegisterExtension static final StubRegistry elsewhere = StubRegistry.create();

  private static final String TAGS = "/v2/team/app/tags/list";

  private ReactiveRegistryClient client;

  @BeforeEach
  void createClient() {
    client =
        registry.client(
            b -> b.credentials(RegistryCredentials.basic("ci", "s3cret")).maxListingPages(3));
  }

  @Test
  void tags_whenLinkPointsToAnotherOrigin_errorsWithoutFollowingIt() {
    elsewhere.stubFor(get(anyUrl()).willReturn(okJson(ListingTest.tagsBody("planted"))));
    stubPage(
        TAGS,
        ListingTest.tagsBody("a"),
        "<" + elsewhere.baseUrl() + TAGS + "?last=a>; rel=\"next\"");

    StepVerifier.create(client.tags("team/app"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("another origin")
                    .hasMessageContaining(elsewhere.host())
                    .hasMessageNotContaining("s3cret"))
        .verify(VERIFY_TIMEOUT);

    assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void catalog_whenLinkPointsToAnotherScheme_errors() {
    stubPage(
        "/v2/_catalog",
        ListingTest.catalogBody("a"),
        "<https://127.0.0.1:" + registry.getPort() + "/v2/_catalog?last=a>; rel=\"next\"");

    StepVerifier.create(client.catalog())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("another origin"))
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenRelativeAndSameOriginAbsoluteLinks_followsBoth() {
    stubPage(TAGS, ListingTest.tagsBody("a"), "</v2/team/app/tags/list?last=a>; rel=\"next\"");
    stubPage(
        TAGS + "?last=a",
        ListingTest.tagsBody("b"),
        "<" + registry.baseUrl() + TAGS + "?last=b>; rel=\"next\"");
    stubPage(TAGS + "?last=b", ListingTest.tagsBody("c"), null);

    StepVerifier.create(client.tags("team/app"))
        .expectNext("a", "b", "c")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void tags_whenMorePagesThanTheCap_errorsAfterTheLastAllowedPage() {
    for (int i = 0; i < 5; i++) {
      stubPage(
          i == 0 ? TAGS : TAGS + "?last=t" + (i - 1),
          ListingTest.tagsBody("t" + i),
          "</v2/team/app/tags/list?last=t" + i + ">; rel=\"next\"");
    }

    StepVerifier.create(client.tags("team/app"))
        .expectNext("t0", "t1", "t2")
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryProtocolException.class)
                    .hasMessageContaining("more than 3 pages"))
        .verify(VERIFY_TIMEOUT);

    assertThat(registry.findAll(getRequestedFor(urlEqualTo(TAGS + "?last=t2")))).isEmpty();
  }

  @Test
  void tags_whenAsManyPagesAsTheCap_completes() {
    stubPage(TAGS, ListingTest.tagsBody("t0"), "</v2/team/app/tags/list?last=t0>; rel=\"next\"");
    stubPage(
        TAGS + "?last=t0",
        ListingTest.tagsBody("t1"),
        "</v2/team/app/tags/list?last=t1>; rel=\"next\"");
    stubPage(TAGS + "?last=t1", ListingTest.tagsBody("t2"), null);

    StepVerifier.create(client.tags("team/app"))
        .expectNext("t0", "t1", "t2")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void byPage_whenResumedFromAToken_countsPagesFromThere() {
    for (int i = 1; i < 5; i++) {
      stubPage(
          TAGS + "?last=t" + (i - 1),
          ListingTest.tagsBody("t" + i),
          i == 4 ? null : "</v2/team/app/tags/list?last=t" + i + ">; rel=\"next\"");
    }

    StepVerifier.create(client.tags("team/app").byPage(registry.baseUrl() + TAGS + "?last=t1"))
        .expectNextCount(3)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  @Test
  void maxListingPages_whenBelowOne_isRefused() {
    assertThatThrownBy(() -> ReactiveRegistryClient.builder().maxListingPages(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxListingPages");
    assertThat(ReactiveRegistryClient.DEFAULT_MAX_LISTING_PAGES).isEqualTo(100_000);
  }

  private static void stubPage(String url, String body, String link) {
    ResponseDefinitionBuilder response = okJson(body);
    if (link != null) {
      response = response.withHeader("Link", link);
    }
    registry.stubFor(get(urlEqualTo(url)).willReturn(response));
  }
}
