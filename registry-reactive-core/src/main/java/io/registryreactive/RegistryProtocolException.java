package io.registryreactive;

import org.jspecify.annotations.Nullable;

/**
 * The registry (or a proxy, or a token service) answered with something this client cannot use: a
 * malformed JSON body, a body over the size cap, a {@code Link} header that loops, a token response
 * without a token. Not retryable: the same request is expected to get the same answer.
 */
public class RegistryProtocolException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, naming the request
   * @param cause the parse failure, or {@code null}
   */
  public RegistryProtocolException(String message, @Nullable Throwable cause) {
    super(message, cause, false);
  }
}
