package io.registryreactive.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every {@link Manifest} carries, held once for {@link ImageManifest} and {@link ImageIndex}:
 * the members both kinds share and the exact bytes. Equality is by digest and media type.
 */
abstract class ManifestFields {
  private final String mediaType;
  private final String digest;
  private final int schemaVersion;
  private final Map<String, String> annotations;
  private final Optional<Descriptor> subject;
  private final Optional<String> artifactType;
  private final byte[] raw;

  ManifestFields(
      String mediaType,
      String digest,
      int schemaVersion,
      Map<String, String> annotations,
      Optional<Descriptor> subject,
      Optional<String> artifactType,
      byte[] raw) {
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.digest = Objects.requireNonNull(digest, "digest");
    this.schemaVersion = schemaVersion;
    this.annotations = OrderedCopies.map(annotations, "annotation");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.artifactType = Objects.requireNonNull(artifactType, "artifactType");
    this.raw = raw.clone();
  }

  /**
   * @return the media type, as in {@link Manifest#mediaType()}
   */
  public String mediaType() {
    return mediaType;
  }

  /**
   * @return the digest of the raw bytes, as in {@link Manifest#digest()}
   */
  public String digest() {
    return digest;
  }

  /**
   * @return the {@code schemaVersion} member, as in {@link Manifest#schemaVersion()}
   */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * @return the annotations, as in {@link Manifest#annotations()}
   */
  public Map<String, String> annotations() {
    return annotations;
  }

  /**
   * @return the {@code subject} member, as in {@link Manifest#subject()}
   */
  public Optional<Descriptor> subject() {
    return subject;
  }

  /**
   * @return the {@code artifactType} member, as in {@link Manifest#artifactType()}
   */
  public Optional<String> artifactType() {
    return artifactType;
  }

  /**
   * @return a copy of the exact bytes, as in {@link Manifest#raw()}
   */
  public byte[] raw() {
    return raw.clone();
  }

  /**
   * @return the byte count, as in {@link Manifest#size()}
   */
  public int size() {
    return raw.length;
  }

  /**
   * Equal when the other object is of the same kind with the same digest and media type.
   *
   * @param other the object to compare with
   * @return whether the manifests are equal
   */
  @Override
  public boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && digest.equals(((ManifestFields) other).digest)
        && mediaType.equals(((ManifestFields) other).mediaType);
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
}
