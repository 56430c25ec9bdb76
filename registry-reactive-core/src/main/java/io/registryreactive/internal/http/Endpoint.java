package io.registryreactive.internal.http;

import io.registryreactive.RegistryException;

/**
 * One registry endpoint: the request it sends, and a pure reading of the response it gets. Sending
 * is {@link RegistryHttp#call}, the one place that builds, exchanges and maps statuses to errors;
 * an endpoint only says which statuses it reads and what they mean, so its parsing is tested
 * without HTTP by building a {@link RegistryResponse} and calling {@link #read}.
 *
 * <p>Streaming: an endpoint whose body may be large (a tag list of a million names) puts a {@link
 * BodyDecoder} on its request. The transport then feeds the body to the decoder chunk by chunk as
 * it arrives and hands {@link #readExpected} a response whose {@link RegistryResponse#decoded()}
 * holds the result; the body is never held whole. A response built without the transport (a test)
 * carries its body bytes instead, and the endpoint runs the same decoder over them (see {@link
 * RegistryResponse#decodedWith}), so both paths share one parser.
 *
 * @param <T> what the endpoint reads from a response
 */
public interface Endpoint<T> {

  /**
   * @return the request to send; may be called more than once and must return the same request
   */
  RegistryRequest request();

  /**
   * Whether a status is one this endpoint reads rather than an error; default 200 only.
   *
   * @param status the HTTP status
   * @return {@code true} to pass the response to {@link #readExpected}
   */
  default boolean expects(int status) {
    return status == 200;
  }

  /**
   * Reads a response whose status {@link #expects} accepted. Pure: no I/O, no side effects.
   *
   * @param response the response
   * @return the result
   * @throws RegistryException if the response is not what the endpoint needs (a protocol error, a
   *     digest mismatch)
   */
  T readExpected(RegistryResponse response);

  /**
   * The error for a status this endpoint does not read; default the status mapping of {@link
   * ResponseErrors#toException}, with the request's operation as the summary.
   *
   * @param response the response
   * @return the exception to signal
   */
  default RegistryException unexpected(RegistryResponse response) {
    return ResponseErrors.toException(response, response.request().operation());
  }

  /**
   * Reads any response: the result, or a typed error. Pure.
   *
   * @param response the response
   * @return the result
   * @throws RegistryException for an unexpected status or an unusable response
   */
  default T read(RegistryResponse response) {
    if (!expects(response.status())) {
      throw unexpected(response);
    }
    return readExpected(response);
  }
}
