package io.registryreactive.testkit;

import java.util.Objects;

/**
 * A blob of a test image: a config or a layer, with its digest.
 *
 * @param digest the sha256 digest of {@code bytes}
 * @param mediaType the media type manifests use for the blob
 * @param bytes the content; copied in and out
 */
public record Blob(String digest, String mediaType, byte[] bytes) {

  /**
   * Copies the content.
   *
   * @param digest the sha256 digest of {@code bytes}
   * @param mediaType the media type manifests use for the blob
   * @param bytes the content; copied in and out
   */
  public Blob {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(mediaType, "mediaType");
    bytes = bytes.clone();
  }

  /**
   * A blob whose digest is computed from the content.
   *
   * @param mediaType the media type
   * @param bytes the content
   * @return the blob
   */
  public static Blob of(String mediaType, byte[] bytes) {
    return new Blob(TestDigests.sha256(bytes), mediaType, bytes);
  }

  /**
   * @return a copy of the content
   */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * @return the content length in bytes
   */
  public long size() {
    return bytes.length;
  }

  /** Equal when digest and media type are (the content follows from the digest). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Blob that
        && digest.equals(that.digest)
        && mediaType.equals(that.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest, mediaType);
  }

  @Override
  public String toString() {
    return "Blob[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
