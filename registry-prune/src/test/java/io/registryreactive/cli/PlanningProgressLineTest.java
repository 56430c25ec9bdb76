package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.prune.PlanningProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The planning line on a fake terminal stream. */
class PlanningProgressLineTest {

  @Test
  void render_showsDoneOfListedRepositoriesTagsWithThousandsSeparatorsAndTheTagRate() {
    assertThat(
            PlanningProgressLine.render(
                new PlanningProgress(40, 12, 1234, 1300, Duration.ofMillis(4000))))
        .isEqualTo("Planning: 12/40 repositories, 1,234 tags (309 tags/s)");
    assertThat(PlanningProgressLine.render(new PlanningProgress(0, 0, 0, 0, Duration.ZERO)))
        .isEqualTo("Planning: 0/0 repositories, 0 tags (0 tags/s)");
  }

  @Test
  void close_drawsTheLatestCountsWithACarriageReturnAndEndsTheLine() {
    StringWriter terminal = new StringWriter();
    try (PlanningProgressLine line = PlanningProgressLine.start(new PrintWriter(terminal, true))) {
      line.update(new PlanningProgress(1, 0, 5, 0, Duration.ofSeconds(1)));
      line.update(new PlanningProgress(2, 2, 9, 9, Duration.ofSeconds(1)));
    }

    String drawn = terminal.toString();
    assertThat(drawn).startsWith("\r").endsWith(System.lineSeparator());
    assertThat(drawn.substring(drawn.lastIndexOf('\r') + 1).strip())
        .isEqualTo("Planning: 2/2 repositories, 9 tags (9 tags/s)");
  }

  @Test
  void close_withoutAnyProgress_drawsNothing() {
    StringWriter terminal = new StringWriter();
    PlanningProgressLine.start(new PrintWriter(terminal, true)).close();

    assertThat(terminal.toString()).isEmpty();
  }
}
