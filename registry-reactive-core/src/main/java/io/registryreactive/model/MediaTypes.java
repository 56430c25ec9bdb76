package io.registryreactive.model;

import java.util.Locale;

/**
 * Media types of manifests, configs and layers that registries serve, and the {@code Accept} value
 * to send when fetching manifests.
 *
 * <p>Media types compare case-insensitively and without parameters: {@code
 * isIndex("application/vnd.oci.image.index.v1+json; charset=utf-8")} is {@code true}.
 */
public final class MediaTypes {

  /** Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST_V2 =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker manifest list (multi-platform image), schema 2. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** OCI image index (multi-platform image or artifact list). */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** Docker image config blob. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** OCI image config blob. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** Docker gzip-compressed layer blob. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  /** OCI gzip-compressed layer blob. */
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** Docker image manifest, schema 1 (unsigned). Not supported by this client. */
  public static final String DOCKER_SCHEMA1 =
      "application/vnd.docker.distribution.manifest.v1+json";

  /** Docker image manifest, schema 1, signed with JWS. Not supported by this client. */
  public static final String DOCKER_SCHEMA1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /**
   * The {@code Accept} header value for manifest requests: OCI index and manifest, Docker manifest
   * list and schema 2 manifest. Without it a registry may convert schema 2 manifests to schema 1
   * (answering with a different digest) or answer {@code 404 MANIFEST_UNKNOWN} for OCI content.
   */
  public static final String MANIFEST_ACCEPT =
      OCI_INDEX + ", " + OCI_MANIFEST + ", " + DOCKER_MANIFEST_LIST + ", " + DOCKER_MANIFEST_V2;

  private MediaTypes() {}

  /**
   * Whether the media type is an index: an OCI image index or a Docker manifest list.
   *
   * @param mediaType a media type, possibly with parameters; may be empty
   * @return {@code true} for {@link #OCI_INDEX} and {@link #DOCKER_MANIFEST_LIST}
   */
  public static boolean isIndex(String mediaType) {
    String type = essence(mediaType);
    return type.equals(OCI_INDEX) || type.equals(DOCKER_MANIFEST_LIST);
  }

  /**
   * Whether the media type is a single-platform image manifest: OCI or Docker schema 2.
   *
   * @param mediaType a media type, possibly with parameters; may be empty
   * @return {@code true} for {@link #OCI_MANIFEST} and {@link #DOCKER_MANIFEST_V2}
   */
  public static boolean isImageManifest(String mediaType) {
    String type = essence(mediaType);
    return type.equals(OCI_MANIFEST) || type.equals(DOCKER_MANIFEST_V2);
  }

  /**
   * Whether the media type is a Docker schema 1 manifest, which this client does not support.
   *
   * @param mediaType a media type, possibly with parameters; may be empty
   * @return {@code true} for {@link #DOCKER_SCHEMA1} and {@link #DOCKER_SCHEMA1_SIGNED}
   */
  public static boolean isSchema1(String mediaType) {
    String type = essence(mediaType);
    return type.equals(DOCKER_SCHEMA1) || type.equals(DOCKER_SCHEMA1_SIGNED);
  }

  /**
   * The media type without parameters or surrounding whitespace, in lower case.
   *
   * @param mediaType a media type such as a {@code Content-Type} value; may be empty
   * @return for example {@code application/json} for {@code "Application/JSON; charset=utf-8"}
   */
  public static String essence(String mediaType) {
    int semicolon = mediaType.indexOf(';');
    String type = semicolon < 0 ? mediaType : mediaType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }
}
