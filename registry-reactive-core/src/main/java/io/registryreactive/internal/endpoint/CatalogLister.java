package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/_catalog?n=}: repository names, paged by {@code Link}. Needs the token scope
 * {@code registry:catalog:*}. Distribution 2.8 pages by 100 without {@code n} and rejects
 * {@code n > 1000} with {@code PAGINATION_NUMBER_INVALID}.
 */
public final class CatalogLister {
  private final PagedListing listing;

  /**
   * @param http the request pipeline
   * @param urls the routes
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param maxPageBytes cap on one page's body
   */
  public CatalogLister(RegistryHttp http, RegistryUrls urls, int pageSize, long maxPageBytes) {
    this.listing = new PagedListing(http, urls.catalog(pageSize), "repositories", List.of(Scope.catalog()),
        "list catalog", maxPageBytes);
  }

  /**
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of repository names
   */
  public Mono<Page<String>> page(Optional<String> continuation) {
    return listing.page(continuation);
  }
}
