package io.registryreactive;

import io.registryreactive.model.RegistryError;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The registry or its token service rejected the credentials (HTTP 401), or asked for an
 * authentication scheme this client cannot perform.
 */
public class AuthenticationException extends RegistryResponseException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; see {@link RegistryResponseException#RegistryResponseException}.
   *
   * @param summary what failed
   * @param method the HTTP method
   * @param url the request URL, without credentials
   * @param statusCode the HTTP status
   * @param errors the parsed registry errors
   * @param bodyExcerpt the start of the body
   * @param cause an underlying failure, or {@code null}
   */
  public AuthenticationException(
      String summary,
      String method,
      String url,
      int statusCode,
      List<RegistryError> errors,
      String bodyExcerpt,
      @Nullable Throwable cause) {
    super(summary, method, url, statusCode, errors, bodyExcerpt, false, cause);
  }
}
