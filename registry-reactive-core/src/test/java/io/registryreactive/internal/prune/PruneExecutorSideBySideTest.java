package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.blob;
import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ClientMetrics;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.DeletionJournal;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PruneEvent;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The executor runs repositories with few deletions side by side (so many small repositories keep
 * the requests in flight), a repository with at least the concurrency's worth of deletions alone,
 * and still emits and reports each repository's outcomes together, in the plan's order.
 */
class PruneExecutorSideBySideTest {

  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final String HOST = "127.0.0.1:5000";
  private static final int CONCURRENCY = 8;

  @Test
  void smallRepositoriesRunSideBySide_aLargeOneAlone_eventsInPlanOrder() {
    // a0..a3: 2 deletions each (8 together: one batch); b: 10 (alone); c0..c2: 2 each (a batch).
    List<String> small = List.of("a0", "a1", "a2", "a3");
    List<String> tail = List.of("c0", "c1", "c2");
    SnapshotBuilder.RepoBuilder builder = null;
    Map<String, List<String>> deletedTags = new HashMap<>();
    List<String> keep = new ArrayList<>();
    for (String repo : concat(small, List.of("b"), tail)) {
      int deletions = repo.equals("b") ? 10 : 2;
      builder = builder == null ? SnapshotBuilder.registry(HOST).repo(repo) : builder.repo(repo);
      builder.taggedImage("keep", digest(repo + "/keep"), NOW, blob("layer", 10));
      keep.add(repo + ":keep");
      for (int i = 0; i < deletions; i++) {
        builder.taggedImage("t" + i, digest(repo + "/" + i), NOW, blob("layer", 10));
        deletedTags.computeIfAbsent(repo, r -> new ArrayList<>()).add("t" + i);
      }
    }
    PrunePlan plan = PrunePlanner.plan(builder.build(), RetentionPolicy.whitelist(keep, HOST), NOW);
    SlowDeletes target = new SlowDeletes(deletedTags);
    PruneExecutor executor =
        new PruneExecutor(
            target, CONCURRENCY, Clock.fixed(NOW, ZoneOffset.UTC), DeletionJournal.none());

    List<List<String>> batches =
        executor
            .sideBySide(
                plan.repositories().stream()
                    .filter(r -> r.decisions().stream().anyMatch(DigestDecision::isDelete))
                    .toList())
            .stream()
            .map(b -> b.stream().map(RepositoryPlan::repository).toList())
            .toList();
    assertThat(batches).containsExactly(small, List.of("b"), tail);

    List<PruneEvent> events =
        executor.execute(plan).events().collectList().block(Duration.ofSeconds(30));

    // Every deletion went; small repositories overlapped, the large one had the registry alone.
    assertThat(target.deleted).hasSize(4 * 2 + 10 + 3 * 2);
    assertThat(target.mostRepositoriesAtOnce).isGreaterThan(1);
    assertThat(target.othersWhileLarge).isEmpty();
    // Events: each repository's together, repositories in plan order.
    List<String> order = new ArrayList<>();
    for (PruneEvent e : events) {
      String repo = repository(e);
      if (repo != null && (order.isEmpty() || !order.get(order.size() - 1).equals(repo))) {
        order.add(repo);
      }
    }
    assertThat(order).containsExactlyElementsOf(concat(small, List.of("b"), tail));
    PruneReport report = ((PruneEvent.Finished) events.get(events.size() - 1)).report();
    assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
    assertThat(new LinkedHashSet<>(report.deleted().stream().map(d -> d.repository()).toList()))
        .containsExactlyElementsOf(concat(small, List.of("b"), tail));
    // Nothing kept was deleted.
    for (String repo : concat(small, List.of("b"), tail)) {
      assertThat(target.deleted).doesNotContain(repo + "@" + digest(repo + "/keep"));
    }
  }

