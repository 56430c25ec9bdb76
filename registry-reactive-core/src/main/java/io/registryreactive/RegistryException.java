package io.registryreactive;

import io.registryreactive.internal.auth.Redactor;

/**
 * Root of every failure this SDK reports. Messages never contain credentials or tokens.
 *
 * <p>{@link #isRetryable()} says whether trying the same operation again may succeed (a transient
 * fault such as a dropped connection, a 503 or a 429), as opposed to a failure that will repeat
 * (bad credentials, a malformed reference, deletion disabled).
 */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * Creates a non-retryable exception.
   *
   * @param message what failed, without credentials
   */
  public RegistryException(String message) {
    this(message, null, false);
  }

  /**
   * Creates an exception.
   *
   * @param message what failed, without credentials
   * @param cause the underlying failure, or {@code null}
   * @param retryable whether retrying the operation may succeed
   */
  public RegistryException(
      String message, @org.jspecify.annotations.Nullable Throwable cause, boolean retryable) {
    // Every message of the SDK passes here: the one place that keeps secrets out of them.
    super(Redactor.redact(message), cause);
    this.retryable = retryable;
  }

  /**
   * Whether retrying the same operation may succeed.
   *
   * @return {@code true} for transient failures
   */
  public boolean isRetryable() {
    return retryable;
  }
}
