package io.registryreactive.model;

import java.util.Map;
import java.util.Optional;

/**
 * A schema 2 / OCI manifest as the registry stored it: either a single-platform {@link
 * ImageManifest} or an {@link ImageIndex} that lists other manifests. Docker schema 1 manifests are
 * not represented; the client never asks for them.
 *
 * <p>Instances are immutable. Two manifests are equal when their digest and media type are.
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

  /**
   * The manifest's media type: the {@code mediaType} member of the manifest if present, else the
   * {@code Content-Type} the registry sent, else the OCI type matching the manifest's shape.
   *
   * @return for example {@link MediaTypes#OCI_INDEX}
   */
  String mediaType();

  /**
   * The digest of the manifest, which is the digest of {@link #raw()}.
   *
   * @return {@code algorithm:hex}, for example {@code sha256:...}
   */
  String digest();

  /**
   * The {@code schemaVersion} member.
   *
   * @return {@code 2}
   */
  int schemaVersion();

  /**
   * The manifest's own {@code annotations}.
   *
   * @return the annotations in the order the manifest lists them; empty if none
   */
  Map<String, String> annotations();

  /**
   * The {@code subject} member: the manifest this one refers to (signatures, SBOMs, attestations).
   *
   * @return the subject descriptor, or empty if the manifest has none
   */
  Optional<Descriptor> subject();

  /**
   * The {@code artifactType} member as the manifest states it. For an image manifest without it,
   * OCI 1.1 treats {@code config.mediaType} as the artifact type; this method does not.
   *
   * @return the artifact type, or empty if the manifest has none
   */
  Optional<String> artifactType();

  /**
   * The exact bytes the registry returned, whose digest is {@link #digest()}.
   *
   * @return a new copy of the bytes on each call
   */
  byte[] raw();

  /**
   * The length of {@link #raw()} in bytes.
   *
   * @return the manifest's size
   */
  int size();
}
