package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.prune.DeletionJournal;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link Pruner#withJournal}: each manifest is recorded, with the exact bytes the registry serves,
 * while it still exists, and a journal that fails keeps the manifest from being deleted.
 */
@RealRegistry
class PruneJournalIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RegistryProcess registry;

  PruneJournalIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @Test
  void apply_withJournal_recordsEachManifestWithItsBytesBeforeItsDelete() {
    String repo = "journal/app";
    ImageBlueprint keep = TestImages.image(801).docker();
    ImageBlueprint drop = TestImages.image(802).oci();
    ImageBlueprint c1 = TestImages.image(803).platform("linux", "amd64").oci();
    ImageBlueprint c2 = TestImages.image(804).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(c1, c2), true);
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      new ImageSeeder(client)
          .add(repo, keep, "keep")
          .add(repo, drop, "drop", "drop-alias")
          .add(repo, index, "multi")
          .pushAll();
      List<DeletionJournal.Entry> entries = new CopyOnWriteArrayList<>();
      List<String> presentWhenRecorded = new CopyOnWriteArrayList<>();
      DeletionJournal journal =
          entry ->
              client
                  .metadata(repo + "@" + entry.digest())
                  .doOnNext(m -> presentWhenRecorded.add(m.digest()))
                  .then(Mono.fromRunnable(() -> entries.add(entry)));
      Pruner pruner = Pruner.of(client).withJournal(journal);
      PrunePlan plan =
          pruner
              .plan(
                  RetentionPolicy.builder()
                      .includeRepositories("journal/.*")
                      .keep(repo + ":keep")
                      .build())
              .block(TIMEOUT);

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(entries)
          .extracting(DeletionJournal.Entry::digest)
          .containsExactlyInAnyOrder(
              drop.manifestDigest(),
              index.manifestDigest(),
              c1.manifestDigest(),
              c2.manifestDigest());
      assertThat(presentWhenRecorded)
          .containsExactlyInAnyOrderElementsOf(
              entries.stream().map(DeletionJournal.Entry::digest).toList());
      for (DeletionJournal.Entry e : entries) {
        assertThat(Digests.sha256(e.manifest())).as("bytes of " + e.digest()).isEqualTo(e.digest());
        assertThat(e.registry()).isEqualTo(registry.baseUrl().toString().replaceAll("/$", ""));
        assertThat(e.repository()).isEqualTo(repo);
      }
      DeletionJournal.Entry dropped =
          entries.stream()
              .filter(e -> e.digest().equals(drop.manifestDigest()))
              .findFirst()
              .orElseThrow();
      assertThat(dropped.tags()).containsExactlyInAnyOrder("drop", "drop-alias");
      assertThat(dropped.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
      assertThat(dropped.manifest()).isEqualTo(drop.manifest());
    }
  }

  @Test
  void apply_whenJournalFails_sendsNoDeleteAndReportsTheFailure() {
    String repo = "journalfail/app";
    ImageBlueprint keep = TestImages.image(811).docker();
    ImageBlueprint drop = TestImages.image(812).docker();
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      new ImageSeeder(client).add(repo, keep, "keep").add(repo, drop, "drop").pushAll();
      Pruner pruner =
          Pruner.of(client)
              .withJournal(
                  entry ->
                      Mono.error(
                          new java.io.UncheckedIOException(new java.io.IOException("disk full"))));
      PrunePlan plan =
          pruner
              .plan(
                  RetentionPolicy.builder()
                      .includeRepositories("journalfail/.*")
                      .keep(repo + ":keep")
                      .build())
              .block(TIMEOUT);

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED_WITH_FAILURES);
      assertThat(report.deleted()).isEmpty();
      assertThat(report.failures())
          .singleElement()
          .satisfies(f -> assertThat(f.error()).contains("disk full"));
      assertThat(client.metadata(repo + ":drop").block(TIMEOUT).digest())
          .isEqualTo(drop.manifestDigest());
    }
  }

  @Test
  void apply_whenManifestAlreadyGone_recordsNothingAndReportsItAbsent() {
    String repo = "journalgone/app";
    ImageBlueprint keep = TestImages.image(821).docker();
    ImageBlueprint drop = TestImages.image(822).docker();
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      new ImageSeeder(client).add(repo, keep, "keep").add(repo, drop, "drop").pushAll();
      List<DeletionJournal.Entry> entries = new CopyOnWriteArrayList<>();
      Pruner pruner =
          Pruner.of(client).withJournal(entry -> Mono.fromRunnable(() -> entries.add(entry)));
      PrunePlan plan =
          pruner
              .plan(
                  RetentionPolicy.builder()
                      .includeRepositories("journalgone/.*")
                      .keep(repo + ":keep")
                      .build())
              .block(TIMEOUT);
      client.deleteManifest(repo, drop.manifestDigest()).block(TIMEOUT);

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(entries).isEmpty();
      assertThat(report.failures()).isEmpty();
      assertThat(report.deleted())
          .singleElement()
          .satisfies(d -> assertThat(d.digest()).isEqualTo(drop.manifestDigest()));
      assertThat(
              client
                  .metadata(repo + ":keep")
                  .onErrorResume(NotFoundException.class, e -> Mono.empty())
                  .block(TIMEOUT))
          .isNotNull();
    }
  }
}
