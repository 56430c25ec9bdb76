package io.registryreactive.internal.prune;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.AuthenticationException;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.NotFoundException;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.prune.DeletionJournal;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PlanRefusedException;
import io.registryreactive.prune.PruneEvent;
import io.registryreactive.prune.PruneEvent.Deleted;
import io.registryreactive.prune.PruneEvent.Failed;
import io.registryreactive.prune.PruneEvent.Finished;
import io.registryreactive.prune.PruneEvent.RepositoryRechecked;
import io.registryreactive.prune.PruneEvent.Skipped;
import io.registryreactive.prune.PruneExecution;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.RepositoryPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.Sinks;

/**
 * Applies a {@link PrunePlan}.
 *
 * <p>A plan with a keep rule that matches nothing is refused before any request, unless its policy
 * allows that. Per repository: its tags are listed again and tags that were not in the plan (or
 * kept tags, which may have moved) are resolved by {@code GET}, and no digest they point at - nor
 * any child of such an index - is deleted. That re-check is repeated while the repository's deletes
 * run: a {@code DELETE} is sent only while the protected set comes from a re-check that started
 * less than {@link #RECHECK_INTERVAL} ago, or after the delete was ready (so a slow re-check cannot
 * stall the run). Top-level manifests go first, then index children, level by level. Each manifest
 * is written to the {@link DeletionJournal} (its exact bytes, fetched by digest and verified)
 * before its {@code DELETE}; a journal failure fails that delete without sending it. Deletes that
 * failed get one final pass after every repository was done. An authentication, permission or
 * deletion-disabled error stops the whole run at once; other failures are collected and the rest
 * goes on.
 *
 * <p>Repositories with fewer deletions than the concurrency are run side by side, consecutive ones
 * together until their deletions reach it, so that a registry of many small repositories keeps the
 * requests in flight instead of waiting out each one's re-check and few deletes in turn; a
 * repository with at least that many runs alone. Events keep the plan's repository order: each
 * repository's events come together, as if the repositories ran one after another.
 */
