package io.registryreactive;

import io.registryreactive.model.RegistryError;
import java.util.List;

/**
 * The registry refuses all deletes (HTTP 405 with code {@code UNSUPPORTED}). On CNCF distribution
 * this means {@code storage.delete.enabled} is not {@code true} in its configuration; the message
 * says so. Retrying does not help, so a pruning run stops at once.
 */
public class DeletionDisabledException extends RegistryResponseException {
  private static final long serialVersionUID = 1L;

  /** How to enable deletion on the reference registry; part of the message. */
  public static final String HOW_TO_ENABLE =
      "deletion is disabled on this registry; enable it in the registry configuration with "
          + "'storage: {delete: {enabled: true}}' (or REGISTRY_STORAGE_DELETE_ENABLED=true) and restart it";

  /**
   * Creates the exception.
   *
   * @param method the HTTP method
   * @param url the request URL, without credentials
   * @param errors the parsed registry errors
   * @param bodyExcerpt the start of the body
   */
  public DeletionDisabledException(
      String method, String url, List<RegistryError> errors, String bodyExcerpt) {
    super(HOW_TO_ENABLE, method, url, 405, errors, bodyExcerpt, false, null);
  }
}
