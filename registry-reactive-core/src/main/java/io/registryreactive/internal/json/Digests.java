package io.registryreactive.internal.json;

import io.registryreactive.model.ImageReference;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Content digests ({@code algorithm:hex}) as the distribution spec defines them. */
public final class Digests {

  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  /**
   * The sha256 digest of the bytes.
   *
   * @param content the bytes
   * @return {@code sha256:} followed by 64 lower-case hex digits
   */
  public static String sha256(byte[] content) {
    return "sha256:" + HEX.formatHex(messageDigest("SHA-256").digest(content));
  }

  /**
   * The sha256 digest of the buffers' remaining bytes, in order. The buffers' positions do not
   * change.
   *
   * @param buffers the content, possibly split over several buffers
   * @return {@code sha256:} followed by 64 lower-case hex digits
   */
  public static String sha256(ByteBuffer... buffers) {
    Sha256 sha256 = new Sha256();
    for (ByteBuffer buffer : buffers) {
      sha256.update(buffer);
    }
    return sha256.digest();
  }

  /**
   * Whether the text is a digest a registry accepts: the OCI grammar, and for {@code sha256} and
   * {@code sha512} the right number of lower-case hex digits.
   *
   * @param digest the text to check
   * @return {@code true} if well-formed
   */
  public static boolean isWellFormed(String digest) {
    // One grammar for the whole SDK: the reference parser's, which also explains what is wrong.
    return ImageReference.isValidDigest(digest);
  }

  /**
   * Whether {@link #matches} can verify content against this digest.
   *
   * @param digest the digest
   * @return {@code true} for well-formed {@code sha256} and {@code sha512} digests
   */
  public static boolean isSupported(String digest) {
    return isWellFormed(digest) && algorithm(digest) != null;
  }

  /**
   * Whether the content hashes to the digest.
   *
   * @param digest a {@code sha256:} or {@code sha512:} digest
   * @param content the bytes to verify
   * @return {@code true} if the content's digest equals {@code digest}
   * @throws IllegalArgumentException if the digest is malformed or of another algorithm; see {@link
   *     #isSupported}
   */
  public static boolean matches(String digest, byte[] content) {
    String algorithm = isWellFormed(digest) ? algorithm(digest) : null;
    if (algorithm == null) {
      throw new IllegalArgumentException(
          "cannot verify content against digest '"
              + digest
              + "': only well-formed sha256 and sha512 digests are supported");
    }
    byte[] expected = HEX.parseHex(digest.substring(digest.indexOf(':') + 1));
    return MessageDigest.isEqual(expected, messageDigest(algorithm).digest(content));
  }

  private static @Nullable String algorithm(String digest) {
    if (digest.startsWith("sha256:")) {
      return "SHA-256";
    }
    if (digest.startsWith("sha512:")) {
      return "SHA-512";
    }
    return null;
  }

  private static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 and SHA-512.
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  /**
   * A sha256 digest computed while content arrives, for example chunk by chunk from a response
   * body. Not thread-safe; use one per body.
   */
  public static final class Sha256 {

    private final MessageDigest messageDigest = messageDigest("SHA-256");
    private long byteCount;
    private @Nullable String result;

    /** Starts an empty digest. */
    public Sha256() {}

    /**
     * Adds the buffer's remaining bytes. The buffer's position does not change.
     *
     * @param buffer the next chunk
     * @return this accumulator
     * @throws IllegalStateException if {@link #digest()} was called already
     */
    public Sha256 update(ByteBuffer buffer) {
      checkOpen();
      ByteBuffer view = buffer.duplicate();
      byteCount += view.remaining();
      messageDigest.update(view);
      return this;
    }

    /**
     * Adds the bytes.
     *
     * @param bytes the next chunk
     * @return this accumulator
     * @throws IllegalStateException if {@link #digest()} was called already
     */
    public Sha256 update(byte[] bytes) {
      checkOpen();
      byteCount += bytes.length;
      messageDigest.update(bytes);
      return this;
    }

    /**
     * How many bytes were added.
     *
     * @return the byte count
     */
    public long byteCount() {
      return byteCount;
    }

    /**
     * The digest of all bytes added. Further calls return the same value; further updates fail.
     *
     * @return {@code sha256:} followed by 64 lower-case hex digits
     */
    public String digest() {
      String digest = result;
      if (digest == null) {
        digest = "sha256:" + HEX.formatHex(messageDigest.digest());
        result = digest;
      }
      return digest;
    }

    private void checkOpen() {
      if (result != null) {
        throw new IllegalStateException("digest() was called; this accumulator is finished");
      }
    }

    /**
     * The digest if finished, else a description.
     *
     * @return a short description
     */
    @Override
    public String toString() {
      return Objects.requireNonNullElse(result, "Sha256[" + byteCount + " bytes, open]");
    }
  }
}
