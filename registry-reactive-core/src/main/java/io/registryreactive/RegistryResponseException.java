package io.registryreactive;

import io.registryreactive.internal.auth.Redactor;
import io.registryreactive.model.RegistryError;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The registry answered with an unexpected HTTP status. Carries the request method and URL (without
 * credentials), the status, the parsed registry error codes and a bounded excerpt of the body.
 *
 * <p>Subtypes name the statuses callers commonly handle: {@link AuthenticationException} (401),
 * {@link AccessDeniedException} (403), {@link NotFoundException} (404), {@link
 * DeletionDisabledException} (405 {@code UNSUPPORTED}) and {@link RateLimitedException} (429).
 */
public class RegistryResponseException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /** At most this many characters of a response body are kept in an exception. */
  public static final int MAX_BODY_EXCERPT = 512;

  private final String method;
  private final String url;
  private final int statusCode;
  private final List<RegistryError> errors;
  private final String bodyExcerpt;

  /**
   * Creates the exception.
   *
   * @param summary a short description of what failed; the method, URL, status and errors are
   *     appended
   * @param method the HTTP method
   * @param url the request URL, without credentials
   * @param statusCode the HTTP status, or 0 when the request was refused before it was sent
   * @param errors the registry errors parsed from the body, possibly empty
   * @param bodyExcerpt the start of the body, truncated to {@link #MAX_BODY_EXCERPT} characters
   * @param retryable whether retrying may succeed
   * @param cause an underlying failure, or {@code null}
   */
  public RegistryResponseException(
      String summary,
      String method,
      String url,
      int statusCode,
      List<RegistryError> errors,
      String bodyExcerpt,
      boolean retryable,
      @Nullable Throwable cause) {
    super(describe(summary, method, url, statusCode, errors, bodyExcerpt), cause, retryable);
    this.method = method;
    // Registries and token services echo requests back; what they echo may hold the credentials.
    this.url = Redactor.redact(url);
    this.statusCode = statusCode;
    this.errors =
        errors.stream()
            .map(
                e ->
                    new RegistryError(
                        e.code(), Redactor.redact(e.message()), Redactor.redact(e.detail())))
            .collect(Collectors.toUnmodifiableList());
    String body = Redactor.redact(bodyExcerpt);
    this.bodyExcerpt =
        body.length() > MAX_BODY_EXCERPT ? body.substring(0, MAX_BODY_EXCERPT) : body;
  }

  private static String describe(
      String summary,
      String method,
      String url,
      int status,
      List<RegistryError> errors,
      String body) {
    StringBuilder sb =
        new StringBuilder(summary).append(": ").append(method).append(' ').append(url);
    if (status > 0) {
      // 0 marks a request refused before it was sent: there is no answer to show.
      sb.append(" -> ").append(status);
    }
    if (!errors.isEmpty()) {
      sb.append(' ')
          .append(errors.stream().map(RegistryError::toString).collect(Collectors.joining("; ")));
    } else if (!body.isBlank()) {
      String oneLine = body.replaceAll("\\s+", " ").strip();
      sb.append(" body: ")
          .append(oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine);
    }
    return sb.toString();
  }

  /**
   * @return the HTTP method of the failed request
   */
  public String method() {
    return method;
  }

  /**
   * @return the URL of the failed request, without credentials
   */
  public String url() {
    return url;
  }

  /**
   * @return the HTTP status code, or 0 when the client refused to send the request
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * @return the registry's error entries, empty when the body held none (or was not JSON)
   */
  public List<RegistryError> errors() {
    return errors;
  }

  /**
   * Whether the registry reported this error code.
   *
   * @param code an error code such as {@code MANIFEST_UNKNOWN}
   * @return {@code true} if any error entry has the code
   */
  public boolean hasErrorCode(String code) {
    return errors.stream().anyMatch(e -> e.code().equalsIgnoreCase(code));
  }

  /**
   * @return the start of the response body, at most {@link #MAX_BODY_EXCERPT} characters
   */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
