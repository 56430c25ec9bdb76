package io.registryreactive;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of what one client has done since it was built: for reports, metrics and tests.
 * Counters only grow.
 *
 * @param attempts HTTP attempts sent to the registry (retries included, token requests excluded)
 * @param retries attempts that were retries
 * @param retriesByReason retries keyed by their cause, such as {@code status 503}, {@code status
 *     429}, {@code connection: PrematureCloseException}
 * @param throttled responses with status 429
 * @param clientPauses times a 429 paused every request of the client
 * @param rateLimitWaits attempts that waited for the configured requests-per-second cap
 * @param totalWait time spent in backoff, client pauses and rate-limit waits, summed over requests
 * @param deletesConfirmedOnRetry deletes whose retry got 404 after an earlier attempt's answer was
 *     lost, counted as deleted
 */
public record ClientMetrics(
    long attempts,
    long retries,
    Map<String, Long> retriesByReason,
    long throttled,
    long clientPauses,
    long rateLimitWaits,
    Duration totalWait,
    long deletesConfirmedOnRetry) {

  /**
   * Canonical constructor; copies the map.
   *
   * @param attempts HTTP attempts sent to the registry (retries included, token requests excluded)
   * @param retries attempts that were retries
   * @param retriesByReason retries keyed by their cause, such as {@code status 503}, {@code status
   *     429}, {@code connection: PrematureCloseException}
   * @param throttled responses with status 429
   * @param clientPauses times a 429 paused every request of the client
   * @param rateLimitWaits attempts that waited for the configured requests-per-second cap
   * @param totalWait time spent in backoff, client pauses and rate-limit waits, summed over
   *     requests
   * @param deletesConfirmedOnRetry deletes whose retry got 404 after an earlier attempt's answer
   *     was lost, counted as deleted
   */
  public ClientMetrics {
    retriesByReason = Map.copyOf(retriesByReason);
  }
}
