package io.registryreactive.internal.prune;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.AuthenticationException;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.NotFoundException;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.prune.DigestDecision;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.Sinks;
import reactor.util.function.Tuples;

/**
 * Applies a {@link PrunePlan}: per repository, its tags are listed again and tags that were not in
 * the plan (or kept tags that moved) are resolved, and no digest they point at is deleted; then
 * top-level manifests are deleted, then index children, level by level. An authentication,
 * permission or deletion-disabled error stops the whole run at once; other failures are collected
 * and the rest goes on.
 */
public final class PruneExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(PruneExecutor.class);

  private final PruneTarget client;
  private final int concurrency;
  private final Clock clock;

  /**
   * @param target the registry
   * @param concurrency requests issued at once per repository stage
   * @param clock stamps the report
   */
  public PruneExecutor(PruneTarget target, int concurrency, Clock clock) {
    this.client = target;
    this.concurrency = concurrency;
    this.clock = clock;
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
    Flux<PruneEvent> events = Flux.defer(() -> {
      if (!started.compareAndSet(false, true)) {
        return Flux.error(new IllegalStateException("this execution was already subscribed; call execute(plan) again"));
      }
      Run run = new Run(plan, clock.instant());
      return Flux.fromIterable(plan.repositories())
          .filter(r -> r.decisions().stream().anyMatch(DigestDecision::isDelete))
          .concatMap(run::repository)
          .onErrorResume(run::abortOn, e -> {
            run.abort(e);
            return Flux.empty();
          })
          // An abort leaves sibling deletes in flight: their outcomes belong in the report.
          .concatWith(run.settled().then(Mono.fromSupplier(() -> {
            PruneReport report = run.report(null);
            reportSink.tryEmitValue(report);
            return new Finished(report);
          })))
          .doOnCancel(() -> run.settled()
              .doFinally(signal -> reportSink.tryEmitValue(run.report(PruneReport.Status.CANCELLED)))
              .subscribe());
    });
    return new PruneExecution(events, reportSink.asMono());
  }

  /**
   * State of one run; event recording is synchronized since deletions complete on any thread.
   * Events are recorded where they are made, not where they are consumed, so that a delete
   * answered after the subscriber cancelled is still in the report.
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
    private final Set<CompletableFuture<Signal<PruneEvent>>> inFlight = ConcurrentHashMap.newKeySet();

    Run(PrunePlan plan, Instant startedAt) {
      this.plan = plan;
      this.startedAt = startedAt;
      this.planned = plan.repositories().stream().mapToLong(r -> r.deletions().size()).sum();
    }

    boolean abortOn(Throwable e) {
      return e instanceof AuthenticationException || e instanceof AccessDeniedException
          || e instanceof DeletionDisabledException;
    }

    void abort(Throwable e) {
      LOG.warn("prune aborted: {}", e.getMessage());
      abortReason = Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    synchronized void record(PruneEvent event) {
      if (event instanceof Deleted d) {
        deleted.add(new PruneReport.DeletedManifest(d.repository(), d.digest(), d.tags(), d.outcome()));
      } else if (event instanceof Skipped s) {
        skipped.add(new PruneReport.SkippedManifest(s.repository(), s.digest(), s.reason()));
      } else if (event instanceof Failed f) {
        failures.add(new PruneReport.FailedManifest(f.repository(), f.digest(), f.error()));
      }
    }

    synchronized PruneReport report(PruneReport.@org.jspecify.annotations.Nullable Status forced) {
      PruneReport.Status status = forced != null ? forced
          : abortReason.isPresent() ? PruneReport.Status.ABORTED
          : failures.isEmpty() ? PruneReport.Status.COMPLETED : PruneReport.Status.COMPLETED_WITH_FAILURES;
      long done = deleted.size() + skipped.size() + failures.size();
      return new PruneReport(plan.registry(), startedAt, clock.instant(), status, abortReason, deleted, skipped,
          failures, Math.max(0, planned - done), planned, plan.totals().reclaimableBytes(), client.metrics());
    }

    /** Re-checks one repository, then deletes: top-level manifests first, then index children. */
    Flux<PruneEvent> repository(RepositoryPlan rp) {
      String repo = rp.repository();
      Map<String, DigestDecision> byDigest = new LinkedHashMap<>();
      rp.decisions().forEach(d -> byDigest.put(d.digest(), d));
      Map<String, String> plannedTags = new HashMap<>();
      Set<String> keptTags = new HashSet<>();
      for (DigestDecision d : rp.decisions()) {
        d.tags().forEach(t -> plannedTags.put(t, d.digest()));
        if (!d.isDelete()) {
          keptTags.addAll(d.tags());
        }
      }
      return client.tags(repo).collectList()
          .onErrorResume(NotFoundException.class, e -> Mono.just(List.of()))
          .flatMapMany(current -> {
            List<String> toResolve = current.stream()
                .filter(t -> !plannedTags.containsKey(t) || keptTags.contains(t)).toList();
            return Flux.fromIterable(toResolve)
                .flatMap(tag -> client.metadata(repo, tag)
                    .map(m -> Tuples.of(tag, m))
                    .onErrorResume(NotFoundException.class, e -> Mono.empty()), concurrency)
                .collectList()
                .flatMapMany(resolved -> protectNow(repo, resolved.stream().map(t -> t.getT2()).toList(), byDigest)
                    .flatMapMany(protectedNow -> {
                      List<String> moved = resolved.stream()
                          .filter(t -> !t.getT2().digest().equals(plannedTags.get(t.getT1())))
                          .map(t -> t.getT1()).sorted().toList();
                      List<String> saved = byDigest.values().stream().filter(DigestDecision::isDelete)
                          .map(DigestDecision::digest).filter(protectedNow::contains).sorted().toList();
                      return Flux.<PruneEvent>just(new RepositoryRechecked(repo, moved, saved))
                          .concatWith(Flux.fromIterable(saved).<PruneEvent>map(d -> new Skipped(repo, d,
                              "a tag added or moved since the plan points at it (or at an index holding it)"))
                              .doOnNext(this::record))
                          .concatWith(deleteInOrder(repo, byDigest, protectedNow));
                    }));
          })
          .onErrorResume(e -> !abortOn(e), e -> Flux.fromIterable(byDigest.values())
              .filter(DigestDecision::isDelete)
              .<PruneEvent>map(d -> new Failed(repo, d.digest(), "repository re-check failed: " + e.getMessage()))
              .doOnNext(this::record));
    }

    /**
     * Digests of this repository that must not be deleted now: those the resolved tags point at,
     * and the children of any such index (fetched when the plan does not know it), transitively.
     */
    private Mono<Set<String>> protectNow(String repo, List<ImageMetadata> resolved,
        Map<String, DigestDecision> byDigest) {
      Set<String> roots = new HashSet<>();
      Set<String> unknownIndexes = new HashSet<>();
      for (var m : resolved) {
        roots.add(m.digest());
        if (!byDigest.containsKey(m.digest()) && MediaTypes.isIndex(m.mediaType())) {
          unknownIndexes.add(m.digest());
        }
      }
      return Flux.fromIterable(unknownIndexes)
          .flatMap(d -> client.manifest(repo, d), concurrency)
          .ofType(ImageIndex.class)
          .collectMap(ImageIndex::digest, ImageIndex::childDigests)
          .map(unknownChildren -> {
            Set<String> out = new HashSet<>();
            List<String> work = new ArrayList<>(roots);
            while (!work.isEmpty()) {
              String d = work.remove(work.size() - 1);
              if (!out.add(d)) {
                continue;
              }
              DigestDecision known = byDigest.get(d);
              work.addAll(known != null ? known.children() : unknownChildren.getOrDefault(d, List.of()));
            }
            return out;
          });
    }

    private Flux<PruneEvent> deleteInOrder(String repo, Map<String, DigestDecision> byDigest, Set<String> protectedNow) {
      List<DigestDecision> deletions = byDigest.values().stream()
          .filter(DigestDecision::isDelete).filter(d -> !protectedNow.contains(d.digest())).toList();
      Map<String, List<String>> parentsOf = new HashMap<>();
      for (DigestDecision d : deletions) {
        d.children().forEach(c -> parentsOf.computeIfAbsent(c, k -> new ArrayList<>()).add(d.digest()));
      }
      List<DigestDecision> first = deletions.stream().filter(d -> !parentsOf.containsKey(d.digest())).toList();
      List<DigestDecision> later = deletions.stream().filter(d -> parentsOf.containsKey(d.digest())).toList();
      Set<String> gone = ConcurrentHashMap.newKeySet();
      return Flux.fromIterable(first).flatMap(d -> delete(repo, d, gone), concurrency)
          .concatWith(Flux.defer(() -> deleteChildren(repo, later, parentsOf, gone)));
    }

    /** Children go only after every deleted parent index is gone, level by level for nested indexes. */
    private Flux<PruneEvent> deleteChildren(String repo, List<DigestDecision> pending,
        Map<String, List<String>> parentsOf, Set<String> gone) {
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
        } else if (parents.stream().anyMatch(p -> !gone.contains(p) && !pendingDigests.contains(p))) {
          skips.add(new Skipped(repo, d.digest(), "its index was not deleted, so it is still referenced"));
        } else {
          waiting.add(d);
        }
      }
      if (ready.isEmpty()) {
        waiting.forEach(d -> skips.add(new Skipped(repo, d.digest(), "its index was not deleted")));
        return Flux.fromIterable(skips).doOnNext(this::record);
      }
      return Flux.fromIterable(skips).doOnNext(this::record)
          .concatWith(Flux.fromIterable(ready).flatMap(d -> delete(repo, d, gone), concurrency))
          .concatWith(Flux.defer(() -> deleteChildren(repo, waiting, parentsOf, gone)));
    }

    /**
     * Sends one delete. Once sent it may take effect whatever this run does next, so it is not
     * cancelled with the run: it completes on its own and its outcome is recorded.
     */
    private Mono<PruneEvent> delete(String repo, DigestDecision d, Set<String> gone) {
      return Mono.defer(() -> {
        // Materialized, so an abort error answered after cancellation is discarded, not logged as dropped.
        CompletableFuture<Signal<PruneEvent>> attempt = client.deleteManifest(repo, d.digest())
            .<PruneEvent>map(result -> {
              gone.add(d.digest());
              return new Deleted(repo, d.digest(), d.tags(), result.outcome());
            })
            .onErrorResume(e -> !abortOn(e), e -> Mono.just(new Failed(repo, d.digest(),
                e.getMessage() == null ? e.toString() : e.getMessage())))
            .doOnNext(this::record)
            .materialize()
            .toFuture();
        inFlight.add(attempt);
        attempt.whenComplete((signal, error) -> inFlight.remove(attempt));
        return Mono.fromFuture(attempt, true).dematerialize();
      });
    }

    /** Completes when every delete sent so far has been answered (or has failed). */
    Mono<Void> settled() {
      return Mono.defer(() -> Mono.fromFuture(CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0]))
          .handle((ignored, error) -> (Void) null)));
    }
  }
}
