package io.registryreactive.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {

  @Test
  void redact_whenTextHoldsRegisteredSecrets_masksThemAndTheirBase64() {
    Redactor.registerBasic("alice", "Zebra-horse-42");
    String b64 =
        Base64.getEncoder().encodeToString("alice:Zebra-horse-42".getBytes(StandardCharsets.UTF_8));
    String out = Redactor.redact("you sent Zebra-horse-42 and also " + b64 + " raw");
    assertThat(out)
        .doesNotContain("Zebra-horse-42")
        .doesNotContain(b64)
        .contains("you sent *** and also *** raw");
  }

  @Test
  void redact_genericPatterns_maskUnregisteredCredentials() {
    assertThat(Redactor.redact("Authorization: Basic dW5rbm93bjp1bmtub3du"))
        .doesNotContain("dW5rbm93bjp1bmtub3du");
    assertThat(Redactor.redact("got Bearer eyJhbGciOi.abc.def here"))
        .isEqualTo("got Bearer *** here");
    assertThat(
            Redactor.redact(
                "{\"token\":\"t-1\",\"access_token\": \"a-2\",\"refresh_token\":\"r\\\"3\",\"x\":\"keep\"}"))
        .isEqualTo(
            "{\"token\":\"***\",\"access_token\": \"***\",\"refresh_token\":\"***\",\"x\":\"keep\"}");
    assertThat(Redactor.redact("grant_type=password&username=u&password=p%40ss&client_id=c"))
        .isEqualTo("grant_type=password&username=u&password=***&client_id=c");
    assertThat(Redactor.redact("bad URL https://bob:pw@registry.example.com/v2/"))
        .isEqualTo("bad URL https://***@registry.example.com/v2/");
    assertThat(Redactor.redact("{\"Authorization\":\"Token abc123\"}")).doesNotContain("abc123");
  }

  @Test
  void redact_leavesOrdinaryTextAlone() {
    String digest = "sha256:" + "ab".repeat(32);
    String text =
        "delete team/app@" + digest + " failed: GET https://registry.example.com/v2/ -> 404";
    assertThat(Redactor.redact(text)).isEqualTo(text);
    String challenge =
        "challenge: Bearer realm=\"https://auth.example.com/token\",service=\"registry\"";
    assertThat(Redactor.redact(challenge)).isEqualTo(challenge);
  }

  @Test
  void redact_skipsOnlyPatternsThatCannotMatch_sameResultAsRunningEveryPattern() {
    // Fragments of every pattern, in any case, glued at random: the prefilter (skip a pattern whose
    // words the text lacks) must never change what is masked.
    String[] parts = {
      "Basic ",
      "BEARER ",
      "bearer\t",
      "Authorization",
      "proxy-AUTHORIZATION",
      ": ",
      "=",
      "\"",
      "\":\"",
      "token",
      "Access_Token",
      "refresh_token",
      "id_token",
      "IdentityToken",
      "password",
      "Secret",
      "auth",
      "AUTH",
      "https://",
      "://",
      "@",
      "u:p",
      "dW5rbm93bjp1bmtub3du",
      "abc123",
      " ",
      ",",
      "}",
      "{",
      "&",
      "\\",
      "\n",
      "sha256:",
      "ab".repeat(8),
      "realm=\"x\"",
      "İ",
      "ſ",
      "K",
      "é",
      "tag-0001",
      "x"
    };
    java.util.Random random = new java.util.Random(13);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int j = 0; j < n; j++) {
        text.append(parts[random.nextInt(parts.length)]);
      }
      String t = text.toString();
      assertThat(Redactor.redact(t, true)).as(t).isEqualTo(Redactor.redact(t, false));
    }
  }

  @Test
  void redactForeign_masksLongSecretLookingWords() {
    assertThat(Redactor.redactForeign("error: token ghp_AbCdEf1234567890XyZuvw rejected"))
        .isEqualTo("error: token *** rejected");
  }

  @Test
  void credentialHelperError_whenTheHelperPrintsItsSecretOnStderr_doesNotRepeatIt(@TempDir Path dir)
      throws Exception {
    String secret = "hlp-5ecret-0123456789abcdef";
    FakeCredentialHelpers.write(
        dir,
        "leaky",
        "echo \"keychain says: secret "
            + secret
            + " is locked; Authorization: Basic c2VjcmV0OnNlY3JldA==\" >&2; exit 1");
    CredentialHelper runner = FakeCredentialHelpers.runner(dir, Duration.ofSeconds(20));
    Assertions.assertThatThrownBy(() -> runner.get("leaky", "registry.example.com"))
        .hasMessageContaining("docker-credential-leaky get exited with status 1")
        .hasMessageContaining("keychain says")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(secret)
                    .doesNotContain("c2VjcmV0OnNlY3JldA=="));
  }
}
