package io.registryreactive.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An index of manifests, usually one per platform: an OCI image index ({@link MediaTypes#OCI_INDEX})
 * or a Docker manifest list ({@link MediaTypes#DOCKER_MANIFEST_LIST}).
 *
 * <p>Deleting a manifest that a kept index lists leaves that index broken; {@link #childDigests()}
 * gives what to protect.
 *
 * <p>Immutable. Equal to another {@code ImageIndex} with the same digest and media type.
 */
public final class ImageIndex implements Manifest {

  private final String mediaType;
  private final String digest;
  private final int schemaVersion;
  private final List<Descriptor> manifests;
  private final Map<String, String> annotations;
  private final Optional<Descriptor> subject;
  private final Optional<String> artifactType;
  private final byte[] raw;

  /**
   * Creates an index. The client makes these from registry responses; the constructor does not
   * check that {@code digest} is the digest of {@code raw}.
   *
   * @param mediaType the index's media type
   * @param digest the digest of {@code raw}
   * @param schemaVersion the {@code schemaVersion} member, {@code 2}
   * @param manifests the descriptors of the listed manifests; copied
   * @param annotations the index's annotations; copied
   * @param subject the {@code subject} member, or empty
   * @param artifactType the {@code artifactType} member, or empty
   * @param raw the exact index bytes; copied
   * @throws NullPointerException if any argument, element, key or value is {@code null}
   */
  public ImageIndex(String mediaType, String digest, int schemaVersion, List<Descriptor> manifests,
      Map<String, String> annotations, Optional<Descriptor> subject, Optional<String> artifactType,
      byte[] raw) {
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.digest = Objects.requireNonNull(digest, "digest");
    this.schemaVersion = schemaVersion;
    this.manifests = List.copyOf(manifests);
    this.annotations = OrderedCopies.map(annotations, "annotation");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.artifactType = Objects.requireNonNull(artifactType, "artifactType");
    this.raw = raw.clone();
  }

  /**
   * The descriptors of the listed manifests, with their platforms.
   *
   * @return the {@code manifests} member in order; may be empty
   */
  public List<Descriptor> manifests() {
    return manifests;
  }

  /**
   * The digests of the listed manifests.
   *
   * @return the digests in the order of {@link #manifests()}, each once
   */
  public List<String> childDigests() {
    Set<String> digests = new LinkedHashSet<>();
    for (Descriptor child : manifests) {
      digests.add(child.digest());
    }
    return List.copyOf(digests);
  }

  @Override
  public String mediaType() {
    return mediaType;
  }

  @Override
  public String digest() {
    return digest;
  }

  @Override
  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public Map<String, String> annotations() {
    return annotations;
  }

  @Override
  public Optional<Descriptor> subject() {
    return subject;
  }

  @Override
  public Optional<String> artifactType() {
    return artifactType;
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  @Override
  public int size() {
    return raw.length;
  }

  /**
   * Equal when the other object is an {@code ImageIndex} with the same digest and media type.
   *
   * @param other the object to compare with
   * @return whether the indexes are equal
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ImageIndex that
        && digest.equals(that.digest) && mediaType.equals(that.mediaType);
  }

  /**
   * A hash of digest and media type.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(digest, mediaType);
  }

  /**
   * A short description without the contents.
   *
   * @return media type, digest and the number of listed manifests
   */
  @Override
  public String toString() {
    return "ImageIndex[" + mediaType + ", " + digest + ", " + manifests.size() + " manifests]";
  }
}
