package io.registryreactive.pruneit;

import static io.registryreactive.pruneit.PruneFixtures.assertAllTagsResolve;
import static io.registryreactive.pruneit.PruneFixtures.digestOf;
import static io.registryreactive.pruneit.PruneFixtures.keepTagKeepIn;
import static io.registryreactive.pruneit.PruneFixtures.plan;
import static io.registryreactive.pruneit.PruneFixtures.ref;
import static io.registryreactive.pruneit.PruneFixtures.resolveAll;
import static io.registryreactive.testkit.Failures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.AuthenticationException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PruneEvent;
import io.registryreactive.prune.PruneEvent.Deleted;
import io.registryreactive.prune.PruneEvent.Failed;
import io.registryreactive.prune.PruneEvent.Finished;
import io.registryreactive.prune.PruneEvent.RepositoryRechecked;
import io.registryreactive.prune.PruneEvent.Skipped;
import io.registryreactive.prune.PruneExecution;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistryFixture;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What a pruner must never get wrong on a real registry: changes between plan and apply, a registry
 * that refuses deletes, bad credentials, a malformed whitelist, cancellation, the original
 * whitelist call, and age rules with undatable images. Tests on the class registry use their own
 * repositories and policies limited to them; tests that act on the whole registry or reconfigure it
 * start their own.
 */
