package io.registryreactive.internal.http;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.registryreactive.RateLimitOptions;
import io.registryreactive.RateLimitedException;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import io.registryreactive.RetryOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolBuilder;

/**
 * Everything that decides when an attempt may go out and whether it is tried again: the client-wide
 * cap on requests in flight, the optional requests-per-second cap, the client-wide pause after a
 * 429, and the retry policy (Resilience4j, applied per subscription so each retry re-sends the
 * request).
 *
 * <p>Waits never block a thread: they are {@link Mono#delay} on Reactor's parallel scheduler, which
 * tests replace with virtual time.
 */
public final class ResiliencePolicy {
  private static final Logger LOG = LoggerFactory.getLogger(ResiliencePolicy.class);
  private static final Object PERMIT = new Object();
  private static final Mono<Void> NO_WAIT = Mono.empty();

  private final RetryOptions retryOptions;
  private final RateLimitOptions rateLimitOptions;
  private final Clock clock;
  private final Retry retry;
  private final @Nullable RateLimiter rateLimiter;
  private final InstrumentedPool<Object> inFlight;
  private final RequestCounters counters;

  /** Scheduler time in ms until which every request of the client waits, after a 429. */
  private final AtomicLong pausedUntil = new AtomicLong();

  /**
   * Creates the policy.
   *
   * @param retryOptions retry settings
   * @param rateLimitOptions rate settings
   * @param maxConcurrentRequests attempts in flight at most, client-wide
   * @param clock the wall clock, for {@code Retry-After} dates
   * @param counters where to count
   */
  public ResiliencePolicy(
      RetryOptions retryOptions,
      RateLimitOptions rateLimitOptions,
      int maxConcurrentRequests,
      Clock clock,
      RequestCounters counters) {
    this.retryOptions = retryOptions;
    this.rateLimitOptions = rateLimitOptions;
    this.clock = clock;
    this.counters = counters;
    this.inFlight =
        PoolBuilder.from(Mono.just(PERMIT))
            .sizeBetween(0, maxConcurrentRequests)
            .maxPendingAcquireUnbounded()
            .buildPool();
    this.retry =
        Retry.of(
            "registry",
            RetryConfig.<RegistryResponse>custom()
                .maxAttempts(retryOptions.maxAttempts())
                .retryOnResult(ResiliencePolicy::isRetryableResponse)
                .retryOnException(e -> e instanceof RegistryException re && re.isRetryable())
                .intervalBiFunction(this::waitBeforeRetry)
                .failAfterMaxAttempts(false)
                .build());
    this.rateLimiter =
        rateLimitOptions.permitsPerSecond().map(ResiliencePolicy::limiter).orElse(null);
  }

  /**
   * A retry for one request bounded by time: retried while its first attempt started less than
   * {@code budget} ago (scheduler time, so virtual time tests can drive it).
   */
  private Retry budgetRetry(Duration budget) {
    long deadline = Schedulers.parallel().now(TimeUnit.MILLISECONDS) + budget.toMillis();
    java.util.function.BooleanSupplier within =
        () -> Schedulers.parallel().now(TimeUnit.MILLISECONDS) < deadline;
    return Retry.of(
        "registry-budget",
        RetryConfig.<RegistryResponse>custom()
            .maxAttempts(Integer.MAX_VALUE)
            .retryOnResult(r -> isRetryableResponse(r) && within.getAsBoolean())
            .retryOnException(
                e -> e instanceof RegistryException re && re.isRetryable() && within.getAsBoolean())
            .intervalBiFunction(this::waitBeforeRetry)
            .failAfterMaxAttempts(false)
            .build());
  }

  private static RateLimiter limiter(double perSecond) {
    // One permit per slice of a second spreads requests evenly instead of in bursts.
    long sliceNanos = Math.max(1, (long) (1_000_000_000L / perSecond));
    return RateLimiter.of(
        "registry",
        RateLimiterConfig.custom()
            .limitForPeriod(1)
            .limitRefreshPeriod(Duration.ofNanos(sliceNanos))
            .timeoutDuration(Duration.ofDays(1))
            .build());
  }

  /**
   * @return the counters this policy updates
   */
  public RequestCounters counters() {
    return counters;
  }

  /**
   * Runs a request with waits, the in-flight cap and retries.
   *
   * @param request the request (its {@code replayable()} decides whether it may be retried)
   * @param attempt sends one attempt; called again for each retry, with the attempt number
   * @return the last response; the responses carry their attempt number
   */
  public Mono<RegistryResponse> run(
      RegistryRequest request, IntFunction<Mono<RegistryResponse>> attempt) {
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean uncertain = new AtomicBoolean();
    Mono<RegistryResponse> one =
        Mono.defer(
            () -> {
              int n = attempts.incrementAndGet();
              boolean earlierUncertain = uncertain.get();
              Mono<RegistryResponse> permitted =
                  withPermit(
                      () -> {
                        counters.attempt();
                        return attempt.apply(n);
                      });
              // Without a pause or a rate limit in force the attempt starts at once, without
              // chaining two empty waits in front of it.
              Mono<Void> pause = waitForPause();
              Mono<Void> rate = waitForRateLimit();
              if (pause != NO_WAIT) {
                permitted = pause.then(rate).then(permitted);
              } else if (rate != NO_WAIT) {
                permitted = rate.then(permitted);
              }
              return permitted
                  .map(
                      response -> {
                        RegistryResponse r = response.withAttempt(n, earlierUncertain);
                        if (r.status() == 429) {
                          onThrottled(r, n);
                        }
                        if (r.status() >= 500 || r.status() == 408) {
                          uncertain.set(true);
                        }
                        return r;
                      })
                  .doOnError(
                      e -> {
                        if (e instanceof RegistryConnectionException) {
                          uncertain.set(true);
                        }
                      });
            });
    if (!request.replayable()) {
      return one;
    }
    if (retryOptions.retryBudget().isPresent()) {
      return one.transformDeferred(RetryOperator.of(budgetRetry(retryOptions.retryBudget().get())));
    }
    if (retryOptions.maxAttempts() == 1) {
      return one;
    }
    return one.transformDeferred(RetryOperator.of(retry));
  }

