package io.registryreactive.internal.prune;

import io.registryreactive.AuthenticationException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.NotFoundException;
import io.registryreactive.internal.json.ConfigBlob;
import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.DigestDecision.DateSource;
import io.registryreactive.prune.PrunePlan.MissingKeep;
import io.registryreactive.prune.RegistryStorage;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * Lists what a prune needs to decide: per covered repository its tags, each resolved by a {@code
 * GET} of its manifest (the digest is the sha256 of the bytes served, never a header's claim),
 * every manifest reachable from them once (GET by digest, shared across repositories since content
 * by digest is immutable), each distinct image config once (for the creation time), and referrers
 * where the registry has the API.
 *
 * <p>Kept is decided on direct evidence: every whitelist entry of a covered repository ({@code
 * repo:tag}, {@code repo@digest}) is fetched by itself, whatever the listing says, and a kept
 * index's children come from the index body so fetched. An entry, or a repository pattern, that
 * matches nothing is reported as {@link MissingKeep}.
 *
 * <p>A repository that cannot be read consistently - its tag list or a manifest unreadable after
 * the client's retries, a listed tag that cannot be resolved, a digest header that disagrees with
 * the bytes, a schema 1 manifest, an index child the registry does not have, an invalid tag in the
 * listing, a permission error - is {@linkplain Repo#broken broken}: nothing is deleted there, and
 * the rest is collected as usual. Only an authentication failure (the credentials are wrong for
 * every repository) or an unreadable catalog fails the whole collection. An unreadable config blob
 * makes its image undated, with a note.
 *
 * <p>Memory grows with the number of digests, not with response sizes: manifests are reduced to
 * {@link ManifestInfo} as they arrive.
 */
public final class SnapshotCollector {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCollector.class);
  private static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

  private final PruneTarget client;
  private final int concurrency;
  private final Clock clock;
  private final Optional<RegistryStorage> storage;
  private final PlanningCounter progress;
  private final boolean headFirst;
  private final boolean readUncovered;

  /**
   * Manifest digest to its {@link ManifestInfo} once read, or to the {@code Mono} of the request in
   * flight (a {@code Mono.just} per read manifest would be 16 bytes more each).
   */
  private final Map<String, Object> manifests = new ConcurrentHashMap<>();

  private final Map<String, Mono<Optional<Instant>>> configs = new ConcurrentHashMap<>();

  /**
   * Image manifest digest to its config blob's digest; kept only while some repository needs dates
   * ({@link #datesNeeded}), as it holds an entry per image.
   */
  private final Map<String, String> configOf = new ConcurrentHashMap<>();

  /**
   * Whether any repository collected is dated (an age rule): only then is {@link #configOf} kept.
   */
  private volatile boolean datesNeeded = true;

  /** Config digest to why it could not be read. */
  private final Map<String, String> unreadableConfigs = new ConcurrentHashMap<>();

  /** Whether the registry has the referrers API (distribution 2.8 has not), once asked. */
  private final AtomicReference<Mono<Boolean>> referrersProbe = new AtomicReference<>();

  /**
   * @param client the registry (its bounds cap the requests in flight)
   * @param concurrency requests this collector issues at once at most, per stage
   * @param clock stamps the snapshot
   */
  public SnapshotCollector(PruneTarget client, int concurrency, Clock clock) {
    this(client, concurrency, clock, Optional.empty());
  }

  /**
   * @param client the registry (its bounds cap the requests in flight)
   * @param concurrency requests this collector issues at once at most, per stage
   * @param clock stamps the snapshot
   * @param storage the registry's storage, read for tag push times; empty when not readable
   */
  public SnapshotCollector(
      PruneTarget client, int concurrency, Clock clock, Optional<RegistryStorage> storage) {
    this(client, concurrency, clock, storage, PlanningCounter.NONE);
  }

  /**
   * @param client the registry (its bounds cap the requests in flight)
   * @param concurrency requests this collector issues at once at most, per stage
   * @param clock stamps the snapshot
   * @param storage the registry's storage, read for tag push times; empty when not readable
   * @param progress given the counts as work completes, from the collector's threads (it must not
   *     block); what it throws is logged and ignored
   */
  public SnapshotCollector(
      PruneTarget client,
      int concurrency,
      Clock clock,
      Optional<RegistryStorage> storage,
      java.util.function.Consumer<io.registryreactive.prune.PlanningProgress> progress) {
    this(client, concurrency, clock, storage, progress, PlanningOptions.DEFAULT);
  }

  /**
   * @param client the registry (its bounds cap the requests in flight)
   * @param concurrency requests this collector issues at once at most, per stage
   * @param clock stamps the snapshot
   * @param storage the registry's storage; empty when not readable
   * @param progress given the counts as work completes (it must not block)
   * @param options whether tags are resolved by {@code HEAD} first, and uncovered repositories read
   */
  public SnapshotCollector(
      PruneTarget client,
      int concurrency,
      Clock clock,
      Optional<RegistryStorage> storage,
      java.util.function.Consumer<io.registryreactive.prune.PlanningProgress> progress,
      PlanningOptions options) {
    this.headFirst = options.headFirst();
    this.readUncovered = options.readUncovered();
    this.client = client;
    this.concurrency = concurrency;
    this.clock = clock;
    this.storage = storage;
    this.progress = new PlanningCounter(java.util.Objects.requireNonNull(progress, "progress"));
  }

  /**
   * @param policy decides which repositories are covered and what is kept
   * @return the snapshot of every covered repository, in catalog order
   */
  public Mono<RegistrySnapshot> collect(RetentionPolicy policy) {
    datesNeeded = policy.hasAgeRule();
    Map<String, List<KeepRef>> refs = keepRefs(policy);
    Set<String> catalog = ConcurrentHashMap.newKeySet();
    Set<String> notRead = ConcurrentHashMap.newKeySet();
    List<MissingKeep> missing = java.util.Collections.synchronizedList(new ArrayList<>());
    // Named repositories replace the catalog, which many registries do not offer to everyone.
    Flux<String> names =
        policy.repositoryNames().isEmpty()
            ? client.catalog()
            : Flux.fromIterable(policy.repositoryNames());
    String listing = policy.repositoryNames().isEmpty() ? "the catalog" : "the named repositories";
    return names
        .doOnNext(catalog::add)
        .filter(
            name -> {
              boolean read = readUncovered || policy.coversRepository(name);
              if (!read) {
                notRead.add(name);
              }
              return read;
            })
        .doOnNext(
            name -> {
              if (policy.coversRepository(name)) {
                progress.repositoryListed();
              }
            })
        // Repositories the policy does not cover are read too, for what they reference: a blob
        // they share with a deleted image is not reclaimable. One stream for both, with as many
        // repositories in progress as requests may be in flight, so that many small repositories
        // (each a chain of listing, manifests, children) keep the client's permits busy as one
        // large one does; the client's own cap bounds the requests actually sent.
        .flatMapSequential(
            name ->
                policy.coversRepository(name)
                    ? repository(
                            name,
                            refs.getOrDefault(name, List.of()),
                            missing,
                            true,
                            policy.hasAgeRule(),
                            tag -> policy.keepsByName(name, tag).isPresent())
                        .doOnNext(repo -> progress.repositoryDone())
                        .map(repo -> Tuples.of(true, repo))
                    : repository(name, List.of(), missing, false, false, tag -> false)
                        .map(repo -> Tuples.of(false, repo)),
            concurrency)
        .collectList()
        .map(
            all -> {
              List<Repo> repos = new ArrayList<>();
              List<Repo> others = new ArrayList<>();
              all.forEach(t -> (t.getT1() ? repos : others).add(t.getT2()));
              // The snapshot holds what the plan needs: the caches, an entry per digest, would
              // otherwise stay reachable while the plan is made from it.
              manifests.clear();
              configs.clear();
              configOf.clear();
              return new RegistrySnapshot(
                  client.registryHost(),
                  clock.instant(),
                  repos,
                  missingKeep(policy, refs, catalog, listing, missing),
                  others,
                  estimateCaveats(policy, repos, others, notRead),
                  policy.hasAgeRule());
            });
  }

  private List<MissingKeep> missingKeep(
      RetentionPolicy policy,
      Map<String, List<KeepRef>> refs,
      Set<String> catalog,
      String listing,
      List<MissingKeep> missing) {
    List<MissingKeep> all = new ArrayList<>();
    refs.forEach(
        (repo, list) -> {
          if (!catalog.contains(repo)) {
            list.forEach(
                r ->
                    all.add(
                        new MissingKeep(
                            r.entry(),
                            policy.repositoryNames().isEmpty()
                                ? "the registry has no repository " + repo
                                : repo + " is not among the named repositories")));
          }
        });
    patterns(all, catalog, listing, "includeRepositories", policy.includeRepositoryPatterns());
    patterns(all, catalog, listing, "excludeRepositories", policy.excludeRepositoryPatterns());
    all.addAll(missing);
    all.sort(java.util.Comparator.comparing(MissingKeep::rule));
    return all;
  }

  /** Why the reclaimable estimate may count blobs that garbage collection keeps. */
  private List<String> estimateCaveats(
      RetentionPolicy policy, List<Repo> repos, List<Repo> others, Set<String> notRead) {
    List<String> caveats = new ArrayList<>();
    if (storage.isEmpty()) {
      caveats.add(
          "untagged manifests are not visible without the registry's storage (Pruner.withStorage): "
              + "blobs only they share with deleted images are counted as reclaimable");
    }
    if (!notRead.isEmpty()) {
      caveats.add(
          notRead.size()
              + " repositories outside the policy's scope were not read (covered only): blobs they "
              + "share with deleted images are counted as reclaimable");
    }
    if (!policy.repositoryNames().isEmpty()) {
      caveats.add(
          "only the named repositories were read: blobs they share with other repositories are "
              + "counted as reclaimable");
    }
    for (Repo r : repos) {
      r.broken().ifPresent(why -> caveats.add("repository " + r.name() + " was not read: " + why));
    }
    for (Repo r : others) {
      r.broken()
          .ifPresent(
              why ->
                  caveats.add(
                      "repository "
                          + r.name()
                          + " (not covered) was not read: blobs it shares are counted as "
                          + "reclaimable: "
                          + why));
    }
    return caveats;
  }

  private static void patterns(
      List<MissingKeep> into,
      Set<String> catalog,
      String listing,
      String what,
      List<String> patterns) {
    for (String p : patterns) {
      Pattern compiled = Pattern.compile(p);
      if (catalog.stream().noneMatch(r -> compiled.matcher(r).matches())) {
        into.add(
            new MissingKeep(what + "=" + p, "the pattern matches no repository in " + listing));
      }
    }
  }

  /** A whitelist entry as the collector resolves it: a tag, a digest, or the whole repository. */
  private record KeepRef(
      String entry, String repository, Optional<String> tag, Optional<String> digest) {}

  private static Map<String, List<KeepRef>> keepRefs(RetentionPolicy policy) {
    Map<String, List<KeepRef>> out = new LinkedHashMap<>();
    for (String entry : policy.whitelistEntries()) {
      // The policy validated every entry when it was built.
      ImageReference ref = ImageReference.parse(entry.strip());
      out.computeIfAbsent(ref.repository(), r -> new ArrayList<>())
          .add(new KeepRef(entry, ref.repository(), ref.tag(), ref.digest()));
    }
    return out;
  }

  /**
   * @param name a repository
   * @return its tags, their digests and every manifest reachable from them
   */
  public Mono<Repo> repository(String name) {
    datesNeeded = true;
    return repository(
        name,
        List.of(),
        java.util.Collections.synchronizedList(new ArrayList<>()),
        true,
        true,
        tag -> true);
  }

  /**
   * @param covered whether the policy covers it: then keep rules are resolved and referrers asked;
   *     else it is read only for what it references
   * @param dated whether its images are dated from their config blobs (only an age rule needs that:
   *     the config blobs are not read otherwise)
   * @param keptByName tags resolved by {@code GET} even when {@link #headFirst} is on
   */
  private Mono<Repo> repository(
      String name,
      List<KeepRef> refs,
      List<MissingKeep> missing,
      boolean covered,
      boolean dated,
      java.util.function.Predicate<String> keptByName) {
    return client
        .tags(name)
        .collectList()
        .onErrorResume(NotFoundException.class, e -> Mono.just(List.of()))
        .doOnNext(
            tags -> {
              if (covered) {
                progress.tagsListed(tags.size());
              }
            })
        .flatMap(
            tags -> {
              for (String tag : tags) {
                checkTag(tag);
              }
              return Flux.fromIterable(tags)
                  .flatMap(
                      tag ->
                          resolveListed(name, tag, keptByName.test(tag))
                              .map(digest -> Tuples.of(tag, digest)),
                      concurrency)
                  .collectMap(t -> t.getT1(), t -> t.getT2(), LinkedHashMap::new)
                  .flatMap(tagToDigest -> resolveKept(name, refs, tagToDigest, missing));
            })
        .flatMap(
            resolved -> {
              Map<String, String> tagToDigest = resolved.getT1();
              // The tags' digests as they are (not copied into a set: for a million tags that is
              // some 50 MB); a digest several tags share is fetched once all the same.
              Collection<String> roots =
                  resolved.getT2().isEmpty()
                      ? tagToDigest.values()
                      : java.util.stream.Stream.concat(
                              tagToDigest.values().stream(), resolved.getT2().stream())
                          .toList();
              Map<String, ManifestInfo> infos = new ConcurrentHashMap<>();
              return closure(name, roots, infos)
                  .then(
                      covered
                          ? referrers(name, tagToDigest.values())
                              // Referrers are untagged manifests: fetch them too, so the plan
                              // can decide (and report) them with their subject.
                              .flatMap(
                                  referrers ->
                                      closure(
                                              name,
                                              referrers.values().stream()
                                                  .flatMap(List::stream)
                                                  .toList(),
                                              infos)
                                          .thenReturn(referrers))
                          : Mono.just(Map.<String, List<String>>of()))
                  .flatMap(referrers -> withStorage(name, tagToDigest, infos, referrers))
                  .flatMap(repo -> dated ? dated(repo) : Mono.just(repo));
            })
        // Wrong credentials fail the whole run; a repository outside the scope that the
        // credentials may not read only makes the estimate an upper bound.
        .onErrorResume(
            e -> !covered || !(e instanceof AuthenticationException),
            e -> {
              String reason = reason(e);
              if (covered) {
                LOG.warn("repository {} is skipped, nothing is deleted there: {}", name, reason);
              } else {
                // Not the user's concern beyond the estimate's caveat, which the plan carries.
                LOG.debug("repository {} (not covered) could not be read: {}", name, reason);
              }
              return Mono.just(Repo.broken(name, reason));
            });
  }

  /**
   * Fetches {@code roots} (duplicates allowed) and every manifest they reach into {@code infos}. An
   * index child the registry does not have breaks the repository.
   */
  private Mono<Void> closure(
      String name, Collection<String> roots, Map<String, ManifestInfo> infos) {
    // Roots are not made distinct first (for a repository of a million tags, a set of them would
    // be some 50 MB more at the end of its listing): a digest already collected is skipped, and
    // one in flight shares the request of its first root (manifest(...) caches it by digest).
    return Flux.fromIterable(roots)
        .filter(d -> !infos.containsKey(d))
        .flatMap(digest -> manifest(name, digest), concurrency)
        .expand(
            info ->
                Flux.fromIterable(info.children())
                    .filter(d -> !infos.containsKey(d))
                    .flatMap(
                        child ->
                            manifest(name, child)
                                .onErrorMap(
                                    NotFoundException.class,
                                    e ->
                                        new BrokenRepository(
                                            "index "
                                                + info.digest()
                                                + " lists child "
                                                + child
                                                + ", which the registry does not have")),
                        concurrency))
        .doOnNext(i -> infos.put(i.digest(), i))
        .then();
  }

  /**
   * With storage: tag push times, and every manifest revision, tagged or not, fetched (by digest,
   * through the API) with what it reaches. A revision the storage lists but the registry does not
   * serve has nothing to delete; it is noted.
   */
  private Mono<Repo> withStorage(
      String name,
      Map<String, String> tagToDigest,
      Map<String, ManifestInfo> infos,
      Map<String, List<String>> referrers) {
    List<String> notes = new ArrayList<>();
    if (storage.isEmpty()) {
      return Mono.fromSupplier(() -> repo(name, tagToDigest, infos, referrers, notes));
    }
    RegistryStorage s = storage.get();
    return s.manifestRevisionTimes(name)
        .flatMap(
            revisions ->
                Flux.fromIterable(revisions.keySet())
                    .filter(d -> !infos.containsKey(d))
                    .flatMap(
                        d ->
                            closure(name, List.of(d), infos)
                                // An untagged revision the registry does not serve, or an
                                // untagged index with a dangling child, concerns only itself.
                                .onErrorResume(
                                    e ->
                                        e instanceof NotFoundException
                                            || e instanceof BrokenRepository,
                                    e -> {
                                      synchronized (notes) {
                                        notes.add(
                                            e instanceof BrokenRepository
                                                ? "untagged " + e.getMessage()
                                                : "the storage holds manifest revision "
                                                    + d
                                                    + " but the registry does not serve it; it "
                                                    + "is left alone");
                                      }
                                      return Mono.empty();
                                    }),
                        concurrency)
                    .then(s.tagPushTimes(name))
                    .map(
                        times ->
                            repo(name, tagToDigest, infos, referrers, notes)
                                .withTagPushTimes(times)
                                .withRevisions(revisions, Map.of())));
  }

  private Repo repo(
      String name,
      Map<String, String> tagToDigest,
      Map<String, ManifestInfo> infos,
      Map<String, List<String>> referrers,
      List<String> extraNotes) {
    List<String> notes = new ArrayList<>(extraNotes);
    notes.sort(null);
    return new Repo(name, tagToDigest, infos, referrers, Optional.empty(), notes);
  }

  /**
   * Dates every image from its config blob (each distinct config read once): the config's {@code
   * created}, else the {@code org.opencontainers.image.created} annotation; a 1970 value of either
   * counts as absent, so a reproducible build's config does not hide a real annotation.
   */
  private Mono<Repo> dated(Repo repo) {
    return Flux.fromIterable(repo.manifests().values())
        .flatMap(
            info -> {
              String config = configOf.get(info.digest());
              if (config == null) {
                return Mono.just(info);
              }
              return created(repo.name(), config)
                  .map(
                      c -> {
                        if (c.filter(SnapshotCollector::isReal).isPresent()) {
                          return info.withCreated(c, DateSource.CONFIG);
                        }
                        if (info.dateSource() == DateSource.ANNOTATION) {
                          return info;
                        }
                        return info.withCreated(c.or(info::created), DateSource.NONE);
                      });
            },
            concurrency)
        .collectMap(ManifestInfo::digest, i -> i)
        .map(
            dated ->
                new Repo(
                    repo.name(),
                    repo.tags(),
                    dated,
                    repo.referrers(),
                    repo.broken(),
                    merged(repo.notes(), notes(dated.values())),
                    repo.tagPushTimes(),
                    repo.revisions()));
  }

  private static List<String> merged(List<String> a, List<String> b) {
    Set<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static void checkTag(String tag) {
    try {
      ImageReference.requireValidTag(tag);
    } catch (InvalidReferenceException e) {
      throw new BrokenRepository("the tag listing has an invalid tag: " + e.getMessage());
    }
  }

  /**
   * A listed tag's digest from a GET of its manifest; the manifest is kept for the plan. A tag the
   * registry lists but cannot serve breaks the repository: what it points at is unknown, so it
   * could be anything the plan would delete.
   */
  private Mono<String> resolveListed(String repository, String tag, boolean keptByName) {
    if (headFirst && !keptByName) {
      return client
          .metadata(repository, tag)
          .onErrorMap(NotFoundException.class, e -> unresolvable(tag, "HEAD"))
          .flatMap(
              head ->
                  manifest(repository, head.digest())
                      .onErrorMap(
                          NotFoundException.class,
                          e ->
                              new BrokenRepository(
                                  "the HEAD of tag '"
                                      + tag
                                      + "' names "
                                      + head.digest()
                                      + ", which the registry does not serve"))
                      .map(ManifestInfo::digest));
    }
    return client
        .manifest(repository, tag)
        .onErrorMap(NotFoundException.class, e -> unresolvable(tag, "GET"))
        .map(m -> remember(repository, m));
  }

  private static BrokenRepository unresolvable(String tag, String method) {
    return new BrokenRepository(
        "the listed tag '"
            + tag
            + "' cannot be resolved ("
            + method
            + " of its manifest: not found)");
  }

  /**
   * Resolves every whitelist entry of the repository by itself: a kept tag the listing left out is
   * added to the tags (the registry serves it, so it exists and its digest must not go), a kept
   * digest is fetched so that its children are known. An entry the registry does not have matches
   * nothing.
   *
   * @param tagToDigest the listing's tags, every one resolved, in listing order: the kept tags the
   *     listing left out are added to it
   * @return the tags (the listing's plus kept tags it left out) and the kept digests
   */
  private Mono<reactor.util.function.Tuple2<Map<String, String>, Set<String>>> resolveKept(
      String repository,
      List<KeepRef> refs,
      Map<String, String> tagToDigest,
      List<MissingKeep> missing) {
    Set<String> keptDigests = ConcurrentHashMap.newKeySet();
    // Only the kept tags the listing left out: the listing's own (every listed tag, resolved) are
    // not copied, which for a million tags would be two more maps of a million entries.
    Map<String, String> unlisted = new ConcurrentHashMap<>();
    return Flux.fromIterable(refs)
        .flatMap(
            ref -> {
              List<Mono<Void>> lookups = new ArrayList<>();
              ref.tag()
                  .filter(t -> !tagToDigest.containsKey(t))
                  .ifPresent(
                      tag ->
                          lookups.add(
                              client
                                  .manifest(repository, tag)
                                  .doOnNext(
                                      m -> {
                                        LOG.warn(
                                            "kept tag {}:{} is not in the tag listing but the registry serves it; it is kept",
                                            repository,
                                            tag);
                                        unlisted.put(tag, remember(repository, m));
                                      })
                                  .onErrorResume(
                                      NotFoundException.class,
                                      e -> {
                                        missing.add(
                                            new MissingKeep(
                                                ref.entry(),
                                                "the registry has no tag "
                                                    + repository
                                                    + ":"
                                                    + tag));
                                        return Mono.empty();
                                      })
                                  .then()));
              ref.digest()
                  .ifPresent(
                      digest ->
                          lookups.add(
                              client
                                  .manifest(repository, digest)
                                  .doOnNext(m -> keptDigests.add(remember(repository, m)))
                                  .onErrorResume(
                                      NotFoundException.class,
                                      e -> {
                                        missing.add(
                                            new MissingKeep(
                                                ref.entry(),
                                                "the registry has no manifest "
                                                    + repository
                                                    + "@"
                                                    + digest));
                                        return Mono.empty();
                                      })
                                  .then()));
              return Flux.concat(lookups);
            },
            concurrency)
        .then(
            Mono.fromSupplier(
                () -> {
                  // In listing order (the map is this collection's own, ordered), then the kept
                  // tags the listing left out.
                  unlisted.forEach(tagToDigest::putIfAbsent);
                  return Tuples.of(tagToDigest, keptDigests);
                }));
  }

  /**
   * Caches the info of a manifest already fetched (by tag), so it is not fetched again by digest.
   */
  private String remember(String repository, Manifest m) {
    progress.manifestRead();
    // Computed only when absent: several tags often name one digest.
    manifests.computeIfAbsent(m.digest(), d -> toInfo(repository, m));
    return m.digest();
  }

  @SuppressWarnings("unchecked")
  private Mono<ManifestInfo> manifest(String repository, String digest) {
    Object entry =
        manifests.computeIfAbsent(
            digest,
            d ->
                client
                    .manifest(repository, d)
                    .doOnNext(m -> progress.manifestRead())
                    .map(m -> toInfo(repository, m))
                    // Once read, the entry is the value alone: the request's operator chain and
                    // its cache are let go (content by digest is immutable, so any value will do).
                    .doOnNext(info -> manifests.replace(d, info))
                    // A failure is this repository's: another may hold the digest; do not cache
                    // it.
                    .doOnError(e -> manifests.remove(d))
                    .cache());
    return entry instanceof ManifestInfo info ? Mono.just(info) : (Mono<ManifestInfo>) entry;
  }

  /**
   * The manifest as the plan needs it, dated by its {@code created} annotation when that is real;
   * an image's config digest is remembered, for {@link #dated} to read when dates are needed.
   */
  private ManifestInfo toInfo(String repository, Manifest manifest) {
    Optional<Instant> annotated = annotationDate(manifest.annotations());
    DateSource source =
        annotated.filter(SnapshotCollector::isReal).isPresent()
            ? DateSource.ANNOTATION
            : DateSource.NONE;
    Optional<String> subject = manifest.subject().map(Descriptor::digest);
    if (manifest instanceof ImageIndex index) {
      return new ManifestInfo(
          index.digest(),
          index.mediaType().intern(),
          index.size(),
          index.childDigests(),
          Map.of(),
          annotated.filter(SnapshotCollector::isReal),
          source,
          subject);
    }
    ImageManifest image = (ImageManifest) manifest;
    // Blob digests and media types are interned: layers are shared by many images, and a
    // million parsed copies of the same digest would each take a string of their own.
    String config = image.config().digest().intern();
    Map<String, Long> blobs = new LinkedHashMap<>();
    blobs.put(config, image.config().size());
    for (Descriptor layer : image.layers()) {
      if (layer.urls().isEmpty()) {
        // Foreign layers (with urls) are not stored by the registry.
        blobs.merge(layer.digest().intern(), layer.size(), (a, b) -> a);
      }
    }
    if (datesNeeded) {
      configOf.put(image.digest(), config);
    }
    return new ManifestInfo(
        image.digest(),
        image.mediaType().intern(),
        image.size(),
        List.of(),
        blobs,
        annotated,
        source,
        subject);
  }

  /**
   * An unreadable config makes the image undated (age rules keep it), never the repository broken.
   */
  private Mono<Optional<Instant>> created(String repository, String configDigest) {
    return configs.computeIfAbsent(
        configDigest,
        d ->
            client
                .blob(repository, d)
                .map(ConfigBlob::parseCreated)
                .onErrorResume(
                    e -> !(e instanceof AuthenticationException),
                    e -> {
                      LOG.debug(
                          "config {} of {} unreadable ({}); image is undated",
                          d,
                          repository,
                          reason(e));
                      unreadableConfigs.put(d, reason(e));
                      return Mono.just(Optional.empty());
                    })
                .cache());
  }

  private List<String> notes(Collection<ManifestInfo> infos) {
    List<String> notes = new ArrayList<>();
    for (ManifestInfo info : infos) {
      for (String blob : info.blobs().keySet()) {
        String why = unreadableConfigs.get(blob);
        if (why != null) {
          notes.add(
              "the config blob "
                  + blob
                  + " of "
                  + info.digest()
                  + " could not be read ("
                  + why
                  + "); the image is undated");
        }
      }
    }
    notes.sort(null);
    return notes;
  }

  private static boolean isReal(Instant t) {
    return !PrunePlanner.isUndated(Optional.of(t));
  }

  private static Optional<Instant> annotationDate(Map<String, String> annotations) {
    String value = annotations.get(CREATED_ANNOTATION);
    return value == null ? Optional.empty() : ConfigBlob.parseTimestamp(value);
  }

  /**
   * The referrers of each digest, where the registry has the API: whether it has is asked once per
   * registry (the first call's answer, 404 meaning no), not once per repository or digest.
   */
  private Mono<Map<String, List<String>>> referrers(String repository, Collection<String> digests) {
    Set<String> subjects = new LinkedHashSet<>(digests);
    if (subjects.isEmpty()) {
      return Mono.just(Map.of());
    }
    return referrersSupported(repository, subjects.iterator().next())
        .flatMap(
            supported ->
                !supported
                    ? Mono.just(Map.<String, List<String>>of())
                    : Flux.fromIterable(subjects)
                        .flatMap(
                            digest ->
                                client
                                    .referrers(repository, digest)
                                    .map(Descriptor::digest)
                                    .collectList()
                                    .map(refs -> Tuples.of(digest, refs))
                                    .onErrorResume(NotFoundException.class, e -> Mono.empty()),
                            concurrency)
                        .filter(t -> !t.getT2().isEmpty())
                        .collectMap(t -> t.getT1(), t -> t.getT2()));
  }

  /** The one probe of the referrers API, shared; a probe that fails otherwise is not kept. */
  private Mono<Boolean> referrersSupported(String repository, String digest) {
    Mono<Boolean> known = referrersProbe.get();
    if (known != null) {
      return known;
    }
    AtomicReference<Mono<Boolean>> self = new AtomicReference<>();
    Mono<Boolean> probe =
        client
            .referrers(repository, digest)
            .then(Mono.just(true))
            .onErrorResume(NotFoundException.class, e -> Mono.just(false))
            .doOnError(e -> referrersProbe.compareAndSet(self.get(), null))
            .cache();
    self.set(probe);
    return referrersProbe.compareAndSet(null, probe) ? probe : referrersProbe.get();
  }

  private static String reason(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** What makes a repository unprunable, found while collecting it. */
  private static final class BrokenRepository extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenRepository(String message) {
      super(message, null, false, false);
    }
  }
}
