package io.registryreactive.internal.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ClientMetrics;
import io.registryreactive.NotFoundException;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.TestImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What planning asks the registry, counted on an in-memory registry: one {@code GET} per tag and no
 * {@code HEAD}; config blobs only when an age rule needs dates, each once; the referrers API probed
 * once per registry; with head-first look-ups a {@code HEAD} per tag and a {@code GET} per digest,
 * kept tags still by {@code GET}; repositories outside the scope read for what they reference.
 */
class SnapshotCollectorRequestsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final ImageBlueprint ONE = TestImages.image(1).layers(1, 64).oci();
  private static final ImageBlueprint TWO = TestImages.image(2).layers(1, 64).oci();

  /** Three repositories; in each, tags a and b share ONE, tag c is TWO. */
  private final InMemoryRegistry registry =
      new InMemoryRegistry()
          .tag("team/x", "a", ONE)
          .tag("team/x", "b", ONE)
          .tag("team/x", "c", TWO)
          .tag("team/y", "a", ONE)
          .tag("team/y", "b", ONE)
          .tag("team/y", "c", TWO)
          .tag("other/z", "a", ONE)
          .tag("other/z", "b", ONE)
          .tag("other/z", "c", TWO);

  private RegistrySnapshot collect(RetentionPolicy policy, boolean headFirst) {
    return collect(policy, PlanningOptions.DEFAULT.withHeadFirst(headFirst));
  }

  private RegistrySnapshot collect(RetentionPolicy policy, PlanningOptions options) {
    return new SnapshotCollector(
            registry,
            8,
            Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC),
            Optional.empty(),
            PlanningCounter.NONE,
            options)
        .collect(policy)
        .block(TIMEOUT);
  }

  private static RetentionPolicy.Builder team() {
    return RetentionPolicy.builder().includeRepositories("team/.*").keepTags("a");
  }

  @Test
  void withoutAgeRule_oneGetPerTagAndNoConfigBlob() {
    RegistrySnapshot snapshot = collect(team().build(), false);

    assertThat(registry.count("GET manifest by tag")).isEqualTo(9);
    assertThat(registry.count("HEAD")).isZero();
    assertThat(registry.count("GET blob")).isZero();
    assertThat(snapshot.repositories())
        .extracting(r -> r.name())
        .containsExactly("team/x", "team/y");
    assertThat(snapshot.outOfScope()).extracting(r -> r.name()).containsExactly("other/z");
    assertThat(snapshot.outOfScope().get(0).manifests()).containsKeys(ONE.manifestDigest());
    // Not read, so not "undated": nothing needed a date.
    assertThat(snapshot.datesRead()).isFalse();
    assertThat(PrunePlanner.plan(snapshot, team().build(), Instant.now()).totals().undated())
        .isZero();
  }

  @Test
  void withAgeRule_eachDistinctConfigOnceAndOnlyForCoveredRepositories() {
    collect(team().keepLast(1).build(), false);

    assertThat(registry.count("GET blob")).isEqualTo(2);
  }

  @Test
  void referrersApi_isProbedOncePerRegistry() {
    collect(team().build(), false);

    assertThat(registry.count("referrers")).isEqualTo(1);
  }

  @Test
  void headFirst_headPerTagGetPerDigestAndKeptTagsByGet() {
    RegistrySnapshot snapshot = collect(team().build(), true);

    // Tag a is kept by name: GET in every repository (covered or not), no HEAD.
    assertThat(registry.count("GET manifest by tag")).isEqualTo(2);
    assertThat(registry.count("HEAD")).isEqualTo(7);
    // Each digest once, across repositories: ONE came with the kept tag's GET already.
    assertThat(registry.count("GET manifest by digest")).isEqualTo(1);
    assertThat(snapshot.repositories().get(0).tags())
        .containsEntry("b", ONE.manifestDigest())
        .containsEntry("c", TWO.manifestDigest());
  }

  @Test
  void coveredOnly_readsNoUncoveredRepositoryAndMarksTheEstimate() {
    RegistrySnapshot snapshot =
        collect(team().build(), PlanningOptions.DEFAULT.withReadUncovered(false));

    assertThat(registry.count("tags other/z")).isZero();
    assertThat(registry.count("tags team/x")).isEqualTo(1);
    assertThat(snapshot.outOfScope()).isEmpty();
    assertThat(snapshot.estimateCaveats())
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("1 repositories outside the policy's scope were not read"));
    assertThat(registry.count("GET manifest by tag")).isEqualTo(6);
  }

  /** Serves tags and manifests from memory, counting every call; no referrers API. */
  private static final class InMemoryRegistry implements PruneTarget {
    private final Map<String, Map<String, ImageBlueprint>> repos = new LinkedHashMap<>();
    private final Map<String, ImageBlueprint> byDigest = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    InMemoryRegistry tag(String repo, String tag, ImageBlueprint image) {
      repos.computeIfAbsent(repo, r -> new LinkedHashMap<>()).put(tag, image);
      byDigest.put(image.manifestDigest(), image);
      return this;
    }

    int count(String call) {
      return calls.getOrDefault(call, new AtomicInteger()).get();
    }

    private void called(String call) {
      calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    private ImageBlueprint find(String repo, String tagOrDigest) {
      ImageBlueprint image =
          tagOrDigest.startsWith("sha256:")
              ? byDigest.get(tagOrDigest)
              : repos.getOrDefault(repo, Map.of()).get(tagOrDigest);
      if (image == null) {
        throw new NotFoundException("not found", "GET", repo, 404, List.of(), "", null);
      }
      return image;
    }

    @Override
    public String registryHost() {
      return "memory";
    }

    @Override
    public String baseUrl() {
      return "http://memory";
    }

    @Override
    public Flux<String> catalog() {
      return Flux.fromIterable(List.copyOf(repos.keySet()));
    }

    @Override
    public Flux<String> tags(String repository) {
      called("tags " + repository);
      return Flux.fromIterable(List.copyOf(repos.getOrDefault(repository, Map.of()).keySet()));
    }

    @Override
    public Mono<ImageMetadata> metadata(String repository, String tagOrDigest) {
      return Mono.fromCallable(
          () -> {
            called("HEAD");
            ImageBlueprint image = find(repository, tagOrDigest);
            return new ImageMetadata(
                repository,
                Optional.of(tagOrDigest),
                image.manifestDigest(),
                image.mediaType(),
                image.manifest().length);
          });
    }

    @Override
    public Mono<Manifest> manifest(String repository, String tagOrDigest) {
      return Mono.fromCallable(
          () -> {
            called(
                tagOrDigest.startsWith("sha256:")
                    ? "GET manifest by digest"
                    : "GET manifest by tag");
            ImageBlueprint image = find(repository, tagOrDigest);
            return ManifestParser.parse(
                image.manifest(), image.mediaType(), image.manifestDigest());
          });
    }

    @Override
    public Mono<byte[]> blob(String repository, String digest) {
      return Mono.fromCallable(
          () -> {
            called("GET blob");
            return byDigest.values().stream()
                .flatMap(i -> i.config().stream())
                .filter(b -> b.digest().equals(digest))
                .findFirst()
                .orElseThrow()
                .bytes();
          });
    }

    @Override
    public Flux<Descriptor> referrers(String repository, String digest) {
      return Flux.defer(
          () -> {
            called("referrers");
            return Flux.error(
                new NotFoundException(
                    "no referrers API", "GET", repository, 404, List.of(), "", null));
          });
    }

    @Override
    public Mono<DeleteResult> deleteManifest(String repository, String digest) {
      return Mono.error(new AssertionError("planning never deletes"));
    }

    @Override
    public ClientMetrics metrics() {
      return new ClientMetrics(0, 0, Map.of(), 0, 0, 0, Duration.ZERO, 0);
    }
  }
}
