package io.registryreactive.model;

import java.util.Locale;
import java.util.Set;

/**
 * One entry of a registry's error envelope {@code {"errors":[{"code","message","detail"}]}}.
 *
 * @param code the code as the registry sent it (for example {@code MANIFEST_UNKNOWN}); empty if
 *     absent
 * @param message the human-readable message; empty if absent
 * @param detail the {@code detail} member re-serialised as JSON text (any JSON value); empty if
 *     absent
 */
public record RegistryError(String code, String message, String detail) {

  /** Codes defined by the distribution spec and the reference registry. */
  public static final Set<String> KNOWN_CODES =
      Set.of(
          "BLOB_UNKNOWN",
          "BLOB_UPLOAD_INVALID",
          "BLOB_UPLOAD_UNKNOWN",
          "DIGEST_INVALID",
          "MANIFEST_BLOB_UNKNOWN",
          "MANIFEST_INVALID",
          "MANIFEST_UNKNOWN",
          "MANIFEST_UNVERIFIED",
          "NAME_INVALID",
          "NAME_UNKNOWN",
          "SIZE_INVALID",
          "TAG_INVALID",
          "UNAUTHORIZED",
          "DENIED",
          "UNSUPPORTED",
          "TOOMANYREQUESTS",
          "UNAVAILABLE",
          "PAGINATION_NUMBER_INVALID",
          "UNKNOWN");

  /**
   * Canonical constructor; normalises the code to upper case.
   *
   * @param code the code as the registry sent it (for example {@code MANIFEST_UNKNOWN}); empty if
   *     absent
   * @param message the human-readable message; empty if absent
   * @param detail the {@code detail} member re-serialised as JSON text (any JSON value); empty if
   *     absent
   */
  public RegistryError {
    code = code.toUpperCase(Locale.ROOT);
  }

  /**
   * The code if it is one the spec defines, else {@code UNKNOWN}.
   *
   * @return a member of {@link #KNOWN_CODES}
   */
  public String knownCode() {
    return KNOWN_CODES.contains(code) ? code : "UNKNOWN";
  }

  @Override
  public String toString() {
    return code + (message.isEmpty() ? "" : ": " + message);
  }
}
