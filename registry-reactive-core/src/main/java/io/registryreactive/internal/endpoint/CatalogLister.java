package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/_catalog?n=}: one page of repository names, paged by {@code Link}. Needs the token
 * scope {@code registry:catalog:*}. Distribution 2.8 pages by 100 without {@code n} and rejects
 * {@code n > 1000} with {@code PAGINATION_NUMBER_INVALID}.
 */
final class CatalogLister implements Endpoint<Page<String>> {
  private final PagedListing listing;

  /**
   * @param urls the routes
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param maxPageBytes cap on one page's body
   * @param continuation the next page's URL, or empty for the first page
   */
  CatalogLister(RegistryUrls urls, int pageSize, long maxPageBytes, Optional<String> continuation) {
    this.listing =
        new PagedListing(
            urls.catalog(pageSize),
            continuation,
            "repositories",
            List.of(Scope.catalog()),
            "list catalog",
            maxPageBytes);
  }

  @Override
  public RegistryRequest request() {
    return listing.request();
  }

  /**
   * @return one page of repository names
   */
  @Override
  public Page<String> readExpected(RegistryResponse response) {
    return listing.readExpected(response);
  }
}
