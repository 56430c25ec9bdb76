package io.registryreactive.cli;

import io.registryreactive.prune.PlanningProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The line of {@code prune} while it plans, on a terminal ({@link DeleteProgress#wanted}): {@code
 * Planning: 12/40 repositories, 1,234 tags (310 tags/s)}, redrawn with a carriage return at most
 * {@link #REDRAWS_PER_SECOND} times a second and ended with a newline when the plan is ready.
 *
 * <p>{@link #update} only keeps the latest counts (it runs on the planning's event-loop threads,
 * which must not wait for a terminal); a daemon thread of its own draws them.
 */
final class PlanningProgressLine implements AutoCloseable {
  static final int REDRAWS_PER_SECOND = 10;

  private final PrintWriter err;
  private final AtomicReference<PlanningProgress> latest = new AtomicReference<>();
  private final ScheduledExecutorService drawer;
  private PlanningProgress drawn;

  private PlanningProgressLine(PrintWriter err) {
    this.err = err;
    this.drawer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-prune-planning-progress");
              t.setDaemon(true);
              return t;
            });
  }

  static PlanningProgressLine start(PrintWriter err) {
    PlanningProgressLine line = new PlanningProgressLine(err);
    long period = 1000 / REDRAWS_PER_SECOND;
    line.drawer.scheduleAtFixedRate(line::draw, period, period, TimeUnit.MILLISECONDS);
    return line;
  }

  void update(PlanningProgress progress) {
    latest.set(progress);
  }

  /** Draws the latest counts unless they are drawn already; only on the drawer, then on close. */
  private synchronized void draw() {
    PlanningProgress p = latest.get();
    if (p == null || p.equals(drawn)) {
      return;
    }
    drawn = p;
    err.print("\r" + render(p));
    err.flush();
  }

  static String render(PlanningProgress p) {
    double seconds = p.elapsed().toNanos() / 1e9;
    long rate = seconds > 0 ? Math.round(p.tagsSeen() / seconds) : 0;
    return String.format(
        Locale.ROOT,
        "Planning: %,d/%,d repositories, %,d tags (%,d tags/s)",
        p.repositoriesDone(),
        p.repositoriesListed(),
        p.tagsSeen(),
        rate);
  }

  /** Stops the redraws, draws the last counts and ends the line, so the plan starts on its own. */
  @Override
  public void close() {
    drawer.shutdownNow();
    try {
      drawer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    draw();
    if (drawn != null) {
      err.println();
      err.flush();
    }
  }
}
