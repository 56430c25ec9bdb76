package io.registryreactive;

import io.registryreactive.model.RegistryError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The registry asked the client to slow down (HTTP 429, {@code TOOMANYREQUESTS}). Retryable; when
 * the registry sent {@code Retry-After}, {@link #retryAfter()} gives the wait it asked for.
 */
public class RateLimitedException extends RegistryResponseException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param method the HTTP method
   * @param url the request URL, without credentials
   * @param errors the parsed registry errors
   * @param bodyExcerpt the start of the body
   * @param retryAfter the wait the registry asked for, or {@code null} if it named none
   */
  public RateLimitedException(
      String method,
      String url,
      List<RegistryError> errors,
      String bodyExcerpt,
      @Nullable Duration retryAfter) {
    super(
        "rate limited by the registry"
            + (retryAfter == null ? "" : " (retry after " + retryAfter.toSeconds() + "s)"),
        method,
        url,
        429,
        errors,
        bodyExcerpt,
        true,
        null);
    this.retryAfter = retryAfter;
  }

  /**
   * @return the wait the registry asked for in {@code Retry-After}, if it sent one
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
