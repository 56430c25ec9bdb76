package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/tags/list?n=}: one page of the tags of a repository, paged by {@code Link}.
 * Needs {@code repository:<name>:pull}. Distribution 2.8 ignores {@code n}, returns every tag
 * unsorted in one page and {@code "tags": null} once all were deleted (read as no tags); an unknown
 * repository is 404 {@code NAME_UNKNOWN}.
 */
final class TagLister implements Endpoint<Page<String>> {
  private final PagedListing listing;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param maxPageBytes cap on one page's body
   * @param continuation the next page's URL, or empty for the first page
   */
  TagLister(
      RegistryUrls urls,
      String repository,
      int pageSize,
      long maxPageBytes,
      Optional<String> continuation) {
    this.listing =
        new PagedListing(
            urls.tags(repository, pageSize),
            continuation,
            "tags",
            List.of(Scope.repositoryPull(repository)),
            "list tags of '" + repository + "'",
            maxPageBytes);
  }

  @Override
  public RegistryRequest request() {
    return listing.request();
  }

  /**
   * @return one page of tags
   */
  @Override
  public Page<String> readExpected(RegistryResponse response) {
    return listing.readExpected(response);
  }
}
