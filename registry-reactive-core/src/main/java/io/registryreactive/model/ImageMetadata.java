package io.registryreactive.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What the registry says about a manifest without downloading it: the answer to a {@code HEAD} (or,
 * where the registry omits the digest header, a {@code GET} hashed locally).
 *
 * @param repository the repository, without registry host
 * @param tag the tag the manifest was looked up by, if it was looked up by tag
 * @param digest the manifest digest ({@code sha256:...}), the identity a delete needs
 * @param mediaType the manifest media type as the registry served it
 * @param size the manifest size in bytes ({@code -1} when the registry did not say)
 */
public record ImageMetadata(
    String repository, Optional<String> tag, String digest, String mediaType, long size) {

  /**
   * Canonical constructor; checks for nulls.
   *
   * @param repository the repository, without registry host
   * @param tag the tag the manifest was looked up by, if it was looked up by tag
   * @param digest the manifest digest ({@code sha256:...}), the identity a delete needs
   * @param mediaType the manifest media type as the registry served it
   * @param size the manifest size in bytes ({@code -1} when the registry did not say)
   */
  public ImageMetadata {
    Objects.requireNonNull(repository, "'repository' must not be null");
    Objects.requireNonNull(tag, "'tag' must not be null");
    Objects.requireNonNull(digest, "'digest' must not be null");
    Objects.requireNonNull(mediaType, "'mediaType' must not be null");
  }

  /**
   * @return the reference by digest, {@code repository@digest}
   */
  public String digestReference() {
    return repository + "@" + digest;
  }

  /**
   * @return whether the manifest is an index (multi-platform image)
   */
  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }
}
