package io.registryreactive.internal.http;

import io.registryreactive.internal.auth.Scope;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request to the registry, described as data so it can be re-sent: after a 401 with a fresh
 * credential, after a redirect, and (with a replayable body) by the retry policy.
 *
 * @param method HTTP method in upper case
 * @param uri absolute URL
 * @param headers request headers other than {@code Authorization} (added by the authenticator)
 * @param body the request body; an empty array sends no body
 * @param scopes the token scopes the request needs (empty for {@code GET /v2/})
 * @param maxResponseBytes bodies larger than this fail with a protocol error instead of being
 *     buffered
 * @param operation a short name for logs, metrics and error messages ("list tags", "delete
 *     manifest")
 * @param decoder decodes the body while it arrives, instead of buffering it, if set
 */
public record RegistryRequest(
    String method,
    URI uri,
    Map<String, String> headers,
    byte[] body,
    List<Scope> scopes,
    long maxResponseBytes,
    String operation,
    @Nullable BodyDecoder decoder) {

  /** Default cap on a response body: manifests and error bodies are far smaller. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 8L * 1024 * 1024;

  private static final byte[] NO_BODY = new byte[0];

  /**
   * Canonical constructor; copies the header map.
   *
   * @param method HTTP method in upper case
   * @param uri absolute URL
   * @param headers request headers other than {@code Authorization} (added by the authenticator)
   * @param body the request body; an empty array sends no body
   * @param scopes the token scopes the request needs (empty for {@code GET /v2/})
   * @param maxResponseBytes bodies larger than this fail with a protocol error instead of being
   *     buffered
   * @param operation a short name for logs, metrics and error messages ("list tags", "delete
   *     manifest")
   * @param decoder decodes the body while it arrives, instead of buffering it, if set
   */
  public RegistryRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    headers = Map.copyOf(headers);
    scopes = List.copyOf(scopes);
  }

  /**
   * A request without a body and with the default response cap.
   *
   * @param method HTTP method
   * @param uri absolute URL
   * @param scopes token scopes
   * @param operation short name for logs
   * @return the request
   */
  public static RegistryRequest of(String method, URI uri, List<Scope> scopes, String operation) {
    return new RegistryRequest(
        method, uri, Map.of(), NO_BODY, scopes, DEFAULT_MAX_RESPONSE_BYTES, operation, null);
  }

  /**
   * This request with one more header.
   *
   * @param name header name
   * @param value header value
   * @return a copy with the header set
   */
  public RegistryRequest withHeader(String name, String value) {
    Map<String, String> copy;
    if (headers.isEmpty()) {
      // Already immutable: the canonical constructor's copy keeps it as it is.
      copy = Map.of(name, value);
    } else {
      copy = new LinkedHashMap<>(headers);
      copy.put(name, value);
    }
    return new RegistryRequest(
        method, uri, copy, body, scopes, maxResponseBytes, operation, decoder);
  }

  /**
   * This request with a body.
   *
   * @param content the bytes to send
   * @param contentType their media type
   * @return a copy with body and {@code Content-Type}
   */
  public RegistryRequest withBody(byte[] content, String contentType) {
    return new RegistryRequest(
            method, uri, headers, content, scopes, maxResponseBytes, operation, decoder)
        .withHeader("Content-Type", contentType);
  }

  /**
   * This request with another response cap.
   *
   * @param maxBytes the largest body accepted
   * @return a copy with the cap
   */
  public RegistryRequest withMaxResponseBytes(long maxBytes) {
    return new RegistryRequest(method, uri, headers, body, scopes, maxBytes, operation, decoder);
  }

  /**
   * This request sent to another URL (a redirect target, or an upload location).
   *
   * @param newMethod the method for the new URL
   * @param target the new absolute URL
   * @return a copy
   */
  public RegistryRequest redirectedTo(String newMethod, URI target) {
    byte[] newBody = newMethod.equals(method) ? body : NO_BODY;
    return new RegistryRequest(
        newMethod, target, headers, newBody, scopes, maxResponseBytes, operation, decoder);
  }

  /**
   * This request with a body decoder.
   *
   * @param bodyDecoder decodes a successful body while it arrives
   * @return a copy with the decoder
   */
  public RegistryRequest withDecoder(BodyDecoder bodyDecoder) {
    return new RegistryRequest(
        method, uri, headers, body, scopes, maxResponseBytes, operation, bodyDecoder);
  }

  /**
   * Whether the request may be sent again by the retry policy. Every body here is a byte array held
   * in memory, so every request is; a streamed body would not be.
   *
   * @return {@code true} if retries may re-send it
   */
  public boolean replayable() {
    return true;
  }

  /**
   * @return whether a body is sent
   */
  public boolean hasBody() {
    return body.length > 0;
  }

  /**
   * @return method and URL, as used in logs and errors (URLs never hold credentials here)
   */
  public String describe() {
    return method + " " + uri;
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
    return operation + " (" + describe() + ")";
  }
}
