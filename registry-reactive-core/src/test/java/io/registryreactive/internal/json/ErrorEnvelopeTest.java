package io.registryreactive.internal.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.model.RegistryError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorEnvelopeTest {

  private static List<RegistryError> parse(String body) {
    return ErrorEnvelope.parse(body.getBytes(UTF_8));
  }

  /** The one error the body holds. */
  private static RegistryError onlyError(String body) {
    List<RegistryError> errors = parse(body);
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  @Test
  void parse_whenStandardEnvelope_returnsEachError() {
    List<RegistryError> errors =
        parse(
            """
        {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"1.0"}},
                   {"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}
        """);

    assertThat(errors)
        .containsExactly(
            new RegistryError("MANIFEST_UNKNOWN", "manifest unknown", "{\"Tag\":\"1.0\"}"),
            new RegistryError("NAME_UNKNOWN", "repository name not known to registry", ""));
  }

  @Test
  void parse_whenDetailIsArray_keepsItAsJsonText() {
    RegistryError error =
        onlyError(
            """
        {"errors":[{"code":"DENIED","message":"requested access to the resource is denied",
          "detail":[{"Type":"repository","Name":"team/app","Action":"delete"}]}]}
        """);

    assertThat(error.detail())
        .isEqualTo("[{\"Type\":\"repository\",\"Name\":\"team/app\",\"Action\":\"delete\"}]");
  }

  @Test
  void parse_whenDetailIsString_keepsItAsJsonString() {
    RegistryError error =
        onlyError(
            "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"The operation is unsupported.\","
                + "\"detail\":\"deletion disabled\"}]}");

    assertThat(error.detail()).isEqualTo("\"deletion disabled\"");
  }

  @Test
  void parse_whenDetailIsNullOrNumber_treatsNullAsAbsent() {
    List<RegistryError> errors =
        parse(
            "{\"errors\":[{\"code\":\"SIZE_INVALID\",\"detail\":null},{\"code\":\"SIZE_INVALID\",\"detail\":42}]}");

    assertThat(errors).extracting(RegistryError::detail).containsExactly("", "42");
  }

  @Test
  void parse_whenCodeIsUnknown_keepsCodeAndMapsKnownCodeToUnknown() {
    RegistryError error =
        onlyError(
            "{\"errors\":[{\"code\":\"quota_exceeded\",\"message\":\"storage quota exceeded\"}]}");

    assertThat(error.code()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(error.knownCode()).isEqualTo("UNKNOWN");
    assertThat(error.message()).isEqualTo("storage quota exceeded");
  }

  @Test
  void parse_whenEntryHasNoCodeOrIsNotAnObject_keepsObjectEntriesOnly() {
    List<RegistryError> errors = parse("{\"errors\":[\"oops\", 7, {\"message\":\"no code\"}]}");

    assertThat(errors).containsExactly(new RegistryError("", "no code", ""));
  }

  @Test
  void parse_whenErrorsIsSingleObject_returnsIt() {
    List<RegistryError> errors =
        parse("{\"errors\":{\"code\":\"UNAVAILABLE\",\"message\":\"try later\"}}");

    assertThat(errors).containsExactly(new RegistryError("UNAVAILABLE", "try later", ""));
  }

  @Test
  void parse_whenDockerHubMessage_returnsUnknownError() {
    String rateLimited =
        "You have reached your pull rate limit. You may increase the limit by"
            + " authenticating and upgrading: https://www.docker.com/increase-rate-limit";
    RegistryError error = onlyError("{\"message\":\"" + rateLimited + "\"}");

    assertThat(error.code()).isEqualTo("UNKNOWN");
    assertThat(error.message()).startsWith("You have reached your pull rate limit.");
  }

  @Test
  void parse_whenDockerHubDetails_returnsUnknownError() {
    List<RegistryError> errors = parse("{\"details\":\"incorrect username or password\"}");

    assertThat(errors)
        .containsExactly(new RegistryError("UNKNOWN", "incorrect username or password", ""));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   \n",
        "404 page not found\n",
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
            + "</center><hr><center>nginx</center></body></html>",
        "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"",
        "{\"errors\":",
        "[{\"code\":\"MANIFEST_UNKNOWN\"}]",
        "\"MANIFEST_UNKNOWN\"",
        "null",
        "{}",
        "{\"errors\":[]}",
        "{\"errors\":\"MANIFEST_UNKNOWN\"}",
        "{\"message\":\"\"}"
      })
  void parse_whenBodyHoldsNoErrors_returnsEmptyWithoutThrowing(String body) {
    assertThat(parse(body)).isEmpty();
  }

  @Test
  void parse_whenBodyIsBinary_returnsEmpty() {
    byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xc3, 0x28};

    assertThat(ErrorEnvelope.parse(gzip)).isEmpty();
  }
}
