package io.registryreactive.internal.prune;

import io.registryreactive.prune.PlanningProgress;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of one planning, given to a consumer as each piece of work completes. Updated from the
 * collector's concurrent stages: the counts and the call are under one monitor, held only for the
 * consumer's call, so that the consumer sees counts that never decrease. A consumer that throws is
 * logged and otherwise ignored: progress never fails a plan.
 */
final class PlanningCounter {
  private static final Logger LOG = LoggerFactory.getLogger(PlanningCounter.class);

  /** A consumer that takes nothing: no monitor, no snapshot built. */
  static final Consumer<PlanningProgress> NONE = p -> {};

  private final Consumer<PlanningProgress> consumer;
  private final long started = System.nanoTime();
  private long listed;
  private long done;
  private long tags;
  private long manifests;
  private boolean consumerFailed;

  PlanningCounter(Consumer<PlanningProgress> consumer) {
    this.consumer = consumer;
  }

  void repositoryListed() {
    update(1, 0, 0, 0);
  }

  void repositoryDone() {
    update(0, 1, 0, 0);
  }

  void tagsListed(int n) {
    update(0, 0, n, 0);
  }

  void manifestRead() {
    update(0, 0, 0, 1);
  }

  private void update(long l, long d, long t, long m) {
    if (consumer == NONE) {
      return;
    }
    synchronized (this) {
      listed += l;
      done += d;
      tags += t;
      manifests += m;
      PlanningProgress p =
          new PlanningProgress(
              listed, done, tags, manifests, Duration.ofNanos(System.nanoTime() - started));
      try {
        consumer.accept(p);
      } catch (RuntimeException e) {
        // Logged once: a broken consumer would otherwise log once per manifest.
        if (!consumerFailed) {
          consumerFailed = true;
          LOG.warn("planning progress consumer failed; the plan goes on: {}", e.toString());
        }
      }
    }
  }
}
