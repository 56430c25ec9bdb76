package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.Page;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * {@code _catalog} paging over more repositories than distribution's default page of 100. The
 * repositories are seeded once for the class; the tests only read.
 */
@RealRegistry
class CatalogPagingIT {

  private static final int REPOSITORY_COUNT = 130;

  /** One-, two- and three-component names, so paging is checked across nested paths too. */
  private static final Set<String> REPOSITORIES =
      IntStream.range(0, REPOSITORY_COUNT)
          .mapToObj(
              i ->
                  switch (i % 3) {
                    case 0 -> String.format("team/app-%03d", i);
                    case 1 -> String.format("platform/tools/svc-%03d", i);
                    default -> String.format("solo-%03d", i);
                  })
          .collect(Collectors.toUnmodifiableSet());

  private static final int SEED_CONCURRENCY = 8;

  /**
   * Bound on seeding all repositories (520 requests): a few seconds on an idle 2-core machine, but
   * several times that when other builds share the cores.
   */
  private static final Duration SEED_TIMEOUT = Duration.ofSeconds(120);

  private final ReactiveRegistryClient client;

  CatalogPagingIT(RegistryProcess registry, ReactiveRegistryClient client) {
    this.client = client;
  }

  @BeforeAll
  static void seed(RegistryProcess registry) {
    // Config only, no layers: four requests per repository keep seeding 130 of them quick.
    ImageBlueprint image = TestImages.image(7).layers(0, 0).docker();
    try (ReactiveRegistryClient seedClient = RegistryClients.authenticated(registry)) {
      seedClient
          .checkAuth()
          .block(TIMEOUT); // learn the challenge once, not in every parallel request
      ImageSeeder seeder = new ImageSeeder(seedClient);
      Long pushed =
          Flux.fromIterable(REPOSITORIES)
              .flatMap(repo -> seeder.push(repo, "latest", image), SEED_CONCURRENCY)
              .count()
              .block(SEED_TIMEOUT);
      assertThat(pushed).isEqualTo(REPOSITORY_COUNT);
    }
  }

  @Test
  void catalog_withMoreThanOnePageOfRepositories_returnsExactlyTheSet() {
    List<String> listed = client.catalog().collectList().block(TIMEOUT);

    assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(REPOSITORIES);
  }

  @Test
  void catalogByPage_withDefaultPageSize_followsLinkFromFullPageOf100ToTheRest() {
    List<Page<String>> pages = client.catalog().byPage().collectList().block(TIMEOUT);

    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).items()).hasSize(100);
    assertThat(pages.get(0).continuationToken()).isPresent();
    assertThat(pages.get(1).items()).hasSize(REPOSITORY_COUNT - 100);
    assertThat(pages.get(1).continuationToken()).isEmpty();
  }

  @Test
  void catalogByPage_withPageSize25_givesSixPagesLinkedByTokensWhoseUnionIsTheSet() {
    List<Page<String>> pages = client.catalog(25).byPage().collectList().block(TIMEOUT);

    assertThat(pages).hasSize(6);
    assertThat(pages.subList(0, 5))
        .allSatisfy(
            page -> {
              assertThat(page.items()).hasSize(25);
              assertThat(page.continuationToken())
                  .hasValueSatisfying(
                      token ->
                          assertThat(token)
                              .startsWith(client.baseUrl() + "/v2/_catalog?")
                              .contains("n=25")
                              .contains("last="));
            });
    assertThat(pages.get(5).items()).hasSize(REPOSITORY_COUNT - 5 * 25);
    assertThat(pages.get(5).continuationToken()).isEmpty();
    List<String> union = pages.stream().flatMap(page -> page.items().stream()).toList();
    assertThat(union).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(REPOSITORIES);
  }

  @Test
  void catalogByPage_fromContinuationToken_resumesAfterThatPage() {
    List<Page<String>> pages = client.catalog(25).byPage().collectList().block(TIMEOUT);
    String afterSecond = pages.get(1).continuationToken().orElseThrow();

    List<Page<String>> resumed =
        client.catalog(25).byPage(afterSecond).collectList().block(TIMEOUT);

    assertThat(resumed)
        .extracting(Page::items)
        .containsExactlyElementsOf(
            pages.subList(2, pages.size()).stream().map(Page::items).toList());
  }

  @Test
  void catalog_takingFewItems_fetchesOnlyThePagesThatDemandNeeds() {
    client.checkAuth().block(TIMEOUT); // learn the Basic challenge, so each page is one request
    long before = client.metrics().attempts();

    List<String> first30 = client.catalog(25).take(30).collectList().block(TIMEOUT);

    assertThat(first30).hasSize(30).isSubsetOf(REPOSITORIES);
    assertThat(client.metrics().attempts() - before).isEqualTo(2);
  }
}
