package io.registryreactive.internal.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.BodyDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The listing parser reads bodies chunk by chunk, wherever the chunks happen to split the JSON. */
class ListingJsonTest {

  private static final String BODY =
      "{\"name\":\"team/app\",\"extra\":{\"tags\":[1,{\"x\":[]}]},\"tags\":[\"v1\",\"a\\\"b\",\"\\u00e9t\\u00e9\",\"latest\"]}";

  private static List<String> parseInChunks(String json, int chunkSize) {
    BodyDecoder.Decoding decoding = ListingJson.decoder("tags", "test").start(200).orElseThrow();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += chunkSize) {
      decoding.append(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunkSize)));
    }
    @SuppressWarnings("unchecked")
    List<String> tags = (List<String>) decoding.finish();
    return tags;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16, 1000})
  void decoder_whenBodyArrivesInChunks_readsTheTopLevelArrayOnly(int chunkSize) {
    assertThat(parseInChunks(BODY, chunkSize)).containsExactly("v1", "a\"b", "été", "latest");
  }

  @Test
  void decoder_whenTagsNull_readsNoTags() {
    assertThat(parseInChunks("{\"name\":\"a\",\"tags\":null}", 3)).isEmpty();
  }

  @Test
  void decoder_whenStatusIsNot200_leavesTheBodyToBeBuffered() {
    assertThat(ListingJson.decoder("tags", "test").start(404)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html>502 Bad Gateway</html>",
        "[\"a\"]",
        "{\"name\":\"a\"}",
        "{\"tags\":\"a\"}",
        "{\"tags\":[1]}",
        "{\"tags\":[\"a\"]",
        "{\"tags\":[\"a\"]}{}",
        ""
      })
  void decoder_whenBodyIsNotATagList_failsWithProtocolError(String body) {
    assertThatThrownBy(() -> parseInChunks(body, 4))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("test: unexpected response");
  }

  @Test
  void readStringArray_whenWholeBody_matchesTheChunkedParse() {
    assertThat(ListingJson.readStringArray(BODY.getBytes(StandardCharsets.UTF_8), "tags", "test"))
        .isEqualTo(parseInChunks(BODY, 5));
  }
}
