package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.ClientCalls.TAGS;
import static io.registryreactive.ClientCalls.catalogBody;
import static io.registryreactive.ClientCalls.expectExactly;
import static io.registryreactive.ClientCalls.failureOf;
import static io.registryreactive.ClientCalls.tagsBody;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  private final ClientCalls calls = new ClientCalls(registry);

  /** Another origin: same host, another port. */
  @RegisterExtension static final StubRegistry elsewhere = StubRegistry.create();

  private ReactiveRegistryClient client;

  @BeforeEach
  void createClient() {
    client =
        registry.client(
            b -> b.credentials(RegistryCredentials.basic("ci", "s3cret")).maxListingPages(3));
  }

  @Test
  void tags_whenLinkPointsToAnotherOrigin_errorsWithoutFollowingIt() {
    elsewhere.stubFor(get(anyUrl()).willReturn(okJson(tagsBody("planted"))));
    calls.stubPage(
        TAGS, tagsBody("a"), "<" + elsewhere.baseUrl() + TAGS + "?last=a>; rel=\"next\"");

    assertThat(failureOf(client.tags("team/app"), RegistryProtocolException.class))
        .hasMessageContaining("another origin")
        .hasMessageContaining(elsewhere.host())
        .hasMessageNotContaining("s3cret");

    assertThat(elsewhere.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void catalog_whenLinkPointsToAnotherScheme_errors() {
    calls.stubPage(
        "/v2/_catalog",
        catalogBody("a"),
        "<https://127.0.0.1:" + registry.getPort() + "/v2/_catalog?last=a>; rel=\"next\"");

    assertThat(failureOf(client.catalog(), RegistryProtocolException.class))
        .hasMessageContaining("another origin");
  }

  @Test
  void tags_whenRelativeAndSameOriginAbsoluteLinks_followsBoth() {
    calls.stubPage(TAGS, tagsBody("a"), "</v2/team/app/tags/list?last=a>; rel=\"next\"");
    calls.stubPage(
        TAGS + "?last=a",
        tagsBody("b"),
        "<" + registry.baseUrl() + TAGS + "?last=b>; rel=\"next\"");
    calls.stubPage(TAGS + "?last=b", tagsBody("c"), null);

    expectExactly(client.tags("team/app"), "a", "b", "c");
  }

  @Test
  void tags_whenMorePagesThanTheCap_errorsAfterTheLastAllowedPage() {
    stubTagPages(5, true);

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
    stubTagPages(3, false);

    expectExactly(client.tags("team/app"), "t0", "t1", "t2");
  }

  @Test
  void byPage_whenResumedFromAToken_countsPagesFromThere() {
    stubTagPages(5, false);

    StepVerifier.create(client.tags("team/app").byPage(registry.baseUrl() + TAGS + "?last=t1"))
        .expectNextCount(3)
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
  }

  /**
   * Tag pages t0, t1, ... of one tag each, each linking to the next; the last one links on too (to
   * a page that is not there) when {@code lastLinksOn}.
   */
  private void stubTagPages(int count, boolean lastLinksOn) {
    for (int i = 0; i < count; i++) {
      boolean linked = i < count - 1 || lastLinksOn;
      calls.stubPage(
          i == 0 ? TAGS : TAGS + "?last=t" + (i - 1),
          tagsBody("t" + i),
          linked ? "</v2/team/app/tags/list?last=t" + i + ">; rel=\"next\"" : null);
    }
  }

  @Test
  void maxListingPages_whenBelowOne_isRefused() {
    assertThatThrownBy(() -> ReactiveRegistryClient.builder().maxListingPages(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxListingPages");
    assertThat(ReactiveRegistryClient.DEFAULT_MAX_LISTING_PAGES).isEqualTo(100_000);
  }
}
