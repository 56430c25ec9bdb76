package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.DigestDecision.DateSource;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RegistryConfig;
import io.registryreactive.prune.RegistryStorage;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistryClientFixture;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dates that exist, against the real registry: a 1970 config date (reproducible build) falls back
 * to the OCI created annotation, then - with the registry's storage - to the tag's push time; the
 * plan says which source each date came from. The storage is read through the registry's own
 * config.yml.
 */
class PruneDatesIT extends RealRegistryClientFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String ANNOTATION = "org.opencontainers.image.created";
  private static final Instant MAY = Instant.parse("2024-05-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2024-02-01T00:00:00Z");

  @Test
  void plan_whenConfigDated1970_usesAnnotationThenPushTimeAndNamesTheSource() {
    String repo = "dates/app";
    ImageBlueprint config = TestImages.image(9101).layers(1, 512).created(FEB).oci();
    ImageBlueprint annotated =
        TestImages.image(9102)
            .layers(1, 512)
            .created(Instant.EPOCH)
            .annotation(ANNOTATION, MAY.toString())
            .oci();
    ImageBlueprint bare = TestImages.image(9103).layers(1, 512).created(Instant.EPOCH).oci();
    ImageBlueprint annotated1970 =
        TestImages.image(9104)
            .layers(1, 512)
            .created(Instant.EPOCH)
            .annotation(ANNOTATION, "1970-01-01T00:00:00Z")
            .oci();
    Instant beforePush = Instant.now().minusSeconds(5);
    seeder
        .into(repo)
        .add(config, "config")
        .add(annotated, "annotated")
        .add(bare, "bare")
        .add(annotated1970, "annotated1970")
        .pushAll();
    RetentionPolicy policy = RetentionPolicy.builder().repositoryName(repo).keepLast(1).build();

    PrunePlan withoutStorage = Pruner.of(client).plan(policy).block(TIMEOUT);
    RegistryStorage storage =
        RegistryStorage.of(RegistryConfig.read(registry.configFile()).block(TIMEOUT));
    PrunePlan withStorage = Pruner.of(client).withStorage(storage).plan(policy).block(TIMEOUT);

    assertThat(decision(withoutStorage, config.manifestDigest()).dateSource())
        .isEqualTo(DateSource.CONFIG);
    assertThat(decision(withoutStorage, config.manifestDigest()).created()).contains(FEB);
    DigestDecision a = decision(withoutStorage, annotated.manifestDigest());
    assertThat(a.dateSource()).isEqualTo(DateSource.ANNOTATION);
    assertThat(a.created()).contains(MAY);
    assertThat(a.undated()).isFalse();
    // keep-last 1 keeps the annotated May image, not the February one: the 1970 config did not
    // hide it.
    assertThat(a.reasons()).contains("among the 1 newest images");
    assertThat(decision(withoutStorage, bare.manifestDigest()).undated()).isTrue();
    assertThat(decision(withoutStorage, annotated1970.manifestDigest()).undated()).isTrue();

    for (ImageBlueprint pushedOnly : List.of(bare, annotated1970)) {
      DigestDecision d = decision(withStorage, pushedOnly.manifestDigest());
      assertThat(d.dateSource()).isEqualTo(DateSource.PUSH_TIME);
      assertThat(d.undated()).isFalse();
      assertThat(d.created().orElseThrow()).isAfter(beforePush);
    }
    // Pushed now, so the push-dated images are the newest: keep-last 1 keeps one of them.
    assertThat(decision(withStorage, annotated.manifestDigest()).action())
        .isEqualTo(DigestDecision.Action.DELETE);
    assertThat(withStorage.toJson()).contains("\"dateSource\" : \"PUSH_TIME\"");
    assertThat(PrunePlan.fromJson(withStorage.toJson())).isEqualTo(withStorage);
  }

  @Test
  void storage_whenTagRePushed_listsBothRevisionsAndOnlyTheCurrentTag() {
    String repo = "dates/moving";
    ImageBlueprint first = TestImages.image(9201).layers(1, 512).oci();
    ImageBlueprint second = TestImages.image(9202).layers(1, 512).oci();
    new ImageSeeder(client).add(repo, first, "latest").pushAll();
    new ImageSeeder(client).add(repo, second, "latest").pushAll();
    RegistryStorage storage = RegistryStorage.ofRoot(registry.storageDir());

    assertThat(storage.manifestRevisions(repo).block(TIMEOUT))
        .containsExactlyInAnyOrder(first.manifestDigest(), second.manifestDigest());
    assertThat(storage.tagPushTimes(repo).block(TIMEOUT)).containsOnlyKeys("latest");
    assertThat(storage.manifestRevisions("dates/none").block(TIMEOUT)).isEmpty();
  }

  private static DigestDecision decision(PrunePlan plan, String digest) {
    return plan.repositories().stream()
        .flatMap(r -> r.decisions().stream())
        .filter(d -> d.digest().equals(digest))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no decision for " + digest + " in " + plan.toJson()));
  }
}
