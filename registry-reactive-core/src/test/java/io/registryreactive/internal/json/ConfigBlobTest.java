package io.registryreactive.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.model.Platform;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigBlobTest {

  /** Shaped like a BuildKit config: the top-level created differs from the history entries'. */
  private static final String CONFIG =
      """
      {"architecture":"arm64","config":{"Env":["PATH=/usr/local/bin:/usr/bin"],"Cmd":["/bin/sh"],
       "Labels":{"org.opencontainers.image.created":"2020-01-01T00:00:00Z"}},
       "created":"2024-02-29T13:45:12.123456789Z",
       "history":[{"created":"2019-06-01T00:00:00Z","created_by":"ADD file:abc in /"}],
       "os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"]},
       "variant":"v8"}
      """;

  @Test
  void parseCreated_whenConfigHasCreated_returnsTopLevelTimeWithNanoseconds() {
    assertThat(ConfigBlob.parseCreated(CONFIG.getBytes(UTF_8)))
        .contains(Instant.parse("2024-02-29T13:45:12.123456789Z"));
  }

  @Test
  void parsePlatform_whenConfigHasOsArchitectureVariant_returnsThem() {
    assertThat(ConfigBlob.parsePlatform(CONFIG.getBytes(UTF_8)))
        .contains(new Platform("arm64", "linux", "v8", ""));
  }

  @Test
  void parsePlatform_whenWindowsConfig_readsOsVersion() {
    String json =
        "{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.20348.2340\"}";

    assertThat(ConfigBlob.parsePlatform(json.getBytes(UTF_8)))
        .contains(new Platform("amd64", "windows", "", "10.0.20348.2340"));
  }

  @Test
  void parse_whenConfigHasNeitherCreatedNorPlatform_returnsEmptyValues() {
    ConfigBlob config =
        ConfigBlob.parse("{\"config\":{},\"rootfs\":{\"type\":\"layers\"}}".getBytes(UTF_8));

    assertThat(config.created()).isEmpty();
    assertThat(config.platform()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "<html></html>",
        "[]",
        "{\"created\":",
        "{\"created\":12345}",
        "{\"created\":\"yesterday\"}",
        "{\"created\":\"2024-13-01T00:00:00Z\"}",
        "{\"created\":\"2024-02-30T00:00:00Z\"}",
        "{\"created\":\"2024-01-01\"}",
        "{\"created\":\"2024-01-01T00:00:00\"}",
        "{\"created\":null}"
      })
  void parseCreated_whenAbsentOrInvalid_returnsEmpty(String json) {
    assertThat(ConfigBlob.parseCreated(json.getBytes(UTF_8))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "2024-05-01T12:30:00Z, 2024-05-01T12:30:00Z",
    "2024-05-01T14:30:00+02:00, 2024-05-01T12:30:00Z",
    "2024-05-01T07:30:00.5-05:00, 2024-05-01T12:30:00.500Z",
    "2024-05-01t12:30:00z, 2024-05-01T12:30:00Z",
    "2024-05-01 12:30:00Z, 2024-05-01T12:30:00Z",
    "2024-05-01T12:30:00.1234567891234Z, 2024-05-01T12:30:00.123456789Z",
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z"
  })
  void parseTimestamp_whenRfc3339_returnsInstant(String text, String expected) {
    assertThat(ConfigBlob.parseTimestamp(text)).contains(Instant.parse(expected));
  }
}
