package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/<name>/tags/list?n=}: tags of one repository, paged by {@code Link}. Needs
 * {@code repository:<name>:pull}. Distribution 2.8 ignores {@code n}, returns every tag unsorted
 * in one page and {@code "tags": null} once all were deleted (read as no tags); an unknown
 * repository is 404 {@code NAME_UNKNOWN}.
 */
public final class TagLister {
  private final PagedListing listing;

  /**
   * @param http the request pipeline
   * @param urls the routes
   * @param repository a validated repository name
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param maxPageBytes cap on one page's body
   */
  public TagLister(RegistryHttp http, RegistryUrls urls, String repository, int pageSize, long maxPageBytes) {
    this.listing = new PagedListing(http, urls.tags(repository, pageSize), "tags",
        List.of(Scope.repositoryPull(repository)), "list tags of '" + repository + "'", maxPageBytes);
  }

  /**
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of tags
   */
  public Mono<Page<String>> page(Optional<String> continuation) {
    return listing.page(continuation);
  }
}