public final class PruneExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(PruneExecutor.class);

  /** How old the re-check a {@code DELETE} relies on may be: 1 s. */
  public static final Duration RECHECK_INTERVAL = Duration.ofSeconds(1);

  /**
   * Skip reason of a child whose parent index was not deleted; such a child is retried with its
   * parent.
   */
  private static final String PARENT_NOT_DELETED =
      "its index was not deleted, so it is still referenced";

  private final PruneTarget client;
  private final int concurrency;
  private final Clock clock;
  private final DeletionJournal journal;

  /**
   * @param target the registry
   * @param concurrency requests issued at once per repository stage, and the deletions up to which
   *     consecutive repositories run side by side
   * @param clock stamps the report and the journal entries
   * @param journal records each manifest before its delete
   */
  public PruneExecutor(PruneTarget target, int concurrency, Clock clock, DeletionJournal journal) {
    this.client = target;
    this.concurrency = concurrency;
    this.clock = clock;
    this.journal = journal;
  }

  /**
   * Groups consecutive repositories, in plan order, into the batches that run side by side: a batch
   * closes once its deletions reach the concurrency; a repository with at least that many is a
   * batch of its own.
   *
   * @param repositories the repositories with deletions, in plan order
   * @return the batches, in order
   */
  List<List<RepositoryPlan>> sideBySide(List<RepositoryPlan> repositories) {
    List<List<RepositoryPlan>> batches = new ArrayList<>();
    List<RepositoryPlan> batch = new ArrayList<>();
    int deletions = 0;
    for (RepositoryPlan rp : repositories) {
      int n = (int) rp.decisions().stream().filter(DigestDecision::isDelete).count();
      if (n >= concurrency) {
        if (!batch.isEmpty()) {
          batches.add(batch);
          batch = new ArrayList<>();
          deletions = 0;
        }
        batches.add(List.of(rp));
        continue;
      }
      batch.add(rp);
      deletions += n;
      if (deletions >= concurrency) {
        batches.add(batch);
        batch = new ArrayList<>();
        deletions = 0;
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /**
   * Applies a plan; the run starts when {@link PruneExecution#events()} is subscribed, once.
   *
   * @param plan the plan
   * @return the execution handle
   */
  public PruneExecution execute(PrunePlan plan) {
    Sinks.One<PruneReport> reportSink = Sinks.one();
    AtomicBoolean started = new AtomicBoolean();
    Flux<PruneEvent> events =
        Flux.defer(
            () -> {
              if (!started.compareAndSet(false, true)) {
                return Flux.error(
                    new IllegalStateException(
                        "this execution was already subscribed; call execute(plan) again"));
              }
              if (plan.refusedForMissingKeep()) {
                PlanRefusedException refused = new PlanRefusedException(plan.missingKeep());
                reportSink.tryEmitError(refused);
                return Flux.error(refused);
              }
              Run run = new Run(plan, clock.instant());
              List<RepositoryPlan> withDeletions =
                  plan.repositories().stream()
                      .filter(r -> r.decisions().stream().anyMatch(DigestDecision::isDelete))
                      .toList();
              return Flux.fromIterable(sideBySide(withDeletions))
                  .concatMap(
                      batch ->
                          batch.size() == 1
                              ? run.repository(batch.get(0), null)
                              // In plan order; a batch's events are as many as its deletions and
                              // re-checks, fewer than a few times the concurrency: buffered whole.
                              : Flux.fromIterable(batch)
                                  .flatMapSequential(
                                      rp -> run.repository(rp, null),
                                      batch.size(),
                                      Integer.MAX_VALUE))
                  .concatWith(Flux.defer(() -> run.finalPass(withDeletions)))
                  .onErrorResume(
                      run::abortOn,
                      e -> {
                        run.abort(e);
                        return Flux.empty();
                      })
                  // An abort leaves sibling deletes in flight: their outcomes belong in the report.
                  .concatWith(
                      run.settled()
                          .then(
                              Mono.fromSupplier(
                                  () -> {
                                    PruneReport report = run.report(null);
                                    reportSink.tryEmitValue(report);
                                    return new Finished(report);
                                  })))
                  .doOnCancel(
                      () ->
                          run.settled()
                              .doFinally(
                                  signal ->
                                      reportSink.tryEmitValue(
                                          run.report(PruneReport.Status.CANCELLED)))
                              .subscribe());
            });
    return new PruneExecution(events, reportSink.asMono());
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /**
   * State of one run; event recording is synchronized since deletions complete on any thread.
   * Events are recorded where they are made, not where they are consumed, so that a delete answered
   * after the subscriber cancelled is still in the report.
   */
  private final class Run {
    private final PrunePlan plan;
    private final Instant startedAt;
    private final List<PruneReport.DeletedManifest> deleted = new ArrayList<>();
    private final List<PruneReport.SkippedManifest> skipped = new ArrayList<>();
    private final List<PruneReport.FailedManifest> failures = new ArrayList<>();
    private volatile Optional<String> abortReason = Optional.empty();
    private final long planned;

    /** Deletes sent and not yet answered; they run to completion even if the run is cancelled. */
    private final Set<CompletableFuture<Signal<PruneEvent>>> inFlight =
        ConcurrentHashMap.newKeySet();

    Run(PrunePlan plan, Instant startedAt) {
      this.plan = plan;
      this.startedAt = startedAt;
      this.planned = plan.repositories().stream().mapToLong(r -> r.deletions().size()).sum();
    }

    boolean abortOn(Throwable e) {
      return e instanceof AuthenticationException
          || e instanceof AccessDeniedException
          || e instanceof DeletionDisabledException;
    }

    void abort(Throwable e) {
      LOG.warn("prune aborted: {}", e.getMessage());
      abortReason = Optional.of(message(e));
    }

    synchronized void record(PruneEvent event) {
      if (event instanceof Deleted d) {
        deleted.add(
            new PruneReport.DeletedManifest(d.repository(), d.digest(), d.tags(), d.outcome()));
      } else if (event instanceof Skipped s) {
        skipped.add(new PruneReport.SkippedManifest(s.repository(), s.digest(), s.reason()));
      } else if (event instanceof Failed f) {
        failures.add(new PruneReport.FailedManifest(f.repository(), f.digest(), f.error()));
      }
    }

    synchronized PruneReport report(PruneReport.@Nullable Status forced) {
      PruneReport.Status status =
          forced != null
              ? forced
              : abortReason.isPresent()
                  ? PruneReport.Status.ABORTED
                  : failures.isEmpty()
                      ? PruneReport.Status.COMPLETED
                      : PruneReport.Status.COMPLETED_WITH_FAILURES;
      long done = deleted.size() + skipped.size() + failures.size();
      Map<String, Integer> order = new HashMap<>();
      for (RepositoryPlan rp : plan.repositories()) {
        order.putIfAbsent(rp.repository(), order.size());
      }
      return new PruneReport(
          plan.registry(),
          startedAt,
          clock.instant(),
          status,
          abortReason,
          inPlanOrder(deleted, PruneReport.DeletedManifest::repository, order),
          inPlanOrder(skipped, PruneReport.SkippedManifest::repository, order),
          inPlanOrder(failures, PruneReport.FailedManifest::repository, order),
          Math.max(0, planned - done),
          planned,
          plan.totals().reclaimableBytes(),
          client.metrics());
    }

    /**
     * Grouped by repository in the plan's order ({@code order}: repository to its index;
     * repositories run side by side finish in any order), each repository's entries in the order
     * they happened.
     */
    private static <T> List<T> inPlanOrder(
        List<T> entries, java.util.function.Function<T, String> repo, Map<String, Integer> order) {
      List<T> sorted = new ArrayList<>(entries);
      sorted.sort(
          java.util.Comparator.comparingInt(e -> order.getOrDefault(repo.apply(e), order.size())));
      return sorted;
    }

    /**
     * The deletes that failed, and the children skipped because their index was not deleted, go
     * once more: transient trouble that outlasted the retries is often over by now. They leave the
     * report first and come back with the outcome of this pass.
     */
    Flux<PruneEvent> finalPass(List<RepositoryPlan> repositories) {
      Map<String, Set<String>> again = new LinkedHashMap<>();
      synchronized (this) {
        if (failures.isEmpty()) {
          return Flux.empty();
        }
        Set<String> failedRepos = new HashSet<>();
        failures.forEach(f -> failedRepos.add(f.repository()));
        failures.forEach(
            f -> again.computeIfAbsent(f.repository(), r -> new HashSet<>()).add(f.digest()));
        skipped.stream()
            .filter(
                s -> failedRepos.contains(s.repository()) && s.reason().equals(PARENT_NOT_DELETED))
            .forEach(
                s -> again.computeIfAbsent(s.repository(), r -> new HashSet<>()).add(s.digest()));
        failures.clear();
        skipped.removeIf(s -> again.getOrDefault(s.repository(), Set.of()).contains(s.digest()));
      }
      LOG.info(
          "final pass over {} failed or dependent deletes in {} repositories",
          again.values().stream().mapToInt(Set::size).sum(),
          again.size());
      return Flux.fromIterable(repositories)
          .filter(rp -> again.containsKey(rp.repository()))
          .concatMap(rp -> repository(rp, again.get(rp.repository())));
    }

    /**
     * Re-checks one repository, then deletes: top-level manifests first, then index children.
     *
     * @param only the digests to delete, or {@code null} for every deletion the plan has there
     */
    Flux<PruneEvent> repository(RepositoryPlan rp, @Nullable Set<String> only) {
      String repo = rp.repository();
      Guard guard = new Guard(rp);
      List<DigestDecision> deletions =
          rp.decisions().stream()
              .filter(DigestDecision::isDelete)
              .filter(d -> only == null || only.contains(d.digest()))
              .toList();
      return guard
          .fresh(System.nanoTime())
          .thenMany(
              Flux.defer(
                  () -> {
                    List<String> saved =
                        deletions.stream()
                            .map(DigestDecision::digest)
                            .filter(guard.protectedNow::contains)
                            .sorted()
                            .toList();
                    return Flux.<PruneEvent>just(
                            new RepositoryRechecked(repo, guard.movedSorted(), saved))
                        .concatWith(
                            Flux.fromIterable(saved)
                                .<PruneEvent>map(d -> new Skipped(repo, d, protectedReason()))
                                .doOnNext(this::record))
                        .concatWith(
                            deleteInOrder(
                                repo,
                                guard,
                                deletions.stream()
                                    .filter(d -> !guard.protectedNow.contains(d.digest()))
                                    .toList()));
                  }))
          .onErrorResume(
              e -> !abortOn(e),
              e ->
                  Flux.fromIterable(deletions)
                      .<PruneEvent>map(
                          d ->
                              new Failed(
                                  repo, d.digest(), "repository re-check failed: " + message(e)))
                      .doOnNext(this::record));
    }

    private static String protectedReason() {
      return "a tag added or moved since the plan points at it (or at an index holding it)";
    }

    private Flux<PruneEvent> deleteInOrder(
        String repo, Guard guard, List<DigestDecision> deletions) {
      Map<String, List<String>> parentsOf = new HashMap<>();
      for (DigestDecision d : deletions) {
        d.children()
            .forEach(c -> parentsOf.computeIfAbsent(c, k -> new ArrayList<>()).add(d.digest()));
      }
      List<DigestDecision> first =
          deletions.stream().filter(d -> !parentsOf.containsKey(d.digest())).toList();
      List<DigestDecision> later =
          deletions.stream().filter(d -> parentsOf.containsKey(d.digest())).toList();
      Set<String> gone = ConcurrentHashMap.newKeySet();
      return Flux.fromIterable(first)
          .flatMap(d -> delete(repo, d, gone, guard), concurrency)
          .concatWith(Flux.defer(() -> deleteChildren(repo, later, parentsOf, gone, guard)));
    }

    /**
     * Children go only after every deleted parent index is gone, level by level for nested indexes.
     */
    private Flux<PruneEvent> deleteChildren(
        String repo,
        List<DigestDecision> pending,
        Map<String, List<String>> parentsOf,
        Set<String> gone,
        Guard guard) {
      if (pending.isEmpty()) {
        return Flux.empty();
      }
      List<DigestDecision> ready = new ArrayList<>();
      List<DigestDecision> waiting = new ArrayList<>();
      List<PruneEvent> skips = new ArrayList<>();
      Set<String> pendingDigests = new HashSet<>();
      pending.forEach(d -> pendingDigests.add(d.digest()));
      for (DigestDecision d : pending) {
        List<String> parents = parentsOf.get(d.digest());
        if (parents.stream().allMatch(gone::contains)) {
          ready.add(d);
        } else if (parents.stream()
            .anyMatch(p -> !gone.contains(p) && !pendingDigests.contains(p))) {
          skips.add(new Skipped(repo, d.digest(), PARENT_NOT_DELETED));
        } else {
          waiting.add(d);
        }
      }
      if (ready.isEmpty()) {
        waiting.forEach(d -> skips.add(new Skipped(repo, d.digest(), PARENT_NOT_DELETED)));
        return Flux.fromIterable(skips).doOnNext(this::record);
      }
      return Flux.fromIterable(skips)
          .doOnNext(this::record)
          .concatWith(
              Flux.fromIterable(ready).flatMap(d -> delete(repo, d, gone, guard), concurrency))
          .concatWith(Flux.defer(() -> deleteChildren(repo, waiting, parentsOf, gone, guard)));
    }

    /**
     * Journals, re-checks if the last re-check is too old, then sends one delete. Once sent it may
     * take effect whatever this run does next, so it is not cancelled with the run: it completes on
     * its own and its outcome is recorded.
     */
    private Mono<PruneEvent> delete(String repo, DigestDecision d, Set<String> gone, Guard guard) {
      return Mono.defer(
          () -> {
            long ready = System.nanoTime();
            return journal(repo, d)
                .then(
                    Mono.defer(
                        () ->
                            guard
                                .fresh(ready)
                                .onErrorMap(
                                    e -> !abortOn(e),
                                    e ->
                                        new StepFailure(
                                            "repository re-check failed: " + message(e)))))
                .then(
                    Mono.defer(
                        () -> {
                          if (guard.protectedNow.contains(d.digest())) {
                            return Mono.<PruneEvent>just(
                                    new Skipped(repo, d.digest(), protectedReason()))
                                .doOnNext(this::record);
                          }
                          return send(repo, d, gone);
                        }))
                .onErrorResume(
                    AlreadyGone.class,
                    e -> {
                      // Nothing to delete and nothing to journal: the manifest is gone already.
                      gone.add(d.digest());
                      return Mono.<PruneEvent>just(
                              new Deleted(
                                  repo, d.digest(), d.tags(), DeleteResult.Outcome.ALREADY_ABSENT))
                          .doOnNext(this::record);
                    })
                .onErrorResume(
                    StepFailure.class,
                    e ->
                        Mono.<PruneEvent>just(new Failed(repo, d.digest(), e.getMessage()))
                            .doOnNext(this::record));
          });
    }

    /** The exact manifest bytes, verified against the digest, recorded before the delete. */
    private Mono<Void> journal(String repo, DigestDecision d) {
      if (journal == NO_JOURNAL) {
        return Mono.empty();
      }
      return client
          .manifest(repo, d.digest())
          .onErrorMap(NotFoundException.class, e -> new AlreadyGone())
          .onErrorMap(
              e -> !abortOn(e) && !(e instanceof AlreadyGone),
              e ->
                  new StepFailure(
                      "not deleted: its manifest could not be read for the "
                          + "journal: "
                          + message(e)))
          .flatMap(
              m -> {
                byte[] raw = m.raw();
                if (!Digests.matches(d.digest(), raw)) {
                  return Mono.error(
                      new StepFailure(
                          "not deleted: the manifest served for the journal does not hash to "
                              + d.digest()));
                }
                DeletionJournal.Entry entry =
                    new DeletionJournal.Entry(
                        client.baseUrl(),
                        repo,
                        d.digest(),
                        m.mediaType(),
                        raw,
                        d.tags(),
                        clock.instant());
                return Mono.defer(() -> journal.record(entry))
                    .onErrorMap(
                        e ->
                            new StepFailure(
                                "not deleted: the journal could not record it: " + message(e)));
              });
    }

    private Mono<PruneEvent> send(String repo, DigestDecision d, Set<String> gone) {
      // Materialized, so an abort error answered after cancellation is discarded, not logged as
      // dropped.
      CompletableFuture<Signal<PruneEvent>> attempt =
          client
              .deleteManifest(repo, d.digest())
              .<PruneEvent>map(
                  result -> {
                    gone.add(d.digest());
                    return new Deleted(repo, d.digest(), d.tags(), result.outcome());
                  })
              .onErrorResume(
                  e -> !abortOn(e), e -> Mono.just(new Failed(repo, d.digest(), message(e))))
              .doOnNext(this::record)
              .materialize()
              .toFuture();
      inFlight.add(attempt);
      attempt.whenComplete((signal, error) -> inFlight.remove(attempt));
      return Mono.fromFuture(attempt, true).dematerialize();
    }

    /** Completes when every delete sent so far has been answered (or has failed). */
    Mono<Void> settled() {
      return Mono.defer(
          () ->
              Mono.fromFuture(
                  CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]))
                      .handle((ignored, error) -> (Void) null)));
    }
  }

  private static final DeletionJournal NO_JOURNAL = DeletionJournal.none();

  /**
   * The manifest to journal is not there any more (404): the delete's goal is met, nothing is sent.
   */
  private static final class AlreadyGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AlreadyGone() {
      super("already gone", null, false, false);
    }
  }

  /** A failure of one delete's preparation: that delete fails, nothing is sent. */
  private static final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StepFailure(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * One repository's protection while its deletes run: the digests that tags not in the plan (or
   * kept tags, wherever they point now) hold, with the children of such indexes. Re-checks are
   * shared by the deletes that wait for them, one at a time.
   */
  private final class Guard {
    private final String repo;
    private final Map<String, DigestDecision> byDigest = new LinkedHashMap<>();
    private final Map<String, String> plannedTags = new HashMap<>();
    private final Set<String> keptTags = new HashSet<>();
    final Set<String> protectedNow = ConcurrentHashMap.newKeySet();
    private final Set<String> moved = ConcurrentHashMap.newKeySet();

    /** {@link System#nanoTime()} when the last completed re-check started; none yet. */
    private volatile long lastStart;

    private volatile boolean checked;
    private @Nullable Mono<Void> running;

    Guard(RepositoryPlan rp) {
      this.repo = rp.repository();
      for (DigestDecision d : rp.decisions()) {
        byDigest.put(d.digest(), d);
        d.tags().forEach(t -> plannedTags.put(t, d.digest()));
        if (!d.isDelete()) {
          keptTags.addAll(d.tags());
        }
      }
    }

    List<String> movedSorted() {
      return new ArrayList<>(new TreeSet<>(moved));
    }

    /**
     * Completes once the protected set comes from a re-check that started less than {@link
     * #RECHECK_INTERVAL} ago, or after {@code readyAt}.
     */
    Mono<Void> fresh(long readyAt) {
      return Mono.defer(
          () -> {
            long start = lastStart;
            if (checked
                && (System.nanoTime() - start < RECHECK_INTERVAL.toNanos()
                    || start - readyAt >= 0)) {
              return Mono.empty();
            }
            return join().then(fresh(readyAt));
          });
    }

    private synchronized Mono<Void> join() {
      if (running == null) {
        long start = System.nanoTime();
        // Cleared before the waiting deletes hear of the outcome (doOnTerminate runs before the
        // signal goes on), so one that needs a newer check starts a new one instead of joining
        // this.
        running =
            recheck()
                .doOnSuccess(
                    v -> {
                      lastStart = start;
                      checked = true;
                    })
                .doOnTerminate(
                    () -> {
                      synchronized (this) {
                        running = null;
                      }
                    })
                .cache();
      }
      return running;
    }

    /** Lists the tags and resolves, by GET, every tag not in the plan and every kept tag. */
    private Mono<Void> recheck() {
      return client
          .tags(repo)
          .collectList()
          .onErrorResume(NotFoundException.class, e -> Mono.just(List.of()))
          .flatMapMany(
              current ->
                  Flux.fromIterable(current)
                      .filter(t -> !plannedTags.containsKey(t) || keptTags.contains(t)))
          .flatMap(
              tag ->
                  client
                      .manifest(repo, tag)
                      .doOnNext(
                          m -> {
                            if (!m.digest().equals(plannedTags.get(tag))) {
                              moved.add(tag);
                            }
                          })
                      .flatMap(this::protect)
                      // A tag deleted since the listing is simply no longer there.
                      .onErrorResume(NotFoundException.class, e -> Mono.empty()),
              concurrency)
          .then();
    }

    /** Protects a manifest and, transitively, its children (known from the plan or fetched). */
    private Mono<Void> protect(Manifest m) {
      List<Mono<Void>> more = new ArrayList<>();
      protectedNow.add(m.digest());
      if (m instanceof ImageIndex index) {
        for (Descriptor child : index.manifests()) {
          more.add(protectDigest(child.digest(), MediaTypes.isIndex(child.mediaType())));
        }
      }
      return Flux.concat(more).then();
    }

    private Mono<Void> protectDigest(String digest, boolean isIndex) {
      DigestDecision known = byDigest.get(digest);
      if (known != null) {
        List<String> work = new ArrayList<>(List.of(digest));
        while (!work.isEmpty()) {
          String d = work.remove(work.size() - 1);
          if (protectedNow.add(d)) {
            DigestDecision k = byDigest.get(d);
            work.addAll(k == null ? List.of() : k.children());
          }
        }
        return Mono.empty();
      }
      if (!protectedNow.add(digest) || !isIndex) {
        return Mono.empty();
      }
      return client
          .manifest(repo, digest)
          .flatMap(this::protect)
          .onErrorResume(NotFoundException.class, e -> Mono.empty());
    }
  }
}
