package io.registryreactive.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A single-platform image (or artifact) manifest: a config blob and a list of layer blobs. Media
 * type {@link MediaTypes#OCI_MANIFEST} or {@link MediaTypes#DOCKER_MANIFEST_V2}.
 *
 * <p>Immutable. Equal to another {@code ImageManifest} with the same digest and media type.
 */
public final class ImageManifest extends ManifestFields implements Manifest {

  private final Descriptor config;
  private final List<Descriptor> layers;

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
  public ImageManifest(
      String mediaType,
      String digest,
      int schemaVersion,
      Descriptor config,
      List<Descriptor> layers,
      Map<String, String> annotations,
      Optional<Descriptor> subject,
      Optional<String> artifactType,
      byte[] raw) {
    super(mediaType, digest, schemaVersion, annotations, subject, artifactType, raw);
    this.config = Objects.requireNonNull(config, "config");
    this.layers = List.copyOf(layers);
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
    long total = config.size() + size();
    for (Descriptor layer : layers) {
      total += layer.size();
    }
    return total;
  }

  /**
   * A short description without the contents.
   *
   * @return media type, digest and the number of layers
   */
  @Override
  public String toString() {
    return "ImageManifest[" + mediaType() + ", " + digest() + ", " + layers.size() + " layers]";
  }
}
