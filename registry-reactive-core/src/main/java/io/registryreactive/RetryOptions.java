package io.registryreactive;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When and how the client retries a request. Immutable; make one with {@link #builder()} or take
 * {@link #defaults()}.
 *
 * <p>Retried: connection failures (refused, reset, premature close, timeouts), HTTP 408, 429, 5xx
 * except 501 and 505, and the plain-text 405 of a registry in read-only maintenance. Waits grow
 * exponentially from {@link #initialBackoff()} by {@link #multiplier()} up to {@link
 * #maxBackoff()}, each randomised by ±{@link #jitter()}; a {@code Retry-After} from the registry
 * (seconds or HTTP-date) replaces the computed wait, capped at {@link #maxRetryAfter()}. Each
 * attempt re-sends the whole request. A {@code DELETE} is retried too: a 404 on a retry means an
 * earlier attempt was applied, and is reported as deleted.
 *
 * <p>The defaults suit a shared production registry: 5 attempts, 250 ms doubling to at most 10 s,
 * ±50% jitter, and at most 60 s for a {@code Retry-After}.
 *
 * <p>For batch runs (a prune makes thousands of requests; at 30% transient faults five attempts
 * fail one request in about 400) the budget can be time instead: with {@link
 * Builder#retryFor(Duration)} a transient failure is retried, with the same capped backoff, as long
 * as the request's first attempt started less than that long ago, however many attempts that takes.
 * {@link #batch()} is that with {@link #DEFAULT_BATCH_BUDGET}.
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

  /** Default time budget per request of {@link #batch()}: 2 minutes. */
  public static final Duration DEFAULT_BATCH_BUDGET = Duration.ofMinutes(2);

  private static final RetryOptions DEFAULTS = builder().build();
  private static final RetryOptions DISABLED = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final Optional<Duration> retryBudget;

  private RetryOptions(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxRetryAfter = b.maxRetryAfter;
    this.retryBudget = Optional.ofNullable(b.retryBudget);
  }

  /**
   * @return the default options
   */
  public static RetryOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @return options for batch runs: transient failures retried until {@link #DEFAULT_BATCH_BUDGET}
   *     after the first attempt, the other settings the defaults
   */
  public static RetryOptions batch() {
    return builder().retryFor(DEFAULT_BATCH_BUDGET).build();
  }

  /**
   * @return options that never retry (one attempt per request)
   */
  public static RetryOptions disabled() {
    return DISABLED;
  }

  /**
   * @return a builder starting from the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder starting from these options
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.maxRetryAfter = maxRetryAfter;
    b.retryBudget = retryBudget.orElse(null);
    return b;
  }

  /**
   * @return attempts per request, the first included
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * @return the wait before the first retry, before jitter
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * @return the longest computed wait, before jitter
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * @return the growth factor of the wait per attempt
   */
  public double multiplier() {
    return multiplier;
  }

  /**
   * @return the randomisation factor, 0 to 1
   */
  public double jitter() {
    return jitter;
  }

  /**
   * @return the longest wait honoured from a {@code Retry-After} header
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * @return the time budget per request, if retries are bounded by time rather than by {@link
   *     #maxAttempts()}; empty by default
   */
  public Optional<Duration> retryBudget() {
    return retryBudget;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryOptions)) {
      return false;
    }
    RetryOptions r = (RetryOptions) o;
    return maxAttempts == r.maxAttempts
        && initialBackoff.equals(r.initialBackoff)
        && maxBackoff.equals(r.maxBackoff)
        && multiplier == r.multiplier
        && jitter == r.jitter
        && maxRetryAfter.equals(r.maxRetryAfter)
        && retryBudget.equals(r.retryBudget);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter, retryBudget);
  }

  @Override
  public String toString() {
    return "RetryOptions[maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", maxRetryAfter="
        + maxRetryAfter
        + retryBudget.map(d -> ", retryFor=" + d).orElse("")
        + "]";
  }

  /** Builds {@link RetryOptions}; setters validate at once. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private @org.jspecify.annotations.Nullable Duration retryBudget;

    private Builder() {}

    /**
     * Bounds retries by time instead of attempts: a transient failure is retried as long as the
     * request's first attempt started less than {@code budget} ago; {@link #maxAttempts} no longer
     * limits. Default: none (attempts bound the retries).
     *
     * @param budget a positive duration of at most one day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder retryFor(Duration budget) {
      Objects.requireNonNull(budget, "'budget' must not be null");
      if (budget.isZero() || budget.isNegative() || budget.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "'retryFor' must be positive and at most one day, was " + budget);
      }
      this.retryBudget = budget;
      return this;
    }

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

    /**
     * @return the options
     */
    public RetryOptions build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "'maxBackoff' ("
                + maxBackoff
                + ") must not be below 'initialBackoff' ("
                + initialBackoff
                + ")");
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
