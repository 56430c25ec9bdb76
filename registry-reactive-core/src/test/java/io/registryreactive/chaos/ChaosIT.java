package io.registryreactive.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ClientMetrics;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.testkit.FaultInjectingProxy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * The client against a real registry behind a {@link FaultInjectingProxy} that fails 30% of the
 * requests in every way it knows. Listings must still be exact (no page lost or repeated), and a
 * batch of deletes must remove exactly its targets: checked straight against the registry, with
 * neither the proxy nor the client in the way.
 *
 * <p>Each run seeds its own repositories (under {@code chaos<seed>/}) into the class's registry, so
 * the catalog holds every run's repositories so far; {@link #SEEDED} tracks them. Each run prints
 * one line: what the proxy saw and injected, and what the client retried.
 */
@RealRegistry
class ChaosIT {
  private static final int REPOSITORIES = 40;
  private static final int IMAGE_POOL = 12;
  private static final int DELETES = 30;
  private static final int CATALOG_PAGE = 10;
  private static final int CONCURRENCY = 8;
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PROXY_DELAY = Duration.ofSeconds(3);
  private static final Duration STEP_LIMIT = Duration.ofSeconds(60);

  /** Every repository any run has seeded into the class's registry: what the catalog must list. */
  private static final Set<String> SEEDED = new ConcurrentSkipListSet<>();

  private final RegistryProcess registry;
  private final DirectRegistry direct;
  private final ExecutorService directThreads = Executors.newFixedThreadPool(CONCURRENCY);
  private final List<AutoCloseable> resources = new ArrayList<>();

  ChaosIT(RegistryProcess registry) {
    this.registry = registry;
    this.direct = DirectRegistry.of(registry);
  }

  @AfterEach
  void closeResources() throws InterruptedException {
    Collections.reverse(resources);
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    directThreads.shutdownNow();
    directThreads.awaitTermination(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 23, 47})
  void listAndDelete_whenThirtyPercentOfRequestsFail_matchTheRegistryExactly(long seed)
      throws Exception {
    long started = System.nanoTime();
    Content content = seed(seed);
    long seeded = System.nanoTime();
    List<Target> targets = content.deleteTargets(new Random(seed));
    FaultInjectingProxy proxy =
        track(
            FaultInjectingProxy.builder(registry.baseUrl())
                .seed(seed)
                .failureProbability(0.3)
                .delay(PROXY_DELAY)
                .start());
    ReactiveRegistryClient client = track(client(proxy));

    List<String> catalog;
    Map<String, List<String>> tagsBefore;
    List<DeleteResult> deleted;
    Map<String, List<String>> tagsAfter;
    try {
      catalog = client.catalog(CATALOG_PAGE).collectList().block(STEP_LIMIT);
      tagsBefore = listTags(client, content.repositories());
      deleted =
          Flux.fromIterable(targets)
              .flatMap(t -> client.deleteManifest(t.repository(), t.digest()), CONCURRENCY)
              .collectList()
              .block(STEP_LIMIT);
      tagsAfter = listTags(client, content.repositories());
    } finally {
      ClientMetrics metrics = client.metrics();
      System.out.printf(
          "ChaosIT seed %d: proxy %s; client attempts=%d retries=%d %s throttled=%d "
              + "deletesConfirmedOnRetry=%d; seeding %d ms, through the proxy %d ms%n",
          seed,
          proxy.stats(),
          metrics.attempts(),
          metrics.retries(),
          metrics.retriesByReason(),
          metrics.throttled(),
          metrics.deletesConfirmedOnRetry(),
          (seeded - started) / 1_000_000,
          (System.nanoTime() - seeded) / 1_000_000);
    }

    FaultInjectingProxy.Stats stats = proxy.stats();
    assertThat(stats.faults())
        .as("every fault kind was injected")
        .allSatisfy((kind, n) -> assertThat(n).isPositive());
    assertThat(catalog).as("catalog through the proxy").containsExactlyInAnyOrderElementsOf(SEEDED);
    content
        .repositories()
        .forEach(
            repo ->
                assertThat(tagsBefore.get(repo))
                    .as("tags of %s through the proxy", repo)
                    .containsExactlyInAnyOrderElementsOf(content.tags(repo).keySet()));
    assertThat(deleted)
        .as("one result per target")
        .extracting(r -> new Target(r.repository(), r.digest()))
        .containsExactlyInAnyOrderElementsOf(targets);
    assertThat(deleted)
        .as("every target existed, so every delete reports DELETED")
        .allSatisfy(
            r -> assertThat(r.outcome()).as("%s", r).isEqualTo(DeleteResult.Outcome.DELETED));
    assertRegistryHoldsExactly(content, targets);
    content
        .repositories()
        .forEach(
            repo ->
                assertThat(tagsAfter.get(repo))
                    .as("tags of %s through the proxy after the deletes", repo)
                    .containsExactlyInAnyOrderElementsOf(
                        content.remainingTags(repo, targets).keySet()));
  }

