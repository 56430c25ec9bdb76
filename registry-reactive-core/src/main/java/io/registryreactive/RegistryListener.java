package io.registryreactive;

import java.time.Duration;

/**
 * Hears what a client and its pruner do, for metrics: one call per finished request, retry, 429,
 * wait and prune step. Set with {@link ReactiveRegistryClient.Builder#listener}; default {@link
 * #NONE}. {@code io.registryreactive.micrometer.RegistryMetrics} is the Micrometer implementation.
 *
 * <p>Methods are called on whichever thread the event happened (a Netty event loop, Reactor's
 * parallel scheduler), possibly concurrently: they must be thread-safe, quick and must not block;
 * an exception a method throws is logged and otherwise ignored. Every method does nothing by
 * default, so an implementation overrides only what it needs.
 *
 * <p>Tag values are low-cardinality on purpose: endpoints are route kinds ({@code manifest}, never
 * a repository name or a digest), so they can be metric tags without unbounded growth.
 */
public interface RegistryListener {

  /** The listener that ignores everything: the default. */
  RegistryListener NONE = new RegistryListener() {};

  /**
   * A request finished (its retries, waits, redirects and auth round trips included).
   *
   * @param endpoint route kind: {@code api_version} ({@code /v2/}), {@code catalog}, {@code tags},
   *     {@code manifest}, {@code blob}, {@code blob_upload}, {@code referrers}, {@code token} (the
   *     token realm) or {@code other}
   * @param method HTTP method of the request as first sent ({@code GET}, {@code HEAD}, {@code
   *     DELETE}, ...)
   * @param outcome {@code success} (2xx), {@code redirection} (3xx left unfollowed), {@code
   *     client_error} (4xx), {@code server_error} (5xx), {@code io_error} (connection or TLS
   *     failure, response timeout), {@code timeout} (the request deadline), {@code cancelled} (the
   *     subscriber cancelled) or {@code error} (anything else, such as a body over its cap)
   * @param status the final HTTP status, or 0 when no response was received
   * @param duration from subscription to the final response or error
   */
  default void requestFinished(
      String endpoint, String method, String outcome, int status, Duration duration) {}

  /**
   * An attempt is about to be retried.
   *
   * @param reason why: {@code status 503}, {@code status 429}, {@code connection:
   *     PrematureCloseException} ...
   * @param backoff the wait before the retry
   */
  default void retried(String reason, Duration backoff) {}

  /** The registry answered 429 Too Many Requests. */
  default void throttled() {}

  /**
   * A request waited before its attempt went out (backoff waits are reported by {@link #retried}).
   *
   * @param kind {@code client_pause} (every request waits after a 429) or {@code rate_limit} (the
   *     requests-per-second cap)
   * @param wait how long
   */
  default void waited(String kind, Duration wait) {}

  /**
   * A prune plan was made.
   *
   * @param plannedDeletions manifests (digests) the plan deletes
   * @param reclaimableBytes the plan's estimate of the bytes a garbage collection frees afterwards
   */
  default void prunePlanned(long plannedDeletions, long reclaimableBytes) {}

  /** A prune run deleted a manifest (or found it already gone). */
  default void pruneDeleted() {}

  /** A prune run failed to delete a manifest. */
  default void pruneFailed() {}
}
