package io.registryreactive.internal.http;

import java.util.Optional;

/**
 * Decodes a response body while it arrives, instead of buffering it whole: a tag list of a million
 * entries is about 20 MB of JSON that need never be held at once. A request without a decoder, or a
 * response the decoder declines (an error status), is buffered as usual.
 */
public interface BodyDecoder {

  /**
   * Called once the status is known.
   *
   * @param status the HTTP status
   * @return a decoding for this body, or empty to buffer it instead
   */
  Optional<Decoding> start(int status);

  /** The decoding of one body; used by one thread at a time. */
  interface Decoding {
    /**
     * Consumes the next chunk; the array is not kept.
     *
     * @param chunk bytes of the body, in order
     */
    void append(byte[] chunk);

    /**
     * Called after the last chunk.
     *
     * @return the decoded value, handed to the caller as {@link RegistryResponse#decoded()}
     */
    Object finish();
  }
}
