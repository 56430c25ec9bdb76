package io.registryreactive.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An index of manifests, usually one per platform: an OCI image index ({@link
 * MediaTypes#OCI_INDEX}) or a Docker manifest list ({@link MediaTypes#DOCKER_MANIFEST_LIST}).
 *
 * <p>Deleting a manifest that a kept index lists leaves that index broken; {@link #childDigests()}
 * gives what to protect.
 *
 * <p>Immutable. Equal to another {@code ImageIndex} with the same digest and media type.
 */
public final class ImageIndex extends ManifestFields implements Manifest {

  private final List<Descriptor> manifests;

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
  public ImageIndex(
      String mediaType,
      String digest,
      int schemaVersion,
      List<Descriptor> manifests,
      Map<String, String> annotations,
      Optional<Descriptor> subject,
      Optional<String> artifactType,
      byte[] raw) {
    super(mediaType, digest, schemaVersion, annotations, subject, artifactType, raw);
    this.manifests = List.copyOf(manifests);
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

  /**
   * A short description without the contents.
   *
   * @return media type, digest and the number of listed manifests
   */
  @Override
  public String toString() {
    return "ImageIndex[" + mediaType() + ", " + digest() + ", " + manifests.size() + " manifests]";
  }
}
