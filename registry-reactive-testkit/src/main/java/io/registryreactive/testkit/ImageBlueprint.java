package io.registryreactive.testkit;

import io.registryreactive.model.Platform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to push one test image or index to a registry, and the values a client should
 * read back. Made by {@link TestImages}.
 *
 * <p>To push: every blob of {@link #blobs()}, then every manifest of {@link
 * #manifestsInPushOrder()} (children before the index that lists them).
 */
public final class ImageBlueprint {

  private final String mediaType;
  private final byte[] manifest;
  private final String manifestDigest;
  private final Optional<Blob> config;
  private final List<Blob> layers;
  private final List<Blob> blobs;
  private final List<ImageBlueprint> children;
  private final Optional<Platform> platform;
  private final Instant created;
  private final long totalSize;

  ImageBlueprint(
      String mediaType,
      byte[] manifest,
      String manifestDigest,
      Optional<Blob> config,
      List<Blob> layers,
      List<Blob> blobs,
      List<ImageBlueprint> children,
      Optional<Platform> platform,
      Instant created,
      long totalSize) {
    this.mediaType = mediaType;
    this.manifest = manifest.clone();
    this.manifestDigest = manifestDigest;
    this.config = config;
    this.layers = List.copyOf(layers);
    this.blobs = List.copyOf(blobs);
    this.children = List.copyOf(children);
    this.platform = platform;
    this.created = created;
    this.totalSize = totalSize;
  }

  /**
   * @return the manifest's media type, also the {@code Content-Type} to push it with
   */
  public String mediaType() {
    return mediaType;
  }

  /**
   * @return a copy of the exact manifest bytes
   */
  public byte[] manifest() {
    return manifest.clone();
  }

  /**
   * @return the sha256 digest of {@link #manifest()}
   */
  public String manifestDigest() {
    return manifestDigest;
  }

  /**
   * @return whether this is an index (OCI image index or Docker manifest list)
   */
  public boolean isIndex() {
    return config.isEmpty();
  }

  /**
   * @return the config blob of an image; empty for an index
   */
  public Optional<Blob> config() {
    return config;
  }

  /**
   * @return the layer blobs of an image in manifest order; empty for an index
   */
  public List<Blob> layers() {
    return layers;
  }

  /**
   * The blobs to push before the manifest: config and layers of an image, or the union of the
   * children's blobs of an index; each digest once.
   *
   * @return the blobs
   */
  public List<Blob> blobs() {
    return blobs;
  }

  /**
   * @return the manifests an index lists, in order; empty for an image
   */
  public List<ImageBlueprint> children() {
    return children;
  }

  /**
   * @return children (recursively) first, then this manifest
   */
  public List<ImageBlueprint> manifestsInPushOrder() {
    List<ImageBlueprint> order = new ArrayList<>();
    for (ImageBlueprint child : children) {
      order.addAll(child.manifestsInPushOrder());
    }
    order.add(this);
    return order;
  }

  /**
   * @return the platform of an image (as in its config and index entry); empty for an index
   */
  public Optional<Platform> platform() {
    return platform;
  }

  /**
   * @return the config's {@code created} of an image; for an index the newest child's
   */
  public Instant created() {
    return created;
  }

  /**
   * The size a client should report: config + layers + manifest bytes for an image, the sum of the
   * children's total sizes for an index.
   *
   * @return the size in bytes
   */
  public long totalSize() {
    return totalSize;
  }

  /** Equal when media type and manifest digest are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ImageBlueprint that
        && manifestDigest.equals(that.manifestDigest)
        && mediaType.equals(that.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(manifestDigest, mediaType);
  }

  @Override
  public String toString() {
    return "ImageBlueprint["
        + mediaType
        + ", "
        + manifestDigest
        + ", "
        + (isIndex() ? children.size() + " children" : layers.size() + " layers")
        + "]";
  }
}
