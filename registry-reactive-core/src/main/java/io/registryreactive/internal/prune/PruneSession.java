package io.registryreactive.internal.prune;

import io.registryreactive.prune.DeletionJournal;
import io.registryreactive.prune.PruneEvent.Finished;
import io.registryreactive.prune.PruneExecution;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Planning and execution against one {@link PruneTarget} with one set of settings: what the public
 * {@code Pruner} and the client's {@code deleteNonWhitelistedTags} both run.
 *
 * @param target the registry
 * @param concurrency requests issued at once per stage
 * @param clock age rules and reports measure from it
 * @param journal where each manifest is recorded before it is deleted
 * @param storage the registry's storage, read for what the API does not tell; empty if not readable
 * @param planningProgress given the counts of a planning as its work completes; must not block
 * @param planning how planning reads the registry
 */
public record PruneSession(
    PruneTarget target,
    int concurrency,
    Clock clock,
    DeletionJournal journal,
    java.util.Optional<io.registryreactive.prune.RegistryStorage> storage,
    java.util.function.Consumer<io.registryreactive.prune.PlanningProgress> planningProgress,
    PlanningOptions planning) {

  /** Default requests a planning stage or a repository's deletions issue at once. */
  public static final int DEFAULT_CONCURRENCY = 64;

  /**
   * Checks that nothing is null.
   *
   * @param target the registry
   * @param concurrency requests issued at once per stage
   * @param clock age rules and reports measure from it
   * @param journal where each manifest is recorded before it is deleted
   * @param storage the registry's storage, read for what the API does not tell; empty if not
   *     readable
   * @param planningProgress given the counts of a planning as its work completes
   * @param planning how planning reads the registry
   */
  public PruneSession {
    Objects.requireNonNull(planning, "'planning' must not be null");
    Objects.requireNonNull(target, "'target' must not be null");
    Objects.requireNonNull(clock, "'clock' must not be null");
    Objects.requireNonNull(journal, "'journal' must not be null");
    Objects.requireNonNull(storage, "'storage' must not be null");
    Objects.requireNonNull(planningProgress, "'planningProgress' must not be null");
  }

  /**
   * A session resolving tags by {@code GET}.
   *
   * @param target the registry
   * @param concurrency requests issued at once per stage
   * @param clock age rules and reports measure from it
   * @param journal where each manifest is recorded before it is deleted
   * @param storage the registry's storage; empty if not readable
   * @param planningProgress given the counts of a planning as its work completes
   */
  public PruneSession(
      PruneTarget target,
      int concurrency,
      Clock clock,
      DeletionJournal journal,
      java.util.Optional<io.registryreactive.prune.RegistryStorage> storage,
      java.util.function.Consumer<io.registryreactive.prune.PlanningProgress> planningProgress) {
    this(target, concurrency, clock, journal, storage, planningProgress, PlanningOptions.DEFAULT);
  }

  /**
   * A session without planning progress.
   *
   * @param target the registry
   * @param concurrency requests issued at once per stage
   * @param clock age rules and reports measure from it
   * @param journal where each manifest is recorded before it is deleted
   * @param storage the registry's storage, read for what the API does not tell; empty if not
   *     readable
   */
  public PruneSession(
      PruneTarget target,
      int concurrency,
      Clock clock,
      DeletionJournal journal,
      java.util.Optional<io.registryreactive.prune.RegistryStorage> storage) {
    this(target, concurrency, clock, journal, storage, PlanningCounter.NONE);
  }

  /**
   * A session without storage access.
   *
   * @param target the registry
   * @param concurrency requests issued at once per stage
   * @param clock age rules and reports measure from it
   * @param journal where each manifest is recorded before it is deleted
   */
  public PruneSession(PruneTarget target, int concurrency, Clock clock, DeletionJournal journal) {
    this(target, concurrency, clock, journal, java.util.Optional.empty(), PlanningCounter.NONE);
  }

  /**
   * @param s the registry's storage
   * @return this session reading it
   */
  public PruneSession withStorage(io.registryreactive.prune.RegistryStorage s) {
    return new PruneSession(
        target, concurrency, clock, journal, java.util.Optional.of(s), planningProgress, planning);
  }

  /**
   * @param n requests issued at once per stage
   * @return this session with that concurrency
   */
  public PruneSession withConcurrency(int n) {
    return new PruneSession(target, n, clock, journal, storage, planningProgress, planning);
  }

  /**
   * @param c the clock age rules measure from
   * @return this session with that clock
   */
  public PruneSession withClock(Clock c) {
    return new PruneSession(target, concurrency, c, journal, storage, planningProgress, planning);
  }

  /**
   * @param j where each manifest is recorded before it is deleted
   * @return this session with that journal
   */
  public PruneSession withJournal(DeletionJournal j) {
    return new PruneSession(target, concurrency, clock, j, storage, planningProgress, planning);
  }

  /**
   * @param enabled whether planning resolves listed tags by {@code HEAD} first
   * @return this session resolving tags so
   */
  public PruneSession withHeadFirst(boolean enabled) {
    return new PruneSession(
        target,
        concurrency,
        clock,
        journal,
        storage,
        planningProgress,
        planning.withHeadFirst(enabled));
  }

  /**
   * @param enabled whether planning reads the repositories outside the policy's scope too
   * @return this session reading them or not
   */
  public PruneSession withReadUncovered(boolean enabled) {
    return new PruneSession(
        target,
        concurrency,
        clock,
        journal,
        storage,
        planningProgress,
        planning.withReadUncovered(enabled));
  }

  /**
   * @param progress given the counts of each planning as its work completes
   * @return this session reporting planning progress to it
   */
  public PruneSession withPlanningProgress(
      java.util.function.Consumer<io.registryreactive.prune.PlanningProgress> progress) {
    return new PruneSession(target, concurrency, clock, journal, storage, progress, planning);
  }

  /**
   * @param target the registry
   * @return a session with the defaults: {@link #DEFAULT_CONCURRENCY}, the UTC clock, no journal
   */
  public static PruneSession of(PruneTarget target) {
    return new PruneSession(target, DEFAULT_CONCURRENCY, Clock.systemUTC(), DeletionJournal.none());
  }

  /**
   * @param policy what to keep
   * @return the plan, nothing deleted
   */
  public Mono<PrunePlan> plan(RetentionPolicy policy) {
    return Mono.defer(
        () -> {
          Objects.requireNonNull(policy, "'policy' must not be null");
          if (policy.deleteUntagged() && storage.isEmpty()) {
            return Mono.error(
                new IllegalArgumentException(
                    "deleteUntagged needs the registry's storage (Pruner.withStorage, "
                        + "registry-prune --registry-config): the API does not list untagged "
                        + "manifests"));
          }
          return new SnapshotCollector(
                  target, concurrency, clock, storage, planningProgress, planning)
              .collect(policy)
              .map(snapshot -> PrunePlanner.plan(snapshot, policy, clock.instant()));
        });
  }

  /**
   * @param plan a plan
   * @return the execution handle
   */
  public PruneExecution execute(PrunePlan plan) {
    return new PruneExecutor(target, concurrency, clock, journal)
        .execute(Objects.requireNonNull(plan, "'plan' must not be null"));
  }

  /**
   * @param plan a plan
   * @return the report once the run is over
   */
  public Mono<PruneReport> applyAndReport(PrunePlan plan) {
    return execute(plan).events().ofType(Finished.class).map(Finished::report).last();
  }

  /**
   * The original client's call: plan with the whitelist, then apply.
   *
   * @param whitelist entries {@code repo:tag}, {@code repo@digest} or {@code repo}
   * @return the report
   */
  public Mono<PruneReport> deleteNonWhitelistedTags(Collection<String> whitelist) {
    return Mono.defer(() -> plan(RetentionPolicy.whitelist(whitelist, target.registryHost())))
        .flatMap(this::applyAndReport);
  }
}
