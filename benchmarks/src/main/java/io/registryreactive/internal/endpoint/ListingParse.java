package io.registryreactive.internal.endpoint;

import java.util.List;

/**
 * The benchmarks' door to the package-private {@link ListingJson}, so the parse of a listing body
 * can be timed without HTTP. It lives in the benchmarks module under the core's package name: this
 * works on the class path (the core has no {@code module-info}) and keeps the core's API unchanged.
 */
public final class ListingParse {
  private ListingParse() {}

  /**
   * Parses a {@code tags/list} body exactly as the client does.
   *
   * @param body {@code {"name": ..., "tags": [...]}}
   * @return the tags
   */
  public static List<String> tags(byte[] body) {
    return ListingJson.readStringArray(body, "tags", "benchmark");
  }
}
