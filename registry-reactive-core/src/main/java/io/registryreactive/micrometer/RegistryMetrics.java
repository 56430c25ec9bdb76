package io.registryreactive.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.registryreactive.RegistryListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link RegistryListener} that records Micrometer meters. Give it to a client with {@code
 * ReactiveRegistryClient.builder()...listener(RegistryMetrics.of(meterRegistry))}; a {@code Pruner}
 * made from that client records its meters too.
 *
 * <p>Meters (every tag value is bounded: no repository, tag, digest or URL is ever a tag):
 *
 * <ul>
 *   <li>{@code registry.client.requests} (timer) - one per request, retries, waits, redirects and
 *       auth round trips included; tags {@code endpoint} ({@code api_version}, {@code catalog},
 *       {@code tags}, {@code manifest}, {@code blob}, {@code blob_upload}, {@code referrers},
 *       {@code token}, {@code other}), {@code method}, {@code outcome} ({@code success}, {@code
 *       redirection}, {@code client_error}, {@code server_error}, {@code io_error}, {@code
 *       timeout}, {@code cancelled}, {@code error}) and {@code status} ({@code 2xx} ... {@code
 *       5xx}, or {@code none} without a response)
 *   <li>{@code registry.client.retries} (counter) - retries; tag {@code reason} ({@code status
 *       503}, {@code connection: PrematureCloseException} ...)
 *   <li>{@code registry.client.throttled} (counter) - 429 responses
 *   <li>{@code registry.client.waits} (timer) - time requests waited before being sent; tag {@code
 *       kind}: {@code backoff} (before a retry), {@code client_pause} (after a 429), {@code
 *       rate_limit} (requests-per-second cap)
 *   <li>{@code registry.prune.planned} (counter) - manifests prune plans would delete
 *   <li>{@code registry.prune.reclaimable} (gauge, bytes) - the last plan's reclaimable estimate
 *   <li>{@code registry.prune.deleted} (counter) - manifests prune runs deleted
 *   <li>{@code registry.prune.failed} (counter) - manifests prune runs failed to delete
 * </ul>
 *
 * Common tags given to {@link #of(MeterRegistry, Iterable)} are added to each meter. Thread-safe.
 */
public final class RegistryMetrics implements RegistryListener {
  /** Timer of requests. */
  public static final String REQUESTS = "registry.client.requests";

  /** Counter of retries. */
  public static final String RETRIES = "registry.client.retries";

  /** Counter of 429 responses. */
  public static final String THROTTLED = "registry.client.throttled";

  /** Timer of waits before requests were sent. */
  public static final String WAITS = "registry.client.waits";

  /** Counter of planned manifest deletions. */
  public static final String PRUNE_PLANNED = "registry.prune.planned";

  /** Gauge of the last plan's reclaimable bytes. */
  public static final String PRUNE_RECLAIMABLE = "registry.prune.reclaimable";

  /** Counter of deleted manifests. */
  public static final String PRUNE_DELETED = "registry.prune.deleted";

  /** Counter of failed manifest deletions. */
  public static final String PRUNE_FAILED = "registry.prune.failed";

  private final MeterRegistry registry;
  private final Tags common;
  private final Counter throttled;
  private final Counter planned;
  private final Counter deleted;
  private final Counter failed;
  private final AtomicLong reclaimable = new AtomicLong();

  private RegistryMetrics(MeterRegistry registry, Tags common) {
    this.registry = registry;
    this.common = common;
    this.throttled =
        Counter.builder(THROTTLED)
            .description("429 Too Many Requests responses")
            .tags(common)
            .register(registry);
    this.planned =
        Counter.builder(PRUNE_PLANNED)
            .description("Manifests prune plans would delete")
            .tags(common)
            .register(registry);
    this.deleted =
        Counter.builder(PRUNE_DELETED)
            .description("Manifests prune runs deleted")
            .tags(common)
            .register(registry);
    this.failed =
        Counter.builder(PRUNE_FAILED)
            .description("Manifests prune runs failed to delete")
            .tags(common)
            .register(registry);
    Gauge.builder(PRUNE_RECLAIMABLE, reclaimable, AtomicLong::get)
        .strongReference(true)
        .baseUnit("bytes")
        .description("Bytes the last prune plan expects a garbage collection to free")
        .tags(common)
        .register(registry);
  }

  /**
   * @param registry where to record
   * @return the listener
   * @throws NullPointerException if {@code registry} is null
   */
  public static RegistryMetrics of(MeterRegistry registry) {
    return of(registry, Tags.empty());
  }

  /**
   * @param registry where to record
   * @param commonTags tags added to every meter (for example the registry's name when an
   *     application talks to several)
   * @return the listener
   * @throws NullPointerException if an argument is null
   */
  public static RegistryMetrics of(MeterRegistry registry, Iterable<Tag> commonTags) {
    return new RegistryMetrics(
        Objects.requireNonNull(registry, "'registry' must not be null"),
        Tags.of(Objects.requireNonNull(commonTags, "'commonTags' must not be null")));
  }

  @Override
  public void requestFinished(
      String endpoint, String method, String outcome, int status, Duration duration) {
    Timer.builder(REQUESTS)
        .description("Registry requests, retries and waits included")
        .tags(common)
        .tag("endpoint", endpoint)
        .tag("method", method)
        .tag("outcome", outcome)
        .tag("status", status == 0 ? "none" : (status / 100) + "xx")
        .register(registry)
        .record(duration);
  }

  @Override
  public void retried(String reason, Duration backoff) {
    Counter.builder(RETRIES)
        .description("Registry request retries")
        .tags(common)
        .tag("reason", reason)
        .register(registry)
        .increment();
    waited("backoff", backoff);
  }

  @Override
  public void throttled() {
    throttled.increment();
  }

  @Override
  public void waited(String kind, Duration wait) {
    Timer.builder(WAITS)
        .description("Time requests waited before being sent")
        .tags(common)
        .tag("kind", kind)
        .register(registry)
        .record(wait);
  }

  @Override
  public void prunePlanned(long plannedDeletions, long reclaimableBytes) {
    planned.increment(plannedDeletions);
    reclaimable.set(reclaimableBytes);
  }

  @Override
  public void pruneDeleted() {
    deleted.increment();
  }

  @Override
  public void pruneFailed() {
    failed.increment();
  }

  @Override
  public String toString() {
    return "RegistryMetrics" + common;
  }
}
