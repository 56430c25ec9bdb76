package io.registryreactive.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A single-platform image (or artifact) manifest: a config blob and a list of layer blobs. Media type
 * {@link MediaTypes#OCI_MANIFEST} or {@link MediaTypes#DOCKER_MANIFEST_V2}.
 *
 * <p>Immutable. Equal to another {@code ImageManifest} with the same digest and media type.
 */
public final class ImageManifest implements Manifest {

  private final String mediaType;
  private final String digest;
  private final int schemaVersion;
  private final Descriptor config;
  private final List<Descriptor> layers;
  private final Map<String, String> annotations;
  private final Optional<Descriptor> subject;
  private final Optional<String> artifactType;
  private final byte[] raw;

  /**
   * Creates a manifest. The client makes these from registry responses; the constructor does not
   * check that {@code digest} is the digest of {@code raw}.
   *
   * @param mediaType the manifest's media type
   * @param digest the digest of {@code raw}
   * @param schemaVersion the {@code schemaVersion} member, {@code 2}
   * @param config the config blob descriptor
   * @param layers the layer descriptors, base layer first; copied
   * @param annotations the manifest's annotations; copied
   * @param subject the {@code subject} member, or empty
   * @param artifactType the {@code artifactType} member, or empty
   * @param raw the exact manifest bytes; copied
   * @throws NullPointerException if any argument, element, key or value is {@code null}
   */
  public ImageManifest(String mediaType, String digest, int schemaVersion, Descriptor config,
      List<Descriptor> layers, Map<String, String> annotations, Optional<Descriptor> subject,
      Optional<String> artifactType, byte[] raw) {
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.digest = Objects.requireNonNull(digest, "digest");
    this.schemaVersion = schemaVersion;
    this.config = Objects.requireNonNull(config, "config");
    this.layers = List.copyOf(layers);
    this.annotations = OrderedCopies.map(annotations, "annotation");
    this.subject = Objects.requireNonNull(subject, "subject");
    this.artifactType = Objects.requireNonNull(artifactType, "artifactType");
    this.raw = raw.clone();
  }

  /**
   * The config blob descriptor; the config holds the creation time and platform.
   *
   * @return the {@code config} member
   */
  public Descriptor config() {
    return config;
  }

  /**
   * The layer blob descriptors.
   *
   * @return the {@code layers} member in order, base layer first; may be empty for artifacts
   */
  public List<Descriptor> layers() {
    return layers;
  }

  /**
   * The bytes this image occupies in the registry as stated by its descriptors: config size plus
   * the (compressed) layer sizes plus the manifest's own size. Blobs shared with other images are
   * counted in full; layers with {@code urls} (foreign layers) are counted although a registry may
   * not store them.
   *
   * @return the total size in bytes
   */
  public long totalSize() {
    long total = config.size() + raw.length;
    for (Descriptor layer : layers) {
      total += layer.size();
    }
    return total;
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
   * Equal when the other object is an {@code ImageManifest} with the same digest and media type.
   *
   * @param other the object to compare with
   * @return whether the manifests are equal
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ImageManifest that
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
   * @return media type, digest and the number of layers
   */
  @Override
  public String toString() {
    return "ImageManifest[" + mediaType + ", " + digest + ", " + layers.size() + " layers]";
  }
}
