package io.registryreactive;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how the client retries a request. Immutable; make one with {@link #builder()} or take
 * {@link #defaults()}.
 *
 * <p>Retried: connection failures (refused, reset, premature close, timeouts), HTTP 408, 429, 5xx
 * except 501 and 505, and the plain-text 405 of a registry in read-only maintenance. Waits grow
 * exponentially from {@link #initialBackoff()} by {@link #multiplier()} up to {@link #maxBackoff()},
 * each randomised by ±{@link #jitter()}; a {@code Retry-After} from the registry (seconds or
 * HTTP-date) replaces the computed wait, capped at {@link #maxRetryAfter()}. Each attempt re-sends
 * the whole request. A {@code DELETE} is retried too: a 404 on a retry means an earlier attempt was
 * applied, and is reported as deleted.
 *
 * <p>The defaults suit a shared production registry: 5 attempts, 250 ms doubling to at most 10 s,
 * ±50% jitter, and at most 60 s for a {@code Retry-After}.
 */
public final class RetryOptions {
  /** Default attempts per request, the first included: 5. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** Default first wait: 250 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
  /** Default longest computed wait: 10 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  /** Default growth of the wait per attempt: 2. */
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** Default randomisation of each wait: ±50%. */
  public static final double DEFAULT_JITTER = 0.5;
  /** Default cap on a wait the registry asks for with {@code Retry-After}: 60 s. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private static final RetryOptions DEFAULTS = builder().build();
  private static final RetryOptions DISABLED = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxRetryAfter;

  private RetryOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
  }

  /** @return the default options */
  public static RetryOptions defaults() {
    return DEFAULTS;
  }

  /** @return options that never retry (one attempt per request) */
  public static RetryOptions disabled() {
    return DISABLED;
  }

  /** @return a builder starting from the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder starting from these options */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxRetryAfter = maxRetryAfter;
    return b;
  }

  /** @return attempts per request, the first included */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** @return the wait before the first retry, before jitter */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** @return the longest computed wait, before jitter */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** @return the growth factor of the wait per attempt */
  public double multiplier() {
    return multiplier;
  }

  /** @return the randomisation factor, 0 to 1 */
  public double jitter() {
    return jitter;
  }

  /** @return the longest wait honoured from a {@code Retry-After} header */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryOptions)) {
      return false;
    }
    RetryOptions r = (RetryOptions) o;
    return maxAttempts == r.maxAttempts && initialBackoff.equals(r.initialBackoff) && maxBackoff.equals(r.maxBackoff)
        && multiplier == r.multiplier && jitter == r.jitter && maxRetryAfter.equals(r.maxRetryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
  }

  @Override
  public String toString() {
    return "RetryOptions[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
        + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter + ", maxRetryAfter=" + maxRetryAfter + "]";
  }

  /** Builds {@link RetryOptions}; setters validate at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;

    private Builder() {}

    /**
     * @param attempts attempts per request, the first included, 1 (no retry) to 100
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException("'maxAttempts' must be 1 to 100, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * @param wait the wait before the first retry, zero or more
     * @return this builder
     */
    public Builder initialBackoff(Duration wait) {
      this.initialBackoff = nonNegative(wait, "initialBackoff");
      return this;
    }

    /**
     * @param wait the longest computed wait, zero or more
     * @return this builder
     */
    public Builder maxBackoff(Duration wait) {
      this.maxBackoff = nonNegative(wait, "maxBackoff");
      return this;
    }

    /**
     * @param factor growth of the wait per attempt, 1 to 10
     * @return this builder
     */
    public Builder multiplier(double factor) {
      if (!(factor >= 1 && factor <= 10)) {
        throw new IllegalArgumentException("'multiplier' must be 1 to 10, was " + factor);
      }
      this.multiplier = factor;
      return this;
    }

    /**
     * @param factor randomisation of each wait, 0 (none) to 1
     * @return this builder
     */
    public Builder jitter(double factor) {
      if (!(factor >= 0 && factor <= 1)) {
        throw new IllegalArgumentException("'jitter' must be 0 to 1, was " + factor);
      }
      this.jitter = factor;
      return this;
    }

    /**
     * @param wait the longest wait honoured from {@code Retry-After}, zero or more
     * @return this builder
     */
    public Builder maxRetryAfter(Duration wait) {
      this.maxRetryAfter = nonNegative(wait, "maxRetryAfter");
      return this;
    }

    /** @return the options */
    public RetryOptions build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("'maxBackoff' (" + maxBackoff + ") must not be below 'initialBackoff' ("
            + initialBackoff + ")");
      }
      return new RetryOptions(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      Objects.requireNonNull(d, () -> "'" + name + "' must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException("'" + name + "' must not be negative, was " + d);
      }
      return d;
    }
  }
}
