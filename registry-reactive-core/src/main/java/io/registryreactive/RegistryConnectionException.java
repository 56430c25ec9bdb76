package io.registryreactive;

/**
 * The request did not get a complete HTTP answer: connection refused or reset, premature close,
 * connect or response timeout, or bytes that do not parse as an HTTP response. Retryable.
 */
public class RegistryConnectionException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the request and what happened to it
   * @param cause the I/O failure
   */
  public RegistryConnectionException(String message, Throwable cause) {
    super(message, cause, true);
  }

  /**
   * Creates the exception, saying whether a retry may help: a TLS handshake that failed for want of
   * a trusted certificate, or a plain-http registry addressed with https, fails the same way again.
   *
   * @param message the request and what happened to it
   * @param cause the I/O failure
   * @param retryable whether retrying may succeed
   */
  public RegistryConnectionException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
