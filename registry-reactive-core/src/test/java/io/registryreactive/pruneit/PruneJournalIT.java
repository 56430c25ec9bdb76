package io.registryreactive.pruneit;

import static io.registryreactive.pruneit.PruneFixtures.digestOf;
import static io.registryreactive.pruneit.PruneFixtures.keepTagKeepIn;
import static io.registryreactive.pruneit.PruneFixtures.plan;
import static io.registryreactive.pruneit.PruneFixtures.seedKeptAndDeletable;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.internal.json.Digests;
import io.registryreactive.prune.DeletionJournal;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.pruneit.PruneFixtures.KeptAndDeletable;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistryClientFixture;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Pruner#withJournal}: each manifest is recorded, with the exact bytes the registry serves,
 * while it still exists, and a journal that fails keeps the manifest from being deleted.
 */
class PruneJournalIT extends RealRegistryClientFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void apply_withJournal_recordsEachManifestWithItsBytesBeforeItsDelete() {
    String repo = "journal/app";
    ImageBlueprint keep = TestImages.image(801).docker();
    ImageBlueprint drop = TestImages.image(802).oci();
    ImageBlueprint index = TestImages.twoPlatformIndex(803);
    seeder
        .into(repo)
        .add(keep, "keep")
        .add(drop, "drop", "drop-alias")
        .add(index, "multi")
        .pushAll();
    RecordingJournal journal = new RecordingJournal(client);
    Pruner pruner = Pruner.of(client).withJournal(journal);
    PrunePlan plan = plan(pruner, keepTagKeepIn(repo));

    PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

    assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
    List<DeletionJournal.Entry> entries = journal.entries;
    assertThat(entries)
        .extracting(DeletionJournal.Entry::digest)
        .containsExactlyInAnyOrder(
            drop.manifestDigest(),
            index.manifestDigest(),
            index.children().get(0).manifestDigest(),
            index.children().get(1).manifestDigest());
    assertThat(journal.presentWhenRecorded).hasSize(entries.size()).containsOnly(true);
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

  @Test
  void apply_whenJournalFails_sendsNoDeleteAndReportsTheFailure() {
    KeptAndDeletable s = seedKeptAndDeletable(client, "journalfail/app", 811);
    Pruner pruner =
        Pruner.of(client).withJournal(new RecordingJournal(client, s.x().manifestDigest()));
    PrunePlan plan = plan(pruner, keepTagKeepIn(s.repo()));

    PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

    assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED_WITH_FAILURES);
    assertThat(report.deleted()).isEmpty();
    assertThat(report.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.error()).contains("disk full"));
    assertThat(digestOf(client, s.repo(), "x")).isEqualTo(s.x().manifestDigest());
  }

  @Test
  void apply_whenManifestAlreadyGone_recordsNothingAndReportsItAbsent() {
    KeptAndDeletable s = seedKeptAndDeletable(client, "journalgone/app", 821);
    RecordingJournal journal = new RecordingJournal(client);
    Pruner pruner = Pruner.of(client).withJournal(journal);
    PrunePlan plan = plan(pruner, keepTagKeepIn(s.repo()));
    client.deleteManifest(s.repo(), s.x().manifestDigest()).block(TIMEOUT);

    PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

    assertThat(journal.entries).isEmpty();
    assertThat(report.failures()).isEmpty();
    assertThat(report.deleted())
        .singleElement()
        .satisfies(d -> assertThat(d.digest()).isEqualTo(s.x().manifestDigest()));
    assertThat(digestOf(client, s.repo(), "keep")).isEqualTo(s.k().manifestDigest());
  }
}
