package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.ClientCalls.tagsBody;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * Listings fetch a page only when downstream demand needs it, start afresh on each subscription and
 * stop on cancel. The WireMock request journal is the evidence: it records every page fetched.
 */
class ListingLazinessTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private static final String PAGE_1 = "/v2/team/app/tags/list?n=2";
  private static final String PAGE_2 = "/v2/team/app/tags/list?last=b&n=2";
  private static final String PAGE_3 = "/v2/team/app/tags/list?last=d&n=2";

  /**
   * A fetch is asynchronous, so a listing that fetched too early would show in the journal only a
   * little later: "not fetched" is checked after this pause. It never fails a correct listing.
   */
  private static final Duration QUIET = Duration.ofMillis(300);

  private final ReactiveRegistryClient client = registry.client();

  @BeforeEach
  void stubPages() {
    registry.stubFor(
        get(urlEqualTo(PAGE_1))
            .willReturn(
                okJson(tagsBody("a", "b")).withHeader("Link", "<" + PAGE_2 + ">; rel=\"next\"")));
    registry.stubFor(
        get(urlEqualTo(PAGE_2))
            .willReturn(
                okJson(tagsBody("c", "d")).withHeader("Link", "<" + PAGE_3 + ">; rel=\"next\"")));
    registry.stubFor(get(urlEqualTo(PAGE_3)).willReturn(okJson(tagsBody("e"))));
  }

  @Test
  void tags_whenNotSubscribed_sendsNoRequest() throws InterruptedException {
    PagedFlux<String> tags = client.tags("team/app", 2);
    tags.byPage();
    tags.byPage(registry.baseUrl() + PAGE_2);
    client.catalog();

    Thread.sleep(QUIET.toMillis());
    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void tags_whenSubscribedWithoutDemand_sendsNoRequest() {
    StepVerifier.create(client.tags("team/app", 2), 0)
        .thenAwait(QUIET)
        .then(() -> assertThat(registry.getAllServeEvents()).isEmpty())
        .thenRequest(1)
        .expectNext("a")
        .thenCancel()
        .verify(VERIFY_TIMEOUT);

    assertThat(count(PAGE_1)).isEqualTo(1);
  }

  @Test
  void tags_whenDemandGrowsOneByOne_fetchesNextPageOnlyWhenDemandExceedsFetchedItems() {
    StepVerifier.create(client.tags("team/app", 2), 0)
        .thenRequest(1)
        .expectNext("a")
        .thenAwait(QUIET)
        .then(() -> assertPagesFetched(1, 0, 0))
        .thenRequest(1)
        .expectNext("b")
        .thenAwait(QUIET)
        .then(() -> assertPagesFetched(1, 0, 0))
        .thenRequest(1)
        .expectNext("c")
        .then(() -> assertPagesFetched(1, 1, 0))
        .thenRequest(1)
        .expectNext("d")
        .thenAwait(QUIET)
        .then(() -> assertPagesFetched(1, 1, 0))
        .thenRequest(Long.MAX_VALUE)
        .expectNext("e")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    assertPagesFetched(1, 1, 1);
  }

  @Test
  void tags_whenTakingAllItemsOfFirstPage_fetchesOnlyFirstPage() throws InterruptedException {
    StepVerifier.create(client.tags("team/app", 2).take(2))
        .expectNext("a", "b")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    Thread.sleep(QUIET.toMillis());
    assertPagesFetched(1, 0, 0);
  }

  @Test
  void tags_whenSubscribedTwice_fetchesFromFirstPageEachTime() {
    PagedFlux<String> tags = client.tags("team/app", 2);

    StepVerifier.create(tags)
        .expectNext("a", "b", "c", "d", "e")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    StepVerifier.create(tags)
        .expectNext("a", "b", "c", "d", "e")
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    assertPagesFetched(2, 2, 2);
  }

  @Test
  void byPage_whenOnePageRequested_fetchesOnePage() {
    StepVerifier.create(client.tags("team/app", 2).byPage(), 1)
        .assertNext(page -> assertThat(page.items()).containsExactly("a", "b"))
        .thenAwait(QUIET)
        .then(() -> assertPagesFetched(1, 0, 0))
        .thenCancel()
        .verify(VERIFY_TIMEOUT);

    assertPagesFetched(1, 0, 0);
  }

  @Test
  void byPage_whenGivenTokenOfEarlierPage_resumesAtThatUrl() {
    PagedFlux<String> tags = client.tags("team/app", 2);
    AtomicReference<String> token = new AtomicReference<>();
    StepVerifier.create(tags.byPage().take(1))
        .assertNext(page -> token.set(page.continuationToken().orElseThrow()))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);
    assertThat(token.get()).isEqualTo(registry.baseUrl() + PAGE_2);

    StepVerifier.create(tags.byPage(token.get()))
        .expectNext(new Page<>(List.of("c", "d"), Optional.of(registry.baseUrl() + PAGE_3)))
        .expectNext(new Page<>(List.of("e"), Optional.empty()))
        .expectComplete()
        .verify(VERIFY_TIMEOUT);

    assertPagesFetched(1, 1, 1);
  }

  @Test
  void byPage_whenTokenIsNull_errorsWithoutRequest() {
    StepVerifier.create(client.tags("team/app", 2).byPage(null))
        .expectError(NullPointerException.class)
        .verify(VERIFY_TIMEOUT);

    assertThat(registry.getAllServeEvents()).isEmpty();
  }

  @Test
  void tags_whenCancelledWhileNextPageInFlight_fetchesNoFurtherPage() throws InterruptedException {
    registry.stubFor(
        get(urlEqualTo(PAGE_2))
            .willReturn(
                okJson(tagsBody("c", "d"))
                    .withHeader("Link", "<" + PAGE_3 + ">; rel=\"next\"")
                    .withFixedDelay(2000)));

    // Unbounded demand: only the cancel keeps page 3 from being fetched once page 2 arrives.
    StepVerifier.create(client.tags("team/app", 2), 0)
        .thenRequest(Long.MAX_VALUE)
        .expectNext("a", "b")
        .then(() -> awaitRequest(PAGE_2))
        .thenCancel()
        .verify(VERIFY_TIMEOUT);

    // Wait past page 2's delayed answer: a listing still running would now ask for page 3.
    Thread.sleep(2500);
    assertPagesFetched(1, 1, 0);
  }

  private static void awaitRequest(String url) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (count(url) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no request for " + url);
      }
      Thread.onSpinWait();
    }
  }

  private static void assertPagesFetched(int page1, int page2, int page3) {
    assertThat(List.of(count(PAGE_1), count(PAGE_2), count(PAGE_3)))
        .as("requests for pages 1, 2, 3")
        .containsExactly(page1, page2, page3);
  }

  private static int count(String url) {
    return registry.findAll(getRequestedFor(urlEqualTo(url))).size();
  }
}
