package io.registryreactive.internal.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one configured {@link ObjectMapper} of the client; thread-safe, never reconfigure it. */
public final class Json {

  // Registries add members over time (OCI 1.1 added subject/artifactType): ignore what we don't
  // know.
  // Trailing tokens make "404 page not found" fail instead of parsing as the number 404.
  // Source is left out of parse errors so messages never echo a response body.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  static {
    // Jackson builds the root JsonNode deserializer on first use under a ReentrantLock; when
    // several
    // event-loop threads parse their first responses at once, all but one park on it (BlockHound
    // rejects that). Building it here, once, leaves only lock-free cache hits for the event loops.
    try {
      MAPPER.readTree("{}");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Json() {}

  /**
   * The shared mapper.
   *
   * @return the mapper; do not change its configuration
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
