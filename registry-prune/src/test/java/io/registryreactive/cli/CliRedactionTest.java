package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No credential reaches the CLI's stdout, stderr or logs, even when the registry echoes it back.
 */
@Timeout(60)
class CliRedactionTest {
  private static final String USER = "ci";
  private static final String PASSWORD = "echo-Pa55word-9x";

  private static List<String> secrets() {
    return List.of(
        PASSWORD,
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void ls_whenTheRegistryEchoesTheAuthorizationHeader_printsNoSecret() throws Exception {
    try (EchoingRegistry registry = new EchoingRegistry()) {
      for (String output : List.of("text", "json")) {
        CliRun run =
            CliRun.withStdin(
                PASSWORD + "\n",
                "ls",
                "--registry",
                registry.url(),
                "--username",
                USER,
                "--password-stdin",
                "--output",
                output);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
        assertThat(run.err()).contains("you sent Basic ***");
        for (String secret : secrets()) {
          assertThat(run.out() + run.err()).as(run.toString()).doesNotContain(secret);
        }
      }
      assertThat(registry.authorizations).anyMatch(a -> a.startsWith("Basic "));
    }
  }

  @Test
  void redactingWriter_whenASecretIsSplitAcrossWrites_stillMasksIt() throws Exception {
    StringWriter sink = new StringWriter();
    try (RedactingWriter w = new RedactingWriter(sink)) {
      w.write("{\"error\": \"Authorization: Bas");
      w.write("ic dXNlcjpwYXNzd29yZA==\"}\n");
      w.write("next line");
    }
    assertThat(sink.toString()).doesNotContain("dXNlcjpwYXNzd29yZA==").endsWith("next line");
  }

  @Test
  void logConverter_masksCredentialsInLogMessages() {
    LoggingEvent event = new LoggingEvent();
    event.setLevel(Level.DEBUG);
    event.setMessage("header was Bearer abc.def-ghi and {}");
    event.setArgumentArray(new Object[] {"\"refresh_token\":\"r-123456\""});
    String line = new RedactedMessageConverter().convert(event);
    assertThat(line).isEqualTo("header was Bearer *** and \"refresh_token\":\"***\"");
  }
}
