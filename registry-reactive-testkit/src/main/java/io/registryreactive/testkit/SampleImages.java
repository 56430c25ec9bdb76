package io.registryreactive.testkit;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageReference;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Seeds a registry with a realistic CI history through the SDK's own push API: per repository a
 * shared base, a unique application layer per build, release tags sharing digests with builds, and
 * a multi-platform index with a tag on one of its children.
 */
public final class SampleImages {
  private static final int BASE_LAYER = 32 * 1024;
  private static final int APP_LAYER = 192 * 1024;

  private SampleImages() {}

  /** One tag to push. */
  private record Tagged(String repository, String tag, ImageBlueprint image) {}

  /**
   * Pushes the demo sample.
   *
   * @param client the client
   * @param now the time builds are dated back from
   * @return tags pushed per repository
   */
  public static Mono<Map<String, Integer>> pushDemoSample(
      ReactiveRegistryClient client, Instant now) {
    List<Tagged> tags = new ArrayList<>();
    long seed = 1000;
    // shop/web: 20 CI builds, a day apart; 1.3.0 and 1.4.2 releases share digests with builds;
    // latest = newest.
    ImageBlueprint newestWeb = null;
    for (int i = 1; i <= 20; i++) {
      ImageBlueprint img = build(seed++, 1, now.minus(Duration.ofDays(21 - i)));
      tags.add(new Tagged("shop/web", "build-" + (100 + i), img));
      if (i == 8) {
        tags.add(new Tagged("shop/web", "1.3.0", img));
      }
      if (i == 14) {
        tags.add(new Tagged("shop/web", "1.4.2", img));
        tags.add(new Tagged("shop/web", "build-114-rc", img));
      }
      newestWeb = img;
    }
    tags.add(new Tagged("shop/web", "latest", newestWeb));
    // shop/api: 12 builds and a multi-platform 2.0.0 index whose amd64 child also has its own tag.
    for (int i = 1; i <= 12; i++) {
      tags.add(
          new Tagged(
              "shop/api",
              "build-" + (200 + i),
              build(seed++, 2, now.minus(Duration.ofDays(30 - i)))));
    }
    ImageBlueprint amd64 =
        TestImages.image(seed++)
            .baseLayers(2, 2, BASE_LAYER)
            .layers(1, APP_LAYER)
            .created(now.minus(Duration.ofDays(40)))
            .platform("linux", "amd64")
            .oci();
    ImageBlueprint arm64 =
        TestImages.image(seed++)
            .baseLayers(2, 2, BASE_LAYER)
            .layers(1, APP_LAYER)
            .created(now.minus(Duration.ofDays(40)))
            .platform("linux", "arm64", "v8")
            .oci();
    tags.add(new Tagged("shop/api", "2.0.0", TestImages.index(List.of(amd64, arm64), true)));
    tags.add(new Tagged("shop/api", "2.0.0-amd64", amd64));
    // An old multi-platform nightly nobody keeps: the index and both children go.
    ImageBlueprint oldAmd =
        TestImages.image(seed++)
            .baseLayers(2, 2, BASE_LAYER)
            .layers(1, APP_LAYER)
            .created(now.minus(Duration.ofDays(90)))
            .platform("linux", "amd64")
            .docker();
    ImageBlueprint oldArm =
        TestImages.image(seed++)
            .baseLayers(2, 2, BASE_LAYER)
            .layers(1, APP_LAYER)
            .created(now.minus(Duration.ofDays(90)))
            .platform("linux", "arm64", "v8")
            .docker();
    tags.add(
        new Tagged("shop/api", "nightly-old", TestImages.index(List.of(oldAmd, oldArm), false)));
    // tools/ci-runner: pull-request builds.
    for (int i = 1; i <= 10; i++) {
      tags.add(
          new Tagged(
              "tools/ci-runner",
              "pr-" + i,
              build(seed++, 3, now.minus(Duration.ofHours(240 - 20L * i)))));
    }
    // legacy/batch: old images, one of them a reproducible build dated 1970.
    for (int i = 1; i <= 5; i++) {
      tags.add(
          new Tagged(
              "legacy/batch", "2019." + i, build(seed++, 4, now.minus(Duration.ofDays(1500 - i)))));
    }
    tags.add(new Tagged("legacy/batch", "reproducible", build(seed++, 4, Instant.EPOCH)));

    return Flux.fromIterable(tags)
        .concatMap(t -> push(client, t.repository(), t.tag(), t.image()))
        .then(
            Mono.fromSupplier(
                () -> {
                  Map<String, Integer> counts = new LinkedHashMap<>();
                  tags.forEach(t -> counts.merge(t.repository(), 1, Integer::sum));
                  return counts;
                }));
  }

  private static ImageBlueprint build(long seed, long base, Instant created) {
    return TestImages.image(seed)
        .baseLayers(base, 2, BASE_LAYER)
        .layers(1, APP_LAYER)
        .created(created)
        .docker();
  }

  /**
   * Pushes an image or index (blobs, then child manifests by digest, then the top under the tag).
   *
   * @param client the client
   * @param repository the repository
   * @param tag the tag
   * @param image what to push
   * @return completes when pushed
   */
  public static Mono<Void> push(
      ReactiveRegistryClient client, String repository, String tag, ImageBlueprint image) {
    return new ImageSeeder(client).push(repository, tag, image).then();
  }

  /**
   * Checks that every tag the plan keeps still resolves to the digest it had.
   *
   * @param client the client
   * @param plan the applied plan
   * @return how many kept tags were checked; errors if one is gone or moved
   */
  public static Mono<Long> verifyKept(ReactiveRegistryClient client, PrunePlan plan) {
    List<String[]> kept = new ArrayList<>();
    for (RepositoryPlan r : plan.repositories()) {
      for (DigestDecision d : r.decisions()) {
        if (!d.isDelete()) {
          d.tags().forEach(t -> kept.add(new String[] {r.repository(), t, d.digest()}));
        }
      }
    }
    return Flux.fromIterable(kept)
        .flatMap(
            k ->
                client
                    .metadata(ImageReference.of(k[0], k[1]))
                    .onErrorMap(
                        NotFoundException.class,
                        e ->
                            new IllegalStateException(
                                "kept tag " + k[0] + ":" + k[1] + " is gone", e))
                    .filter(
                        m -> {
                          if (!m.digest().equals(k[2])) {
                            throw new IllegalStateException(
                                "kept tag " + k[0] + ":" + k[1] + " moved to " + m.digest());
                          }
                          return true;
                        }),
            8)
        .count();
  }
}
