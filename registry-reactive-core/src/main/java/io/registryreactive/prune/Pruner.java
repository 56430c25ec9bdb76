package io.registryreactive.prune;

import io.registryreactive.ClientMetrics;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryListener;
import io.registryreactive.internal.http.RequestObserver;
import io.registryreactive.internal.prune.PruneSession;
import io.registryreactive.internal.prune.PruneTarget;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.PruneEvent.Deleted;
import io.registryreactive.prune.PruneEvent.Finished;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plans and applies prunes with a {@link ReactiveRegistryClient}.
 *
 * <pre>{@code
 * Pruner pruner = Pruner.of(client);
 * PrunePlan plan = pruner.plan(RetentionPolicy.builder().keepLast(10).build()).block();
 * System.out.println(plan.toJson());                 // nothing deleted yet
 * PruneReport report = pruner.applyAndReport(plan).block();
 * }</pre>
 *
 * <p>Safety rules: what is kept is decided on direct evidence - every listed tag and every
 * whitelist entry is fetched with {@code GET} and its digest is the sha256 of the bytes served,
 * whatever the listing, {@code HEAD} or a header says; a digest is deleted only if every tag on it
 * is deletable; children of kept indexes are kept. A repository that cannot be read consistently is
 * skipped and reported ({@link PrunePlan#skippedRepositories()}); a keep rule that matches nothing
 * makes {@link #apply} refuse the plan ({@link PlanRefusedException}) unless the policy allows it.
 * While a repository's deletes run, its tags are listed again before the first {@code DELETE} and
 * whenever the last listing is more than a second old, and no digest a tag added or moved since the
 * plan points at (or an index it points at holds) is deleted. An index's children are deleted only
 * after the index itself. Each manifest is recorded in the {@linkplain #withJournal journal} before
 * its {@code DELETE}. An authentication, permission or deletion-disabled error on a delete stops
 * the whole run at once; other failures are collected, retried once more after every repository was
 * done, and the rest goes on. Requests run concurrently under the client's bounds; for a batch run
 * give the client {@code RetryOptions.batch()}.
 */
public final class Pruner {
  /**
   * Default requests a planning stage or a repository's deletions issue at once: 64 (the client
   * caps in-flight).
   */
  public static final int DEFAULT_CONCURRENCY = PruneSession.DEFAULT_CONCURRENCY;

  private final PruneSession session;
  private final RegistryListener listener;

  private Pruner(PruneSession session, RegistryListener listener) {
    this.session = session;
    this.listener = listener;
  }

  /**
   * @param client the client to prune with
   * @return a pruner with {@link #DEFAULT_CONCURRENCY}
   */
  public static Pruner of(ReactiveRegistryClient client) {
    Objects.requireNonNull(client, "'client' must not be null");
    return new Pruner(PruneSession.of(new ClientTarget(client)), client.listener());
  }

  /**
   * @param n requests issued at once per stage, 1 to 1024 (the client's own cap still applies)
   * @return a pruner with that concurrency
   */
  public Pruner withConcurrency(int n) {
    if (n < 1 || n > 1024) {
      throw new IllegalArgumentException("'concurrency' must be 1 to 1024, was " + n);
    }
    return new Pruner(session.withConcurrency(n), listener);
  }

  /**
   * @param c the clock age rules measure from
   * @return a pruner with that clock
   */
  public Pruner withClock(Clock c) {
    return new Pruner(
        session.withClock(Objects.requireNonNull(c, "'clock' must not be null")), listener);
  }

  /**
   * Records each manifest in a journal before it is deleted: its repository, digest, media type,
   * exact bytes (fetched by digest just before the delete and checked against the digest) and the
   * tags it carried, so that the deletion can be undone until the registry's garbage collection
   * runs. The {@code DELETE} is sent only after the journal's {@code record} completed; a journal
   * error, or a manifest that cannot be fetched or does not hash to its digest, fails that deletion
   * without sending it; a manifest already gone (404) is reported {@code ALREADY_ABSENT},
   * unrecorded and with nothing sent. Default: {@link DeletionJournal#none()}, which records
   * nothing and fetches nothing.
   *
   * @param journal where to record
   * @return a pruner with that journal
   */
  public Pruner withJournal(DeletionJournal journal) {
    return new Pruner(
        session.withJournal(Objects.requireNonNull(journal, "'journal' must not be null")),
        listener);
  }

  /**
   * Resolves listed tags with a {@code HEAD} and fetches each manifest once by digest, instead of
   * one {@code GET} per tag; for registries that count manifest {@code GET}s as pulls (Docker Hub's
   * rate limit), where many tags share few digests. Every digest is still computed from the bytes
   * served (the {@code GET} by digest must hash to the digest the {@code HEAD} named, or the
   * repository is skipped), and tags the policy keeps by name are still resolved by {@code GET}, so
   * a {@code HEAD} that lies cannot make a kept tag's digest deletable. Default: off (one {@code
   * GET} per tag, the fewest requests).
   *
   * @param enabled whether listed tags are resolved by {@code HEAD} first
   * @return a pruner resolving tags so
   */
  public Pruner withHeadFirst(boolean enabled) {
    return new Pruner(session.withHeadFirst(enabled), listener);
  }

  /**
   * Whether planning also reads the repositories outside the policy's scope - their tags and what
   * they reference, nothing else, and nothing there is planned - so that the reclaimable estimate
   * does not count a blob they hold. Default: on. Off, a narrow policy on a large registry reads
   * only what it covers, and the estimate is marked as an upper bound.
   *
   * @param enabled whether to read them
   * @return a pruner reading them or not
   */
  public Pruner withUncoveredRepositoriesRead(boolean enabled) {
    return new Pruner(session.withReadUncovered(enabled), listener);
  }

  /**
   * Reads the registry's own storage (read-only) for what the API does not tell: every manifest
   * revision of each repository, tagged or not (so that {@link
   * RetentionPolicy.Builder#deleteUntagged(boolean)} can plan untagged manifests, and the
   * reclaimable estimate counts the blobs they hold as staying), and when a tag was pushed, the
   * last date source of age rules after the config's {@code created} and the OCI {@code created}
   * annotation. Default: no storage access (the estimate is then an upper bound).
   *
   * @param storage the registry's filesystem storage
   * @return a pruner reading it
   */
  public Pruner withStorage(RegistryStorage storage) {
    return new Pruner(
        session.withStorage(Objects.requireNonNull(storage, "'storage' must not be null")),
        listener);
  }

  /**
   * Reports how far each {@link #plan} has got: covered repositories listed and done, tags listed,
   * manifests read, and the time since the planning started, given to {@code progress} each time a
   * piece of that work completes. Called from the planning's threads, one call at a time, with
   * counts that never decrease; it must return quickly and not block (keep the latest and draw it
   * elsewhere). What it throws is logged and ignored: progress never fails a plan. Default: none.
   *
   * @param progress given each update
   * @return a pruner reporting planning progress to it
   */
  public Pruner withPlanningProgress(Consumer<PlanningProgress> progress) {
    return new Pruner(
        session.withPlanningProgress(
            Objects.requireNonNull(progress, "'progress' must not be null")),
        listener);
  }

  /**
   * Lists the registry and decides, deleting nothing.
   *
   * @param policy what to keep
   * @return the plan
   */
  public Mono<PrunePlan> plan(RetentionPolicy policy) {
    return session
        .plan(policy)
        .doOnNext(
            p ->
                RequestObserver.safely(
                    () ->
                        listener.prunePlanned(
                            p.totals().digestsToDelete(), p.totals().reclaimableBytes())));
  }

  /**
   * The original client's call: deletes every tag in the registry that is not on the whitelist
   * (plan and apply in one go). Entries are {@code repo:tag}, {@code repo@digest} (keeps the
   * digest) or {@code repo} (keeps the repository), optionally prefixed with this registry's host.
   * A malformed entry fails before any request is sent.
   *
   * @param whitelist what to keep
   * @return the report; errors with {@link PlanRefusedException}, before any {@code DELETE}, if an
   *     entry names a repository, tag or digest the registry does not have
   */
  public Mono<PruneReport> deleteNonWhitelistedTags(Collection<String> whitelist) {
    return session.deleteNonWhitelistedTags(whitelist);
  }

  /**
   * Applies a plan and gives only the report.
   *
   * @param plan a plan from {@link #plan}
   * @return the report; errors with {@link PlanRefusedException} as {@link #apply} does
   */
  public Mono<PruneReport> applyAndReport(PrunePlan plan) {
    return apply(plan).ofType(Finished.class).map(Finished::report).last();
  }

  /**
   * Applies a plan, emitting progress; the last event is {@link Finished} with the report.
   * Cancelling stops new deletions at once; deletes already sent are awaited (the registry may
   * apply them anyway) and recorded. {@link #execute} also gives the report of a cancelled run.
   *
   * @param plan a plan from {@link #plan}
   * @return the progress events; errors with {@link PlanRefusedException}, before any request, for
   *     a plan with keep rules that match nothing unless its policy allows that
   */
  public Flux<PruneEvent> apply(PrunePlan plan) {
    return execute(plan).events();
  }

  /**
   * Applies a plan; {@link PruneExecution#report()} completes whenever the run ends, cancelled
   * included. The run starts when {@link PruneExecution#events()} is subscribed, once.
   *
   * @param plan a plan from {@link #plan}
   * @return the execution handle
   */
  public PruneExecution execute(PrunePlan plan) {
    PruneExecution run = session.execute(plan);
    if (listener == RegistryListener.NONE) {
      return run;
    }
    return new PruneExecution(run.events().doOnNext(this::report), run.report());
  }

  private void report(PruneEvent event) {
    if (event instanceof Deleted) {
      RequestObserver.safely(listener::pruneDeleted);
    } else if (event instanceof PruneEvent.Failed) {
      RequestObserver.safely(listener::pruneFailed);
    }
  }

  /** The public client seen through the calls pruning makes. */
  private record ClientTarget(ReactiveRegistryClient client) implements PruneTarget {
    @Override
    public String registryHost() {
      return client.registryHost();
    }

    @Override
    public String baseUrl() {
      return client.baseUrl().toString();
    }

    @Override
    public Flux<String> catalog() {
      return client.catalog();
    }

    @Override
    public Flux<String> tags(String repository) {
      return client.tags(repository);
    }

    @Override
    public Mono<ImageMetadata> metadata(String repository, String tagOrDigest) {
      return client.metadata(ImageReference.of(repository, tagOrDigest));
    }

    @Override
    public Mono<Manifest> manifest(String repository, String tagOrDigest) {
      return client.manifest(ImageReference.of(repository, tagOrDigest));
    }

    @Override
    public Mono<byte[]> blob(String repository, String digest) {
      return client.blob(repository, digest);
    }

    @Override
    public Flux<Descriptor> referrers(String repository, String digest) {
      return client.referrers(repository, digest);
    }

    @Override
    public Mono<DeleteResult> deleteManifest(String repository, String digest) {
      return client.deleteManifest(repository, digest);
    }

    @Override
    public ClientMetrics metrics() {
      return client.metrics();
    }
  }
}
