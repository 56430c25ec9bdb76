package io.registryreactive;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing, with the token that continues it.
 *
 * @param <T> the item type
 * @param items the items of this page, in the registry's order
 * @param continuationToken the absolute URL of the next page from the registry's {@code Link}
 *     header; empty on the last page. Pass it to {@link PagedFlux#byPage(String)} to resume.
 */
public record Page<T>(List<T> items, Optional<String> continuationToken) {

  /**
   * Canonical constructor; copies the items.
   *
   * @param items the items of this page, in the registry's order
   * @param continuationToken the absolute URL of the next page from the registry's {@code Link}
   *     header; empty on the last page. Pass it to {@link PagedFlux#byPage(String)} to resume.
   */
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(continuationToken, "'continuationToken' must not be null");
  }
}