  private Mono<Void> waitForPause() {
    long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
    long until = pausedUntil.get();
    if (until <= now) {
      return NO_WAIT;
    }
    Duration wait = Duration.ofMillis(until - now);
    counters.clientPause(wait);
    LOG.debug("client paused after a 429: waiting {} ms", wait.toMillis());
    return Mono.delay(wait).then();
  }

  private Mono<Void> waitForRateLimit() {
    RateLimiter limiter = rateLimiter;
    if (limiter == null) {
      return NO_WAIT;
    }
    long nanos = limiter.reservePermission();
    if (nanos <= 0) {
      return NO_WAIT;
    }
    Duration wait = Duration.ofNanos(nanos);
    counters.rateLimitWait(wait);
    LOG.debug("rate limit: waiting {} ms", wait.toMillis());
    return Mono.delay(wait).then();
  }

  /**
   * Holds one in-flight permit while the attempt runs and releases it before the response is passed
   * on, so a caller that sends a follow-up request from the response (a GET after a HEAD) cannot
   * deadlock a client whose cap is 1.
   */
  private Mono<RegistryResponse> withPermit(Supplier<Mono<RegistryResponse>> work) {
    return inFlight
        .acquire()
        .flatMap(
            ref -> {
              AtomicBoolean released = new AtomicBoolean();
              Supplier<Mono<Void>> release =
                  () -> released.compareAndSet(false, true) ? ref.release() : Mono.empty();
              return Mono.defer(work)
                  .flatMap(r -> release.get().thenReturn(r))
                  .onErrorResume(e -> release.get().then(Mono.error(e)))
                  .doOnCancel(() -> release.get().subscribe());
            });
  }

  private void onThrottled(RegistryResponse response, int attempt) {
    counters.throttled();
    if (!rateLimitOptions.pauseAllOnThrottle()) {
      return;
    }
    Duration wait =
        ResponseErrors.retryAfter(response, clock.instant())
            .map(this::capRetryAfter)
            .orElseGet(() -> backoff(attempt));
    long until = Schedulers.parallel().now(TimeUnit.MILLISECONDS) + wait.toMillis();
    pausedUntil.accumulateAndGet(until, Math::max);
    LOG.debug(
        "429 from {}: pausing the client for {} ms",
        response.request().describe(),
        wait.toMillis());
  }

  private Long waitBeforeRetry(Integer attempt, Either<Throwable, RegistryResponse> outcome) {
    Optional<Duration> asked;
    String reason;
    if (outcome.isRight()) {
      RegistryResponse r = outcome.get();
      asked =
          r.status() == 429 || r.status() == 503
              ? ResponseErrors.retryAfter(r, clock.instant())
              : Optional.empty();
      reason = "status " + r.status();
    } else {
      Throwable e = outcome.getLeft();
      asked = e instanceof RateLimitedException rl ? rl.retryAfter() : Optional.empty();
      reason = reasonOf(e);
    }
    Duration wait = asked.map(this::capRetryAfter).orElseGet(() -> backoff(attempt));
    counters.retry(reason, wait);
    LOG.debug(
        "retry {} of {} after {} ms: {}",
        attempt,
        retryOptions.maxAttempts() - 1,
        wait.toMillis(),
        reason);
    return wait.toMillis();
  }

  private static String reasonOf(Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return "connection: " + cause.getClass().getSimpleName();
  }

  private Duration capRetryAfter(Duration asked) {
    return asked.compareTo(retryOptions.maxRetryAfter()) > 0 ? retryOptions.maxRetryAfter() : asked;
  }

  /**
   * The computed wait before retry number {@code retryNumber} (1 for the first retry).
   *
   * @param retryNumber 1-based
   * @return the wait with jitter applied
   */
  Duration backoff(int retryNumber) {
    double base =
        retryOptions.initialBackoff().toNanos()
            * Math.pow(retryOptions.multiplier(), Math.max(0, retryNumber - 1));
    double capped = Math.min(base, retryOptions.maxBackoff().toNanos());
    double jitter = retryOptions.jitter();
    double factor =
        jitter == 0 ? 1 : 1 - jitter + ThreadLocalRandom.current().nextDouble() * 2 * jitter;
    return Duration.ofNanos((long) (capped * factor));
  }

  /**
   * Whether a response is worth another attempt: 408, 429, 5xx except 501/505, and the plain-text
   * 405 of read-only maintenance.
   *
   * @param response the response
   * @return {@code true} to retry
   */
  static boolean isRetryableResponse(RegistryResponse response) {
    int s = response.status();
    if (s == 405) {
      return ResponseErrors.isReadOnlyMaintenance(response);
    }
    return ResponseErrors.isRetryableStatus(s);
  }

  /** Releases the in-flight pool. */
  public Mono<Void> close() {
    return inFlight.disposeLater();
  }
}
