package io.registryreactive.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digests tests expect, computed with the JDK alone: a test that checked the SDK's digests with
 * the SDK's own digest code could not fail when that code is wrong.
 */
public final class TestDigests {

  private TestDigests() {}

  /**
   * The digest of exact bytes.
   *
   * @param content the bytes
   * @return {@code sha256:<64 lower-case hex digits>}
   */
  public static String sha256(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The digest of a string's UTF-8 bytes.
   *
   * @param content the text
   * @return {@code sha256:<64 lower-case hex digits>}
   */
  public static String sha256(String content) {
    return sha256(content.getBytes(StandardCharsets.UTF_8));
  }
}