  @Test
  void batches_closeAtTheConcurrency_andARepositoryWithThatManyIsAlone() {
    PruneExecutor executor =
        new PruneExecutor(
            new SlowDeletes(Map.of()), 4, Clock.fixed(NOW, ZoneOffset.UTC), DeletionJournal.none());
    List<RepositoryPlan> repos =
        List.of(repo("r1", 1), repo("r2", 2), repo("r3", 1), repo("r4", 4), repo("r5", 3));

    assertThat(
            executor.sideBySide(repos).stream()
                .map(b -> b.stream().map(RepositoryPlan::repository).toList()))
        .containsExactly(List.of("r1", "r2", "r3"), List.of("r4"), List.of("r5"));
  }

  private static RepositoryPlan repo(String name, int deletions) {
    SnapshotBuilder.RepoBuilder b = SnapshotBuilder.registry(HOST).repo(name);
    b.taggedImage("keep", digest(name + "/keep"), NOW, blob("layer", 10));
    for (int i = 0; i < deletions; i++) {
      b.taggedImage("t" + i, digest(name + "/" + i), NOW, blob("layer", 10));
    }
    return PrunePlanner.plan(
            b.build(), RetentionPolicy.whitelist(List.of(name + ":keep"), HOST), NOW)
        .repositories()
        .get(0);
  }

  private static String repository(PruneEvent e) {
    if (e instanceof PruneEvent.Deleted d) {
      return d.repository();
    }
    if (e instanceof PruneEvent.RepositoryRechecked r) {
      return r.repository();
    }
    if (e instanceof PruneEvent.Skipped s) {
      return s.repository();
    }
    if (e instanceof PruneEvent.Failed f) {
      return f.repository();
    }
    return null;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }

  /**
   * A registry whose deletes take 100 ms, recording which repositories have one in flight; its
   * listings show only the tags the plan deletes (the kept tags are not re-resolved).
   */
  private static final class SlowDeletes implements PruneTarget {
    private final Map<String, List<String>> tags;
    private final Map<String, Integer> inFlight = new HashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    final Set<String> othersWhileLarge = new HashSet<>();
    volatile int mostRepositoriesAtOnce;

    SlowDeletes(Map<String, List<String>> tags) {
      this.tags = tags;
    }

    @Override
    public String registryHost() {
      return HOST;
    }

    @Override
    public String baseUrl() {
      return "http://" + HOST;
    }

    @Override
    public Flux<String> catalog() {
      return Flux.fromIterable(tags.keySet());
    }

    @Override
    public Flux<String> tags(String repository) {
      return Flux.fromIterable(tags.getOrDefault(repository, List.of()));
    }

    @Override
    public Mono<ImageMetadata> metadata(String repository, String tagOrDigest) {
      return Mono.error(new UnsupportedOperationException("metadata"));
    }

    @Override
    public Mono<Manifest> manifest(String repository, String tagOrDigest) {
      return Mono.error(new UnsupportedOperationException("manifest " + tagOrDigest));
    }

    @Override
    public Mono<byte[]> blob(String repository, String digest) {
      return Mono.error(new UnsupportedOperationException("blob"));
    }

    @Override
    public Flux<Descriptor> referrers(String repository, String digest) {
      return Flux.empty();
    }

    @Override
    public Mono<DeleteResult> deleteManifest(String repository, String digest) {
      return Mono.fromRunnable(() -> started(repository))
          .then(Mono.delay(Duration.ofMillis(100)))
          .then(
              Mono.fromCallable(
                  () -> {
                    finished(repository);
                    deleted.add(repository + "@" + digest);
                    return new DeleteResult(repository, digest, DeleteResult.Outcome.DELETED);
                  }));
    }

    private synchronized void started(String repository) {
      inFlight.merge(repository, 1, Integer::sum);
      mostRepositoriesAtOnce = Math.max(mostRepositoriesAtOnce, inFlight.size());
      if (inFlight.containsKey("b") && inFlight.size() > 1) {
        othersWhileLarge.addAll(inFlight.keySet());
      }
    }

    private synchronized void finished(String repository) {
      inFlight.computeIfPresent(repository, (r, n) -> n == 1 ? null : n - 1);
    }

    @Override
    public ClientMetrics metrics() {
      return new ClientMetrics(0, 0, Map.of(), 0, 0, 0, Duration.ZERO, 0);
    }
  }
}
