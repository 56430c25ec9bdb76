package io.registryreactive;

import java.util.Optional;

/**
 * A cap on the requests per second one client sends, and what it does when the registry says it is
 * sending too fast. Immutable.
 *
 * <p>Default ({@link #defaults()}): no fixed cap, and a 429 from the registry pauses every request
 * of the client (not only the one that got it) for the {@code Retry-After} the registry named, or
 * for the retry backoff if it named none. {@link #perSecond(double)} adds a fixed cap.
 */
public final class RateLimitOptions {
  private static final RateLimitOptions DEFAULTS = new RateLimitOptions(0, true);

  private final double permitsPerSecond;
  private final boolean pauseAllOnThrottle;

  private RateLimitOptions(double permitsPerSecond, boolean pauseAllOnThrottle) {
    this.permitsPerSecond = permitsPerSecond;
    this.pauseAllOnThrottle = pauseAllOnThrottle;
  }

  /**
   * @return no fixed cap; a 429 pauses the whole client
   */
  public static RateLimitOptions defaults() {
    return DEFAULTS;
  }

  /**
   * At most this many requests per second (every attempt counts, retries included).
   *
   * @param permitsPerSecond 0.1 to 100000
   * @return the options, with the whole client pausing on a 429
   * @throws IllegalArgumentException if out of range
   */
  public static RateLimitOptions perSecond(double permitsPerSecond) {
    if (!(permitsPerSecond >= 0.1 && permitsPerSecond <= 100_000)) {
      throw new IllegalArgumentException(
          "'permitsPerSecond' must be 0.1 to 100000, was " + permitsPerSecond);
    }
    return new RateLimitOptions(permitsPerSecond, true);
  }

  /**
   * These options with the client-wide pause on 429 switched on or off. Off, only the request that
   * got the 429 waits.
   *
   * @param enabled whether a 429 pauses every request of the client
   * @return the options
   */
  public RateLimitOptions pauseAllOnThrottle(boolean enabled) {
    return new RateLimitOptions(permitsPerSecond, enabled);
  }

  /**
   * @return the fixed cap in requests per second, if one is set
   */
  public Optional<Double> permitsPerSecond() {
    return permitsPerSecond > 0 ? Optional.of(permitsPerSecond) : Optional.empty();
  }

  /**
   * @return whether a 429 pauses every request of the client
   */
  public boolean pauseAllOnThrottle() {
    return pauseAllOnThrottle;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimitOptions r
        && r.permitsPerSecond == permitsPerSecond
        && r.pauseAllOnThrottle == pauseAllOnThrottle;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(permitsPerSecond) * 31 + Boolean.hashCode(pauseAllOnThrottle);
  }

  @Override
  public String toString() {
    return "RateLimitOptions["
        + (permitsPerSecond > 0 ? permitsPerSecond + "/s" : "no cap")
        + ", pauseAllOnThrottle="
        + pauseAllOnThrottle
        + "]";
  }
}
