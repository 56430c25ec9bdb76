package io.registryreactive.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The bar of {@code prune --apply} on a terminal: done/total, percent, rate and ETA, drawn by
 * {@code me.tongfei:progressbar} on the CLI's stderr writer (never stdout, so JSON output stays
 * clean). Shown only when {@link #wanted} says so.
 */
final class DeleteProgress implements AutoCloseable {
  /**
   * {@code always} or {@code never} overrides the terminal check (tests, or CI logs that want the
   * bar).
   */
  static final String VARIABLE = "REGISTRY_PRUNE_PROGRESS";

  private final ProgressBar bar;
  private final PrintWriter err;

  private DeleteProgress(ProgressBar bar, PrintWriter err) {
    this.bar = bar;
    this.err = err;
  }

  /**
   * @return whether to draw: text output, and stderr a terminal or {@link #VARIABLE}=always, not
   *     never
   */
  static boolean wanted(boolean textOutput) {
    String forced = CliEnvironment.variable(VARIABLE).orElse("");
    if (!textOutput || forced.equalsIgnoreCase("never")) {
      return false;
    }
    return forced.equalsIgnoreCase("always") || System.console() != null;
  }

  static DeleteProgress start(PrintWriter err, long total) {
    return new DeleteProgress(
        new ProgressBarBuilder()
            .setTaskName("Deleting")
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" manifests", 1)
            .showSpeed()
            .setSpeedUnit(ChronoUnit.SECONDS)
            .setUpdateIntervalMillis(250)
            .setConsumer(new WriterConsumer(err))
            .build(),
        err);
  }

  void step() {
    bar.step();
  }

  /** Draws the final state and ends the line, so what follows starts on a line of its own. */
  @Override
  public void close() {
    bar.close();
    err.println();
    err.flush();
  }

  /**
   * Draws on the CLI's stderr writer, redrawing the line with a carriage return; a fixed width (no
   * terminal query).
   */
  private static final class WriterConsumer implements ProgressBarConsumer {
    private final PrintWriter err;

    WriterConsumer(PrintWriter err) {
      this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
      return 100;
    }

    @Override
    public void accept(String rendered) {
      err.print("\r" + rendered);
      err.flush();
    }

    @Override
    public void close() {
      // DeleteProgress.close ends the line: the library does not always call this.
    }
  }
}
