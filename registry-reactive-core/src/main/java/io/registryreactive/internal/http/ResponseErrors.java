package io.registryreactive.internal.http;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.AuthenticationException;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.NotFoundException;
import io.registryreactive.RateLimitedException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.internal.json.ErrorEnvelope;
import io.registryreactive.model.RegistryError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The one place where an unexpected HTTP status becomes a typed exception. */
public final class ResponseErrors {

  private ResponseErrors() {}

  /**
   * Maps a response the caller did not expect to the exception type for its status.
   *
   * @param response the response
   * @param summary what was being done ("list tags of repository 'a/b'")
   * @return the exception to signal
   */
  public static RegistryResponseException toException(RegistryResponse response, String summary) {
    String method = response.request().method();
    String url = response.uri().toString();
    int status = response.status();
    List<RegistryError> errors = ErrorEnvelope.parse(response.body());
    String excerpt = excerpt(response.body());
    switch (status) {
      case 401:
        return new AuthenticationException(
            summary + " failed: the registry rejected the credentials",
            method,
            url,
            status,
            errors,
            excerpt,
            null);
      case 403:
        return new AccessDeniedException(
            summary + " failed: access denied", method, url, status, errors, excerpt, null);
      case 404:
        return new NotFoundException(
            summary + " failed: not found", method, url, status, errors, excerpt, null);
      case 405:
        if (isReadOnlyMaintenance(response)) {
          return new RegistryResponseException(
              summary + " failed: the registry is read-only (maintenance); " + "retry later",
              method,
              url,
              status,
              errors,
              excerpt,
              true,
              null);
        }
        if ("DELETE".equals(method)
            && errors.stream().anyMatch(e -> e.code().equals("UNSUPPORTED"))) {
          return new DeletionDisabledException(method, url, errors, excerpt);
        }
        return new RegistryResponseException(
            summary + " failed: method not allowed",
            method,
            url,
            status,
            errors,
            excerpt,
            false,
            null);
      case 429:
        return new RateLimitedException(
            method, url, errors, excerpt, retryAfter(response, Instant.now()).orElse(null));
      default:
        return new RegistryResponseException(
            summary + " failed",
            method,
            url,
            status,
            errors,
            excerpt,
            isRetryableStatus(status),
            null);
    }
  }

  /**
   * Whether a status is worth retrying: 408, 429 and 5xx except 501 and 505.
   *
   * @param status HTTP status
   * @return {@code true} if a retry may succeed
   */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
  }

  /**
   * Whether a response is the 405 of a registry in read-only maintenance: distribution answers it
   * in plain text ({@code Allow: GET, HEAD}) without the JSON {@code UNSUPPORTED} error that means
   * deletion is disabled. Worth retrying later.
   *
   * @param response a response
   * @return {@code true} for a read-only 405
   */
  public static boolean isReadOnlyMaintenance(RegistryResponse response) {
    return response.status() == 405
        && !response.contentType().contains("json")
        && ErrorEnvelope.parse(response.body()).isEmpty();
  }

  /**
   * Parses {@code Retry-After} in either form, delay-seconds or HTTP-date.
   *
   * @param response the response
   * @param now the current time, for the date form
   * @return the wait, never negative; empty if absent or unparseable
   */
  public static Optional<Duration> retryAfter(RegistryResponse response, Instant now) {
    return response.header("Retry-After").flatMap(v -> parseRetryAfter(v, now));
  }

  /**
   * Parses a {@code Retry-After} value.
   *
   * @param value delay-seconds or an HTTP-date
   * @param now the current time
   * @return the wait, never negative; empty if unparseable
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.strip();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The start of a body as text, for messages.
   *
   * @param body the body bytes
   * @return at most {@link RegistryResponseException#MAX_BODY_EXCERPT} characters
   */
  public static String excerpt(byte[] body) {
    int len = Math.min(body.length, RegistryResponseException.MAX_BODY_EXCERPT * 4);
    String text = new String(body, 0, len, StandardCharsets.UTF_8);
    return text.length() > RegistryResponseException.MAX_BODY_EXCERPT
        ? text.substring(0, RegistryResponseException.MAX_BODY_EXCERPT)
        : text;
  }
}
