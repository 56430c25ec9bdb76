package io.registryreactive.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A reference from a manifest to content by digest: a config, a layer, an index entry or a subject.
 *
 * <p>The collections are immutable copies; annotations keep the order of the source map.
 *
 * @param mediaType the media type of the referenced content; empty if the manifest omitted it
 * @param digest the digest of the referenced content, {@code algorithm:hex}
 * @param size the size of the referenced content in bytes
 * @param platform the platform, which index entries usually state
 * @param annotations the descriptor's annotations; empty if none
 * @param urls the alternative download locations (foreign layers); empty if none
 * @param artifactType the artifact type (index entries and subjects of OCI artifacts)
 */
public record Descriptor(
    String mediaType,
    String digest,
    long size,
    Optional<Platform> platform,
    Map<String, String> annotations,
    List<String> urls,
    Optional<String> artifactType) {

  /**
   * Canonical constructor; copies the collections.
   *
   * @param mediaType the media type of the referenced content; empty if unknown
   * @param digest the digest of the referenced content
   * @param size the size of the referenced content in bytes
   * @param platform the platform, or empty
   * @param annotations the annotations; copied, order kept
   * @param urls the alternative download locations; copied
   * @param artifactType the artifact type, or empty
   * @throws NullPointerException if any component, key or element is {@code null}
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(artifactType, "artifactType");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    annotations = OrderedCopies.map(annotations, "annotation");
    urls = List.copyOf(urls);
  }

  /**
   * A descriptor with only media type, digest and size, as configs and layers usually are.
   *
   * @param mediaType the media type of the referenced content
   * @param digest the digest of the referenced content
   * @param size the size of the referenced content in bytes
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public Descriptor(String mediaType, String digest, long size) {
    this(mediaType, digest, size, Optional.empty(), Map.of(), List.of(), Optional.empty());
  }
}