  @Test
  void pushBlob_whenAnswersToAppliedRequestsAreLost_confirmsTheUploadAndSucceeds() {
    String repo = "chaos-push/app";
    FaultInjectingProxy proxy =
        track(
            FaultInjectingProxy.builder(registry.baseUrl())
                .seed(5)
                .failureProbability(0.5)
                .faults(EnumSet.of(FaultInjectingProxy.Fault.DROP_AFTER_FORWARD))
                .start());
    ReactiveRegistryClient client = track(client(proxy));
    SEEDED.add(repo);
    List<byte[]> blobs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] blob = new byte[300];
      new Random(i).nextBytes(blob);
      blobs.add(blob);
    }

    // One at a time, so the seeded proxy drops the same requests on every run.
    List<String> digests =
        Flux.fromIterable(blobs)
            .concatMap(blob -> client.pushBlob(repo, blob))
            .collectList()
            .block(STEP_LIMIT);

    assertThat(digests).containsExactlyElementsOf(blobs.stream().map(Digests::sha256).toList());
    assertThat(digests)
        .allSatisfy(d -> assertThat(direct.hasBlob(repo, d)).as("%s directly", d).isTrue());
    assertThat(proxy.stats().faults().get(FaultInjectingProxy.Fault.DROP_AFTER_FORWARD))
        .as("answers dropped after the registry applied the request")
        .isGreaterThanOrEqualTo(10);
  }

  @Test
  void proxy_whenNoFaultIsInjected_forwardsTransparentlyAndKeepsUploadsBehindIt() {
    String repo = "chaos-proxy/app";
    ImageBlueprint image = TestImages.image(99).layers(2, 1024).oci();
    FaultInjectingProxy proxy =
        track(FaultInjectingProxy.builder(registry.baseUrl()).failureProbability(0).start());
    DirectRegistry viaProxy =
        new DirectRegistry(proxy.baseUrl(), registry.username(), registry.password());
    SEEDED.add(repo);

    String location = viaProxy.startUpload(repo);
    viaProxy.push(repo, image, List.of("v1"));

    assertThat(location)
        .as("upload Location rewritten to the proxy")
        .startsWith(proxy.baseUrl() + "/v2/" + repo + "/blobs/uploads/");
    assertThat(direct.manifestDigest(repo, "v1"))
        .as("pushed through the proxy, read directly")
        .hasValue(image.manifestDigest());
    assertThat(viaProxy.manifestDigest(repo, "v1"))
        .as("HEAD through the proxy")
        .hasValue(image.manifestDigest());
    assertThat(viaProxy.manifestDigest(repo, "v2")).as("404 through the proxy").isEmpty();
    assertThat(viaProxy.tags(repo)).containsExactly("v1");
    FaultInjectingProxy.Stats stats = proxy.stats();
    // 1 extra upload start, 3 blobs x (POST + PUT), 1 manifest PUT, 2 HEADs, 1 tag list
    assertThat(stats.requests()).isEqualTo(11);
    assertThat(stats.forwarded()).isEqualTo(stats.requests());
    assertThat(stats.faultCount()).isZero();
  }

  // --- checks straight against the registry ---------------------------------------------------

  private void assertRegistryHoldsExactly(Content content, List<Target> targets) throws Exception {
    Set<Target> gone = Set.copyOf(targets);
    Map<Target, Future<Optional<String>>> byDigest = new LinkedHashMap<>();
    for (Target t : content.allTargets()) {
      byDigest.put(
          t, directThreads.submit(() -> direct.manifestDigest(t.repository(), t.digest())));
    }
    Map<String, Future<List<String>>> tags = new LinkedHashMap<>();
    Map<String, Future<Optional<String>>> byTag = new LinkedHashMap<>();
    for (String repo : content.repositories()) {
      tags.put(repo, directThreads.submit(() -> direct.tags(repo)));
      content
          .tags(repo)
          .keySet()
          .forEach(
              tag ->
                  byTag.put(
                      repo + ":" + tag,
                      directThreads.submit(() -> direct.manifestDigest(repo, tag))));
    }
    for (Map.Entry<Target, Future<Optional<String>>> e : byDigest.entrySet()) {
      Target t = e.getKey();
      assertThat(get(e.getValue()))
          .as("%s directly, %s", t, gone.contains(t) ? "deleted" : "kept")
          .isEqualTo(gone.contains(t) ? Optional.empty() : Optional.of(t.digest()));
    }
    for (String repo : content.repositories()) {
      Map<String, String> remaining = content.remainingTags(repo, targets);
      assertThat(get(tags.get(repo)))
          .as("tags of %s directly", repo)
          .containsExactlyInAnyOrderElementsOf(remaining.keySet());
      content
          .tags(repo)
          .keySet()
          .forEach(
              tag ->
                  assertThat(get(byTag.get(repo + ":" + tag)))
                      .as("%s:%s directly", repo, tag)
                      .isEqualTo(Optional.ofNullable(remaining.get(tag))));
    }
  }

  private static <T> T get(Future<T> future) {
    try {
      return future.get(STEP_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("direct registry check failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException("direct registry check did not finish", e);
    }
  }

  // --- through the proxy ----------------------------------------------------------------------

  private ReactiveRegistryClient client(FaultInjectingProxy proxy) {
    return RegistryClients.throughProxy(registry, proxy.baseUrl())
        .maxConcurrentRequests(CONCURRENCY)
        .responseTimeout(RESPONSE_TIMEOUT)
        .build();
  }

  private static Map<String, List<String>> listTags(
      ReactiveRegistryClient client, List<String> repositories) {
    return Flux.fromIterable(repositories)
        .flatMap(
            repo -> client.tags(repo).collectList().map(tags -> Map.entry(repo, tags)), CONCURRENCY)
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .block(STEP_LIMIT);
  }

  // --- seeding, straight into the registry ----------------------------------------------------

  /**
   * Pushes {@value #REPOSITORIES} repositories, nested two or three levels under {@code
   * chaos<seed>/}, each holding three images from a pool of {@value #IMAGE_POOL} (so digests repeat
   * across repositories) under four or five tags ({@code latest} shares a digest with {@code v3},
   * {@code stable} with {@code v1}). The pool goes to {@code chaos<seed>/base} first, and the
   * repositories mount their blobs from there, which halves the blob requests.
   */
  private Content seed(long seed) throws Exception {
    List<ImageBlueprint> pool = new ArrayList<>();
    for (int k = 0; k < IMAGE_POOL; k++) {
      TestImages.ImageBuilder image = TestImages.image(seed * 1000 + k).layers(1, 256 + k);
      pool.add(k % 2 == 0 ? image.docker() : image.oci());
    }
    String base = "chaos" + seed + "/base";
    SEEDED.add(base);
    for (int k = 0; k < IMAGE_POOL; k++) {
      direct.push(base, pool.get(k), List.of("img-" + k));
    }
    Map<String, Map<String, String>> tagsByRepo = new TreeMap<>();
    List<Callable<Void>> pushes = new ArrayList<>();
    for (int i = 0; i < REPOSITORIES; i++) {
      String repo = "chaos" + seed + "/team-" + (i % 4) + (i % 5 == 0 ? "/svc" : "") + "/app-" + i;
      Random r = new Random(seed * 31 + i);
      List<Integer> picks = new ArrayList<>();
      while (picks.size() < 3) {
        int k = r.nextInt(IMAGE_POOL);
        if (!picks.contains(k)) {
          picks.add(k);
        }
      }
      Map<ImageBlueprint, List<String>> images = new LinkedHashMap<>();
      images.put(pool.get(picks.get(0)), r.nextBoolean() ? List.of("v1", "stable") : List.of("v1"));
      images.put(pool.get(picks.get(1)), List.of("v2"));
      images.put(pool.get(picks.get(2)), List.of("v3", "latest"));
      Map<String, String> tags = new TreeMap<>();
      images.forEach((image, ts) -> ts.forEach(t -> tags.put(t, image.manifestDigest())));
      tagsByRepo.put(repo, tags);
      pushes.add(
          () -> {
            images.forEach((image, ts) -> direct.push(repo, image, ts, Optional.of(base)));
            return null;
          });
    }
    for (Future<Void> push :
        directThreads.invokeAll(pushes, STEP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      push.get();
    }
    SEEDED.addAll(tagsByRepo.keySet());
    return new Content(tagsByRepo);
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  /** A manifest in one repository: what a delete removes. */
  record Target(String repository, String digest) {
    @Override
    public String toString() {
      return repository + "@" + digest;
    }
  }

  /** What one run seeded: tag to digest, per repository. */
  record Content(Map<String, Map<String, String>> tagsByRepo) {

    List<String> repositories() {
      return List.copyOf(tagsByRepo.keySet());
    }

    Map<String, String> tags(String repository) {
      return tagsByRepo.get(repository);
    }

    /** Every (repository, digest) pair, each once. */
    List<Target> allTargets() {
      return tagsByRepo.entrySet().stream()
          .flatMap(
              e -> e.getValue().values().stream().distinct().map(d -> new Target(e.getKey(), d)))
          .collect(Collectors.toList());
    }

    /**
     * Thirty targets: every manifest of the first repository (which leaves it with no tags:
     * distribution then answers {@code "tags": null}) and a random rest. Among them a digest that
     * other repositories keep, to show a delete stays inside its repository.
     */
    List<Target> deleteTargets(Random random) {
      String first = repositories().get(0);
      List<Target> all = allTargets();
      List<Target> chosen =
          new ArrayList<>(all.stream().filter(t -> t.repository().equals(first)).toList());
      List<Target> rest =
          new ArrayList<>(all.stream().filter(t -> !t.repository().equals(first)).toList());
      Collections.shuffle(rest, random);
      chosen.addAll(rest.subList(0, DELETES - chosen.size()));
      Set<Target> chosenSet = Set.copyOf(chosen);
      assertThat(chosen)
          .as("precondition: a deleted digest that another repository keeps")
          .anySatisfy(
              t ->
                  assertThat(all)
                      .anySatisfy(
                          o -> {
                            assertThat(o.digest()).isEqualTo(t.digest());
                            assertThat(chosenSet).doesNotContain(o);
                          }));
      return chosen;
    }

    /**
     * The tags left once the targets are deleted: those on a digest not deleted in that repository.
     */
    Map<String, String> remainingTags(String repository, List<Target> targets) {
      Map<String, String> left = new TreeMap<>(tags(repository));
      left.values().removeIf(digest -> targets.contains(new Target(repository, digest)));
      return left;
    }
  }
}
