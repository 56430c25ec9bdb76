package io.registryreactive.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.registryreactive.RegistryResponseException;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;

/** Responses built by hand, as the transport would hand them to an endpoint's {@code read}. */
final class Responses {
  static final URI BASE = URI.create("http://registry.test:5000");
  static final RegistryUrls URLS = new RegistryUrls(BASE);
  static final String REPO = "team/app";

  private Responses() {}

  /**
   * @param endpoint whose request got the response
   * @param status the status
   * @param body the body
   * @param headers name, value, name, value, ...; a name may repeat
   * @return the response, first attempt
   */
  static RegistryResponse response(
      Endpoint<?> endpoint, int status, byte[] body, String... headers) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.computeIfAbsent(headers[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(headers[i + 1]);
    }
    return new RegistryResponse(endpoint.request(), status, map, body);
  }

  static RegistryResponse response(
      Endpoint<?> endpoint, int status, String body, String... headers) {
    return response(endpoint, status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /**
   * @return a distribution error envelope with one error
   */
  static String error(String code) {
    return "{\"errors\":[{\"code\":\""
        + code
        + "\",\"message\":\""
        + code.toLowerCase(Locale.ROOT)
        + "\"}]}";
  }

  /** A response of this status and body to the endpoint's request, to give headers and read. */
  static <T> Reply<T> reply(Endpoint<T> endpoint, int status, String body) {
    return new Reply<>(endpoint, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static <T> Reply<T> reply(Endpoint<T> endpoint, int status, byte[] body) {
    return new Reply<>(endpoint, status, body);
  }

  /** A JSON error envelope with one error of this code, as {@link #error(String)}. */
  static <T> Reply<T> errorReply(Endpoint<T> endpoint, int status, String code) {
    Reply<T> reply =
        reply(endpoint, status, error(code)).header("Content-Type", "application/json");
    reply.code = code;
    return reply;
  }

  /**
   * A response being put together for one endpoint's {@code read}: the status and body, then any
   * headers; then what {@code read} makes of it, or the assertion on what it throws.
   */
  static final class Reply<T> {
    private final Endpoint<T> endpoint;
    private final int status;
    private final byte[] body;
    private final List<String> headers = new ArrayList<>();
    private String code;

    private Reply(Endpoint<T> endpoint, int status, byte[] body) {
      this.endpoint = endpoint;
      this.status = status;
      this.body = body;
    }

    /** Adds a header; a name may repeat. */
    Reply<T> header(String name, String value) {
      headers.add(name);
      headers.add(value);
      return this;
    }

    /** Adds a {@code Docker-Content-Digest} header. */
    Reply<T> digest(String value) {
      return header("Docker-Content-Digest", value);
    }

    /** Adds a {@code Link} header. */
    Reply<T> link(String value) {
      return header("Link", value);
    }

    /** The response, first attempt. */
    RegistryResponse response() {
      return Responses.response(endpoint, status, body, headers.toArray(String[]::new));
    }

    /** What the endpoint's {@code read} returns for the response. */
    T read() {
      return endpoint.read(response());
    }

    /** What the endpoint's {@code read} throws, which must be of this type; for further checks. */
    <E extends Throwable> E readFailure(Class<E> type) {
      Throwable thrown = catchThrowable(this::read);
      assertThat(thrown).isInstanceOf(type);
      return type.cast(thrown);
    }

    /**
     * As {@link #readFailure}, for an {@link #errorReply}: the failure must carry the reply's error
     * code too.
     */
    <E extends RegistryResponseException> E readFailureWithCode(Class<E> type) {
      E failure = readFailure(type);
      assertThat(failure.hasErrorCode(code)).as("has error code %s: %s", code, failure).isTrue();
      return failure;
    }

    /** An assertion on what the endpoint's {@code read} throws; fails if it returns. */
    AbstractThrowableAssert<?, ? extends Throwable> readFails() {
      return assertThatThrownBy(this::read);
    }
  }

  static String sha256(String content) {
    return Digests.sha256(content.getBytes(StandardCharsets.UTF_8));
  }
}
