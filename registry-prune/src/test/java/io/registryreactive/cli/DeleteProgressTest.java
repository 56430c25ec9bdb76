package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delete bar on a fake terminal stream, and when it is drawn at all. */
class DeleteProgressTest {

  @AfterEach
  void clearEnvironment() {
    CliEnvironment.clear();
  }

  @Test
  void bar_drawsCountPercentRateAndEtaOnTheGivenStream() {
    StringWriter terminal = new StringWriter();
    try (DeleteProgress bar = DeleteProgress.start(new PrintWriter(terminal, true), 4)) {
      for (int i = 0; i < 4; i++) {
        bar.step();
      }
    }

    String drawn = terminal.toString();
    String last = drawn.substring(drawn.lastIndexOf('\r') + 1);
    assertThat(drawn).startsWith("\r").endsWith(System.lineSeparator());
    assertThat(last).startsWith("Deleting 100%").contains("4/4 manifests").contains("/s");
    // Elapsed and ETA, as (h:mm:ss / h:mm:ss).
    assertThat(last).containsPattern("\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)");
  }

  @Test
  void wanted_onlyForTextAndATerminalOrAlways_neverForJson() {
    // Tests run without a console: the terminal check alone says no.
    CliEnvironment.set(Map.of());
    assertThat(DeleteProgress.wanted(true)).isFalse();
    CliEnvironment.set(Map.of(DeleteProgress.VARIABLE, "always"));
    assertThat(DeleteProgress.wanted(true)).isTrue();
    assertThat(DeleteProgress.wanted(false)).as("--output json").isFalse();
    CliEnvironment.set(Map.of(DeleteProgress.VARIABLE, "never"));
    assertThat(DeleteProgress.wanted(true)).isFalse();
  }
}