class PruneSafetyIT extends RealRegistryFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int KIB = 1024;

  @Test
  void apply_whenTagsAddedOrMovedSincePlan_keepsTheirDigestsAndReportsTheRecheck() {
    String repo = "safety/recheck/app";
    ImageBlueprint k = TestImages.image(501).layers(2, 2 * KIB).docker();
    ImageBlueprint x1 = TestImages.image(502).layers(2, 2 * KIB).docker();
    ImageBlueprint x2 = TestImages.image(503).layers(2, 2 * KIB).oci();
    ImageBlueprint x3 = TestImages.image(504).layers(2, 2 * KIB).oci();
    ImageBlueprint idx = TestImages.twoPlatformIndex(505, 1, 2 * KIB);
    ImageBlueprint c1 = idx.children().get(0);
    ImageBlueprint c2 = idx.children().get(1);
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      new ImageSeeder(client)
          .into(repo)
          .add(k, "keep")
          .add(x1, "x1")
          .add(x2, "x2")
          .add(x3, "x3")
          .add(idx, "multi")
          .pushAll();
      Pruner pruner = Pruner.of(client);
      PrunePlan plan = plan(pruner, keepTagKeepIn(repo));
      assertThat(PruneIT.plannedDigestDeletions(plan))
          .containsExactlyInAnyOrder(
              ref(repo, x1),
              ref(repo, x2),
              ref(repo, x3),
              ref(repo, idx),
              ref(repo, c1),
              ref(repo, c2));

      // Someone pushes while the plan waits: a new tag on a planned deletion, the kept tag moved
      // onto
      // another one, and a new tag on a planned index (which protects its children too).
      push(client, repo, "hotfix", x1);
      push(client, repo, "keep", x2);
      push(client, repo, "pinned", idx);
      List<String> protectedNow =
          Stream.of(x1, x2, idx, c1, c2).map(ImageBlueprint::manifestDigest).toList();

      List<PruneEvent> events = pruner.apply(plan).collectList().block(TIMEOUT);

      assertThat(events)
          .filteredOn(RepositoryRechecked.class::isInstance)
          .singleElement()
          .satisfies(
              e -> {
                RepositoryRechecked r = (RepositoryRechecked) e;
                assertThat(r.repository()).isEqualTo(repo);
                assertThat(r.newOrMovedTags()).containsExactly("hotfix", "keep", "pinned");
                assertThat(r.protectedDigests()).containsExactlyInAnyOrderElementsOf(protectedNow);
              });
      assertThat(digests(events, Skipped.class)).containsExactlyInAnyOrderElementsOf(protectedNow);
      assertThat(digests(events, Deleted.class)).containsExactly(x3.manifestDigest());
      PruneReport report = finished(events);
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(report.skipped()).hasSize(5);
      assertThat(report.failures()).isEmpty();

      assertThat(digestOf(client, repo, "hotfix")).isEqualTo(x1.manifestDigest());
      assertThat(digestOf(client, repo, "x1")).isEqualTo(x1.manifestDigest());
      assertThat(digestOf(client, repo, "keep")).isEqualTo(x2.manifestDigest());
      assertThat(digestOf(client, repo, "pinned")).isEqualTo(idx.manifestDigest());
      assertThat(digestOf(client, repo, c1.manifestDigest())).isEqualTo(c1.manifestDigest());
      assertThat(digestOf(client, repo, c2.manifestDigest())).isEqualTo(c2.manifestDigest());
      // The digest the kept tag left was planned as kept: still there, untagged.
      assertThat(digestOf(client, repo, k.manifestDigest())).isEqualTo(k.manifestDigest());
      assertThat(digestOf(client, repo, "x3")).isNull();
      assertThat(digestOf(client, repo, x3.manifestDigest())).isNull();
    }
  }

  @Test
  void apply_whenDeletionDisabled_abortsAtOnceWithHowToEnableAndDeletesNothing() {
    try (RegistryProcess own = RegistryProcess.builder().start();
        ReactiveRegistryClient client = RegistryClients.authenticated(own)) {
      ImageSeeder seed =
          new ImageSeeder(client).add("disabled/two", TestImages.image(604).oci(), "1");
      seed.into("disabled/one")
          .add(TestImages.image(601).docker(), "keep")
          .add(TestImages.image(602).docker(), "1")
          .add(TestImages.image(603).oci(), "2")
          .pushAll();
      // At concurrency 2, disabled/one's two deletions make a batch of their own (repositories
      // with fewer run side by side), so "at once" shows: the next batch is never started.
      Pruner pruner = Pruner.of(client).withConcurrency(2);
      PrunePlan plan =
          pruner.plan(RetentionPolicy.builder().keep("disabled/one:keep").build()).block(TIMEOUT);
      assertThat(plan.totals().digestsToDelete()).isEqualTo(3);

      own.restartWith(false, false);
      long deletesBefore = AccessLog.count(own, "DELETE", "/v2/");
      List<PruneEvent> events = pruner.apply(plan).collectList().block(TIMEOUT);

      PruneReport report = finished(events);
      assertThat(report.status()).isEqualTo(PruneReport.Status.ABORTED);
      assertThat(report.abortReason())
          .hasValueSatisfying(
              reason ->
                  assertThat(reason)
                      .contains("deletion is disabled")
                      .contains("storage")
                      .contains("enabled: true")
                      .contains("restart"));
      assertThat(report.deleted()).isEmpty();
      assertThat(report.failures()).isEmpty();
      assertThat(report.notAttempted()).isEqualTo(3);
      assertThat(events).noneMatch(e -> e instanceof Deleted || e instanceof Failed);
      // It stopped in the first repository: the second was never re-checked nor deleted from.
      List<AccessLog.Request> deletes =
          AccessLog.requests(own).stream()
              .filter(r -> r.method().equals("DELETE"))
              .skip(deletesBefore)
              .toList();
      assertThat(deletes)
          .isNotEmpty()
          .allMatch(r -> r.status() == 405 && r.uri().startsWith("/v2/disabled/one/"));
      assertThat(AccessLog.count(own, "GET", "/v2/disabled/two/tags/list")).isEqualTo(1);
      assertAllTagsResolve(client, seed);
    }
  }

  @Test
  void plan_whenPasswordWrong_failsWithAuthenticationExceptionAndApplyAbortsBeforeDeleting() {
    String repo = "safety/auth/app";
    try (ReactiveRegistryClient good = RegistryClients.authenticated(registry);
        ReactiveRegistryClient bad =
            RegistryClients.withPassword(registry, registry.password() + "-wrong")) {
      ImageSeeder seed =
          new ImageSeeder(good)
              .into(repo)
              .add(TestImages.image(651).docker(), "1")
              .add(TestImages.image(652).oci(), "2")
              .pushAll();
      RetentionPolicy policy =
          RetentionPolicy.builder().includeRepositories("safety/auth/.*").keep(repo + ":1").build();

      StepVerifier.create(Pruner.of(bad).plan(policy))
          .expectError(AuthenticationException.class)
          .verify(TIMEOUT);

      // A plan made with good credentials and applied with bad ones stops before any delete.
      PrunePlan plan = Pruner.of(good).plan(policy).block(TIMEOUT);
      assertThat(plan.totals().digestsToDelete()).isEqualTo(1);
      PruneReport report = Pruner.of(bad).applyAndReport(plan).block(TIMEOUT);
      assertThat(report.status()).isEqualTo(PruneReport.Status.ABORTED);
      assertThat(report.abortReason())
          .hasValueSatisfying(r -> assertThat(r).contains("credentials"));
      assertThat(report.deleted()).isEmpty();
      assertThat(AccessLog.count(registry, "DELETE", "/v2/" + repo + "/")).isZero();
      assertAllTagsResolve(good, seed);
    }
  }

  @Test
  void deleteNonWhitelistedTags_whenAnEntryIsMalformed_failsWithInvalidReferenceBeforeAnyRequest() {
    try (RegistryProcess own = RegistryProcess.builder().start();
        ReactiveRegistryClient client = RegistryClients.authenticated(own)) {
      ImageSeeder seed =
          new ImageSeeder(client)
              .into("app")
              .add(TestImages.image(671).docker(), "1")
              .add(TestImages.image(672).docker(), "2")
              .pushAll();
      List<String> malformed =
          List.of(
              "App:1",
              "app:bad tag",
              "app@sha256:1234",
              "app:",
              "",
              "other.example:5000/app:1",
              "app:" + "x".repeat(129));
      int served = AccessLog.requests(own).size();
      for (String entry : malformed) {
        long attempts = client.metrics().attempts();

        assertThat(
                failure(
                    Pruner.of(client).deleteNonWhitelistedTags(List.of("app:1", entry)),
                    InvalidReferenceException.class,
                    TIMEOUT))
            .hasMessageContaining("invalid retention policy");

        assertThat(client.metrics().attempts())
            .as("client attempts after %s", entry)
            .isEqualTo(attempts);
        assertThat(AccessLog.requests(own)).as("requests served after %s", entry).hasSize(served);
      }
      // The counters do see requests: the same check after a real call.
      long attempts = client.metrics().attempts();
      assertAllTagsResolve(client, seed);
      assertThat(client.metrics().attempts()).isGreaterThan(attempts);
      assertThat(AccessLog.requests(own).size()).isGreaterThan(served);
      assertThat(AccessLog.count(own, "DELETE", "/v2/")).isZero();
    }
  }

  @Test
  void execute_whenEventsCancelledAfterFirstDeletion_reportIsCancelledAndListsWhatWasDeleted() {
    String repo = "safety/cancel/app";
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      ImageSeeder seed = new ImageSeeder(client).add(repo, TestImages.image(681).docker(), "keep");
      List<String> planned = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ImageBlueprint image = TestImages.image(682 + i).layers(1, KIB).oci();
        seed.add(repo, image, "b" + i);
        planned.add(image.manifestDigest());
      }
      seed.pushAll();
      PrunePlan plan = plan(Pruner.of(client), keepTagKeepIn(repo));
      assertThat(plan.totals().digestsToDelete()).isEqualTo(planned.size());

      // Two deletes in flight at a time: when the first answer arrives the second may already be
      // applied by the registry, and six have not been sent.
      PruneExecution execution = Pruner.of(client).withConcurrency(2).execute(plan);
      List<PruneEvent> seen =
          execution.events().takeUntil(Deleted.class::isInstance).collectList().block(TIMEOUT);
      PruneReport report = execution.report().block(TIMEOUT);

      assertThat(seen).last().isInstanceOf(Deleted.class);
      assertThat(report.status()).isEqualTo(PruneReport.Status.CANCELLED);
      List<String> reported =
          report.deleted().stream().map(PruneReport.DeletedManifest::digest).toList();
      assertThat(reported).contains(((Deleted) seen.get(seen.size() - 1)).digest());
      // The report must match the registry: what it lists is gone, everything else is still there.
      List<String> gone = new ArrayList<>();
      for (String digest : planned) {
        if (digestOf(client, repo, digest) == null) {
          gone.add(digest);
        }
      }
      assertThat(gone)
          .as("planned digests actually deleted")
          .containsExactlyInAnyOrderElementsOf(reported);
      assertThat(report.notAttempted()).isEqualTo(planned.size() - reported.size());
      assertThat(gone).hasSizeLessThan(planned.size());
    }
  }

  @Test
  void deleteNonWhitelistedTags_withOneEntry_deletesEveryOtherTagInTheRegistry() {
    try (RegistryProcess own = RegistryProcess.builder().start();
        ReactiveRegistryClient client = RegistryClients.authenticated(own)) {
      ImageBlueprint one = TestImages.image(701).docker();
      ImageBlueprint two = TestImages.image(702).oci();
      ImageBlueprint c1 = TestImages.image(703).platform("linux", "amd64").oci();
      ImageBlueprint c2 = TestImages.image(704).platform("linux", "arm64").oci();
      ImageBlueprint multi = TestImages.index(List.of(c1, c2), true);
      ImageBlueprint other = TestImages.image(705).docker();
      ImageSeeder seed =
          new ImageSeeder(client)
              .add("app", one, "1", "latest")
              .add("app", two, "2", "3")
              .add("app", multi, "multi")
              .add("other/thing", other, "v1");
      seed.pushAll();

      PruneReport report =
          Pruner.of(client).deleteNonWhitelistedTags(List.of("app:1")).block(TIMEOUT);

      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(report.failures()).isEmpty();
      assertThat(report.deleted().stream().map(d -> d.repository() + "@" + d.digest()).toList())
          .containsExactlyInAnyOrder(
              ref("app", two),
              ref("app", multi),
              ref("app", c1),
              ref("app", c2),
              ref("other/thing", other));
      assertThat(report.tagsDeleted()).isEqualTo(4);
      // "latest" shares the whitelisted digest, so it stays.
      assertThat(resolveAll(client, seed.tagDigests().keySet()))
          .isEqualTo(Map.of("app:1", one.manifestDigest(), "app:latest", one.manifestDigest()));
      assertThat(digestOf(client, "app", c1.manifestDigest())).isNull();
      assertThat(digestOf(client, "app", c2.manifestDigest())).isNull();
    }
  }

  @Test
  void plan_whenKeepLastAndKeepNewerThan_keepsNewestRecentAndUndatedImages() {
    String repo = "safety/age/app";
    ImageBlueprint jan = dated(721, "2024-01-01T00:00:00Z");
    ImageBlueprint feb = dated(722, "2024-02-01T00:00:00Z");
    ImageBlueprint mar = dated(723, "2024-03-01T00:00:00Z");
    ImageBlueprint apr = dated(724, "2024-04-01T00:00:00Z");
    ImageBlueprint epoch = TestImages.image(725).created(Instant.EPOCH).docker();
    ImageBlueprint c1 =
        TestImages.image(726)
            .created(Instant.parse("2024-03-20T00:00:00Z"))
            .platform("linux", "amd64")
            .oci();
    ImageBlueprint c2 =
        TestImages.image(727).created(Instant.EPOCH).platform("linux", "arm64").oci();
    ImageBlueprint multi = TestImages.index(List.of(c1, c2), true);
    Clock now = Clock.fixed(Instant.parse("2024-04-10T00:00:00Z"), ZoneOffset.UTC);
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      ImageSeeder seed =
          new ImageSeeder(client)
              .into(repo)
              .add(jan, "jan")
              .add(feb, "feb")
              .add(mar, "mar")
              .add(apr, "apr")
              .add(epoch, "epoch")
              .add(multi, "multi")
              .pushAll();
      Pruner pruner = Pruner.of(client).withClock(now);
      // Newest one, plus anything from the last 45 days (since 2024-02-25).
      PrunePlan plan =
          pruner
              .plan(
                  RetentionPolicy.builder()
                      .includeRepositories("safety/age/.*")
                      .keepLast(1)
                      .keepNewerThan(Duration.ofDays(45))
                      .build())
              .block(TIMEOUT);

      assertThat(PruneIT.plannedDigestDeletions(plan))
          .containsExactlyInAnyOrder(ref(repo, jan), ref(repo, feb));
      DigestDecision e = PruneIT.decision(plan, repo, epoch.manifestDigest());
      assertThat(e.undated()).isTrue();
      assertThat(e.isDelete()).isFalse();
      assertThat(e.reasons()).anyMatch(r -> r.contains("undated"));
      assertThat(PruneIT.decision(plan, repo, apr.manifestDigest()).reasons())
          .anyMatch(r -> r.contains("newest"));
      assertThat(PruneIT.decision(plan, repo, mar.manifestDigest()).reasons())
          .anyMatch(r -> r.contains("newer than"))
          .noneMatch(r -> r.contains("newest"));
      assertThat(PruneIT.decision(plan, repo, jan.manifestDigest()).created())
          .hasValue(jan.created());
      DigestDecision m = PruneIT.decision(plan, repo, multi.manifestDigest());
      assertThat(m.created())
          .as("an index is as old as its newest dated child")
          .hasValue(c1.created());
      assertThat(m.isDelete()).isFalse();
      assertThat(plan.warnings()).anyMatch(w -> w.startsWith(repo + ":") && w.contains("1970"));

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(resolveAll(client, seed.tagDigests().keySet()).keySet())
          .containsExactlyInAnyOrder(
              repo + ":mar", repo + ":apr", repo + ":epoch", repo + ":multi");
      assertThat(digestOf(client, repo, c2.manifestDigest())).isEqualTo(c2.manifestDigest());
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private static ImageBlueprint dated(long seed, String created) {
    return TestImages.image(seed).layers(2, 2 * KIB).created(Instant.parse(created)).oci();
  }

  private static void push(
      ReactiveRegistryClient client, String repo, String tag, ImageBlueprint image) {
    client.pushManifest(repo, tag, image.manifest(), image.mediaType()).block(TIMEOUT);
  }

  private static List<String> digests(List<PruneEvent> events, Class<? extends PruneEvent> type) {
    return events.stream()
        .filter(type::isInstance)
        .map(
            e ->
                e instanceof Deleted d
                    ? d.digest()
                    : e instanceof Skipped s ? s.digest() : ((Failed) e).digest())
        .toList();
  }

  private static PruneReport finished(List<PruneEvent> events) {
    assertThat(events).isNotEmpty().last().isInstanceOf(Finished.class);
    return ((Finished) events.get(events.size() - 1)).report();
  }
}
