package io.registryreactive.internal.http;

import io.registryreactive.ClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link ClientMetrics}; updated from any thread. */
public final class RequestCounters {
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final Map<String, LongAdder> retriesByReason = new ConcurrentHashMap<>();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder clientPauses = new LongAdder();
  private final LongAdder rateLimitWaits = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder deletesConfirmedOnRetry = new LongAdder();

  void attempt() {
    attempts.increment();
  }

  void retry(String reason, Duration wait) {
    retries.increment();
    retriesByReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    waitNanos.add(wait.toNanos());
  }

  void throttled() {
    throttled.increment();
  }

  void clientPause(Duration wait) {
    clientPauses.increment();
    waitNanos.add(wait.toNanos());
  }

  void rateLimitWait(Duration wait) {
    rateLimitWaits.increment();
    waitNanos.add(wait.toNanos());
  }

  /** Counts a delete whose retry found the manifest gone: an earlier attempt deleted it. */
  public void deleteConfirmedOnRetry() {
    deletesConfirmedOnRetry.increment();
  }

  /**
   * @return a consistent-enough snapshot (each counter read once)
   */
  public ClientMetrics snapshot() {
    Map<String, Long> reasons = new TreeMap<>();
    retriesByReason.forEach((k, v) -> reasons.put(k, v.sum()));
    return new ClientMetrics(
        attempts.sum(),
        retries.sum(),
        reasons,
        throttled.sum(),
        clientPauses.sum(),
        rateLimitWaits.sum(),
        Duration.ofNanos(waitNanos.sum()),
        deletesConfirmedOnRetry.sum());
  }
}
