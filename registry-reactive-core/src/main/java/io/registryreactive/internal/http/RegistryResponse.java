package io.registryreactive.internal.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A fully read response. Bodies are small (capped by {@link RegistryRequest#maxResponseBytes()}),
 * so they are held as one array; no Netty buffer escapes the HTTP layer.
 *
 * @param request the request that got this response (after redirects: the last hop)
 * @param status HTTP status code
 * @param headers header values keyed by lower-case name
 * @param body the body bytes, empty for HEAD and for empty bodies
 * @param attempt which attempt got this response, 1 for the first (see {@link ResiliencePolicy})
 * @param earlierAttemptUncertain whether an earlier attempt of the same request may have been
 *     applied by the registry without the client learning it (its connection failed or timed out,
 *     or it got a 5xx/408 that a proxy may have sent after the registry acted)
 * @param decoded what the request's {@link BodyDecoder} made of the body while it arrived (then
 *     {@code body} is empty), or {@code null} when the body was buffered
 */
public record RegistryResponse(
    RegistryRequest request,
    int status,
    Map<String, List<String>> headers,
    byte[] body,
    int attempt,
    boolean earlierAttemptUncertain,
    @Nullable Object decoded) {

  /**
   * Canonical constructor; copies the header map.
   *
   * @param request the request that got this response (after redirects: the last hop)
   * @param status HTTP status code
   * @param headers header values keyed by lower-case name
   * @param body the body bytes, empty for HEAD and for empty bodies
   * @param attempt which attempt got this response, 1 for the first (see {@link ResiliencePolicy})
   * @param earlierAttemptUncertain whether an earlier attempt of the same request may have been
   *     applied by the registry without the client learning it (its connection failed or timed out,
   *     or it got a 5xx/408 that a proxy may have sent after the registry acted)
   * @param decoded what the request's {@link BodyDecoder} made of the body while it arrived (then
   *     {@code body} is empty), or {@code null} when the body was buffered
   */
  public RegistryResponse {
    headers = Map.copyOf(headers);
  }

  /**
   * A first-attempt response.
   *
   * @param request the request
   * @param status the status
   * @param headers headers keyed by lower-case name
   * @param body the body
   */
  public RegistryResponse(
      RegistryRequest request, int status, Map<String, List<String>> headers, byte[] body) {
    this(request, status, headers, body, 1, false, null);
  }

  /**
   * @param n the attempt number
   * @param uncertain whether an earlier attempt's outcome is unknown
   * @return this response marked as the answer to attempt {@code n}
   */
  public RegistryResponse withAttempt(int n, boolean uncertain) {
    return n == attempt && uncertain == earlierAttemptUncertain
        ? this
        : new RegistryResponse(request, status, headers, body, n, uncertain, decoded);
  }

  /**
   * The first value of a header.
   *
   * @param name header name, any case (a lower-case name is looked up without a copy, which is why
   *     the request path spells names in lower case)
   * @return the value, if present
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * All values of a header.
   *
   * @param name header name, any case
   * @return the values, possibly empty
   */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /**
   * @return the media type of the body without parameters, or empty
   */
  public String contentType() {
    return header("content-type")
        .map(
            v -> {
              int semi = v.indexOf(';');
              return (semi < 0 ? v : v.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
            })
        .orElse("");
  }

  /**
   * What a streaming decoder made of this body: the value the transport decoded while the body
   * arrived, or, for a response whose body was buffered (built by a test, or a status the decoder
   * declined), the same decoder run over the buffered bytes.
   *
   * @param decoder the decoder the request carried
   * @return the decoded value
   */
  public Object decodedWith(BodyDecoder decoder) {
    Object value = decoded;
    if (value != null) {
      return value;
    }
    BodyDecoder.Decoding decoding =
        decoder
            .start(status)
            .orElseThrow(() -> new IllegalStateException("the decoder declines status " + status));
    decoding.append(body);
    return decoding.finish();
  }

  /**
   * @return the body decoded as UTF-8
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /**
   * @return the URL that answered
   */
  public URI uri() {
    return request.uri();
  }

  /**
   * @return whether the status is 2xx
   */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return request.describe() + " -> " + status;
  }
}
