package io.registryreactive.internal.prune;

import io.registryreactive.NotFoundException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.internal.json.ConfigBlob;
import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * Lists what a prune needs to decide: per covered repository its tags, the digest of each tag (a
 * HEAD each, concurrently under the client's bounds), every distinct manifest once (GET by digest,
 * shared across repositories since content by digest is immutable), each distinct image config
 * once (for the creation time), and referrers where the registry has the API.
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
  private final Map<String, Mono<ManifestInfo>> manifests = new ConcurrentHashMap<>();
  private final Map<String, Mono<Optional<Instant>>> configs = new ConcurrentHashMap<>();
  /** Unknown until the first referrers call answers; distribution 2.8 has no referrers API. */
  private final AtomicReference<Boolean> referrersSupported = new AtomicReference<>();

  /**
   * @param client the registry client (its bounds cap the requests in flight)
   * @param concurrency requests this collector issues at once at most, per stage
   * @param clock stamps the snapshot
   */
  public SnapshotCollector(PruneTarget client, int concurrency, Clock clock) {
    this.client = client;
    this.concurrency = concurrency;
    this.clock = clock;
  }

  /**
   * @param policy decides which repositories are covered
   * @return the snapshot of every covered repository, in catalog order
   */
  public Mono<RegistrySnapshot> collect(RetentionPolicy policy) {
    return client.catalog()
        .filter(policy::coversRepository)
        .flatMapSequential(this::repository, Math.max(1, concurrency / 8))
        .collectList()
        .map(repos -> new RegistrySnapshot(client.registryHost(), clock.instant(), repos));
  }

  /**
   * @param name a repository
   * @return its tags, their digests and every manifest reachable from them
   */
  public Mono<Repo> repository(String name) {
    return client.tags(name).collectList()
        .onErrorResume(NotFoundException.class, e -> Mono.just(List.of()))
        .flatMap(tags -> Flux.fromIterable(tags)
            .flatMap(tag -> client.metadata(name, tag)
                .map(m -> Tuples.of(tag, m.digest()))
                // A tag deleted since the listing is simply no longer there.
                .onErrorResume(NotFoundException.class, e -> Mono.empty()), concurrency)
            .collectMap(t -> t.getT1(), t -> t.getT2(), LinkedHashMap::new))
        .flatMap(tagToDigest -> Flux.fromIterable(new java.util.LinkedHashSet<>(tagToDigest.values()))
            .flatMap(digest -> manifest(name, digest), concurrency)
            .expand(info -> Flux.fromIterable(info.children()).flatMap(child -> manifest(name, child), concurrency))
            .collectMap(ManifestInfo::digest, i -> i, HashMap::new)
            .flatMap(infos -> referrers(name, tagToDigest.values())
                // Referrers are untagged manifests: fetch them too, so the plan can decide (and
                // report) them with their subject.
                .flatMap(refs -> Flux.fromIterable(refs.values()).flatMapIterable(l -> l)
                    .filter(d -> !infos.containsKey(d)).distinct()
                    .flatMap(d -> manifest(name, d), concurrency)
                    .doOnNext(i -> infos.put(i.digest(), i))
                    .then(Mono.fromSupplier(() -> new Repo(name, tagToDigest, infos, refs))))));
  }

  private Mono<ManifestInfo> manifest(String repository, String digest) {
    return manifests.computeIfAbsent(digest, d -> client.manifest(repository, d)
        .flatMap(m -> toInfo(repository, m))
        .cache());
  }

  private Mono<ManifestInfo> toInfo(String repository, Manifest manifest) {
    if (manifest instanceof ImageIndex index) {
      return Mono.just(new ManifestInfo(index.digest(), index.mediaType(), index.size(), index.childDigests(),
          Map.of(), annotationDate(index.annotations())));
    }
    ImageManifest image = (ImageManifest) manifest;
    Map<String, Long> blobs = new LinkedHashMap<>();
    blobs.put(image.config().digest(), image.config().size());
    for (Descriptor layer : image.layers()) {
      if (layer.urls().isEmpty()) {
        // Foreign layers (with urls) are not stored by the registry.
        blobs.merge(layer.digest(), layer.size(), (a, b) -> a);
      }
    }
    return created(repository, image.config().digest())
        .map(created -> new ManifestInfo(image.digest(), image.mediaType(), image.size(), List.of(), blobs,
            created.or(() -> annotationDate(image.annotations()))));
  }

  private Mono<Optional<Instant>> created(String repository, String configDigest) {
    return configs.computeIfAbsent(configDigest, d -> client.blob(repository, d)
        .map(ConfigBlob::parseCreated)
        .onErrorResume(RegistryResponseException.class, e -> {
          LOG.debug("config {} of {} unreadable ({}); image is undated", d, repository, e.statusCode());
          return Mono.just(Optional.empty());
        })
        .cache());
  }

  private static Optional<Instant> annotationDate(Map<String, String> annotations) {
    String value = annotations.get(CREATED_ANNOTATION);
    return value == null ? Optional.empty() : ConfigBlob.parseTimestamp(value);
  }

  private Mono<Map<String, List<String>>> referrers(String repository, java.util.Collection<String> digests) {
    if (Boolean.FALSE.equals(referrersSupported.get())) {
      return Mono.just(Map.of());
    }
    return Flux.fromIterable(new java.util.LinkedHashSet<>(digests))
        .flatMap(digest -> {
          if (Boolean.FALSE.equals(referrersSupported.get())) {
            return Mono.empty();
          }
          return client.referrers(repository, digest).map(Descriptor::digest).collectList()
              .doOnNext(l -> referrersSupported.compareAndSet(null, true))
              .map(refs -> Tuples.of(digest, refs))
              .onErrorResume(NotFoundException.class, e -> {
                referrersSupported.set(false);
                return Mono.empty();
              });
        }, concurrency)
        .filter(t -> !t.getT2().isEmpty())
        .collectMap(t -> t.getT1(), t -> t.getT2());
  }
}
