package io.registryreactive.pruneit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.registryreactive.pruneit.PruneFixtures.assertSkippedOnly;
import static io.registryreactive.pruneit.PruneFixtures.exists;
import static io.registryreactive.pruneit.PruneFixtures.image;
import static io.registryreactive.pruneit.PruneFixtures.keepTagKeepIn;
import static io.registryreactive.pruneit.PruneFixtures.plan;
import static io.registryreactive.pruneit.PruneFixtures.ref;
import static io.registryreactive.pruneit.PruneFixtures.seedKeptAndDeletable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PlanRefusedException;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.pruneit.PruneFixtures.KeptAndDeletable;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistryFixture;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registries that lie, or break one repository: WireMock in front of the real registry forwards
 * everything except the lie under test. What is kept must survive whatever the listing, HEAD or a
 * header claims; a repository that cannot be read consistently is skipped and reported while the
 * others are pruned; a keep rule that matches nothing stops the apply; the journal sees every
 * manifest before its DELETE; failed deletes get a final pass; a tag pushed while deletes run
 * protects its digest from the later deletes.
 */
class PruneLiesIT extends RealRegistryFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int KIB = 1024;

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @BeforeEach
  void forwardEverything() {
    wm.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(aResponse().proxiedFrom(registry.baseUrl().toString())));
  }

  private ReactiveRegistryClient throughStub(RetryOptions retry) {
    return ReactiveRegistryClient.builder()
        .baseUrl(wm.baseUrl())
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        .retry(retry)
        .build();
  }

  private ReactiveRegistryClient throughStub() {
    return throughStub(
        RetryOptions.builder()
            .maxAttempts(2)
            .initialBackoff(Duration.ofMillis(5))
            .maxBackoff(Duration.ofMillis(5))
            .build());
  }

  private static List<String> deletesSeen() {
    return wm.getAllServeEvents().stream()
        .map(ServeEvent::getRequest)
        .filter(r -> r.getMethod().getName().equals("DELETE"))
        .map(r -> r.getUrl())
        .toList();
  }

  /**
   * Seeds {@link KeptAndDeletable} in {@code repo}, makes the stub tell {@code lie} about it, then
   * plans and applies through the stub: K must survive with its tags, and X be gone.
   */
  private void assertKeptSurvivesLie(
      String repo, long seed, Function<KeptAndDeletable, MappingBuilder> lie) {
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      KeptAndDeletable s = seedKeptAndDeletable(direct, repo, seed);
      lie(lie.apply(s));
      Pruner pruner = Pruner.of(client);
      PrunePlan plan = plan(pruner, keepTagKeepIn(s.repo()));
      assertThat(PruneIT.plannedDigestDeletions(plan)).containsExactly(ref(s.repo(), s.x()));
      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(exists(direct, s.repo(), "keep")).isTrue();
      assertThat(exists(direct, s.repo(), s.k().manifestDigest())).isTrue();
      assertThat(exists(direct, s.repo(), "x")).isFalse();
      assertThat(deletesSeen()).noneMatch(u -> u.contains(s.k().manifestDigest()));
    }
  }

  /** Makes the stub answer {@code stub} instead of forwarding to the registry. */
  private static void lie(MappingBuilder stub) {
    wm.stubFor(stub.atPriority(1));
  }

  private static ResponseDefinitionBuilder jsonBody(String json) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(json);
  }

  /** A tag listing of {@code repo} that names exactly {@code tags}, whatever the registry holds. */
  private static MappingBuilder tagListing(String repo, String... tags) {
    String names =
        Stream.of(tags).map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
    return get(urlPathEqualTo("/v2/" + repo + "/tags/list"))
        .willReturn(jsonBody("{\"name\":\"" + repo + "\",\"tags\":" + names + "}"));
  }

  // ------------------------------------------------------------------------------ direct evidence

  @Test
  void apply_whenTheListingLeavesOutAKeptTag_keepsItsDigest() {
    assertKeptSurvivesLie("lies/unlisted/app", 9001, s -> tagListing(s.repo(), "dev", "x"));
  }

  @Test
  void apply_whenHeadAnswers404ButGetServesTheKeptTag_keepsItsDigest() {
    assertKeptSurvivesLie(
        "lies/head404/app",
        9011,
        s ->
            head(urlEqualTo("/v2/" + s.repo() + "/manifests/keep"))
                .willReturn(aResponse().withStatus(404)));
  }

  @Test
  void apply_whenHeadNamesAnotherDigestThanGetServes_keepsTheServedDigest() {
    assertKeptSurvivesLie(
        "lies/headdigest/app",
        9021,
        s ->
            head(urlEqualTo("/v2/" + s.repo() + "/manifests/keep"))
                .willReturn(
                    aResponse()
                        .withHeader("Docker-Content-Digest", s.x().manifestDigest())
                        .withHeader("Content-Type", s.x().mediaType())
                        .withHeader("Content-Length", String.valueOf(s.x().manifest().length))));
  }

  @Test
  void plan_whenGetsDigestHeaderDisagreesWithTheBytes_skipsThatRepositoryAndPrunesTheOthers() {
    String repo = "lies/getdigest/app";
    String other = "lies/getdigest/other";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      KeptAndDeletable s = seedKeptAndDeletable(direct, repo, 9031);
      KeptAndDeletable o = seedKeptAndDeletable(direct, other, 9041);
      lie(
          get(urlEqualTo("/v2/" + repo + "/manifests/keep"))
              .willReturn(
                  aResponse()
                      .withHeader("Docker-Content-Digest", s.x().manifestDigest())
                      .withHeader("Content-Type", s.k().mediaType())
                      .withBody(s.k().manifest())));
      Pruner pruner = Pruner.of(client);
      PrunePlan plan = plan(pruner, keepTagKeepIn(repo, other));

      assertSkippedOnly(plan, repo, "Docker-Content-Digest");
      assertThat(plan.warnings()).anyMatch(w -> w.startsWith(repo + ": skipped"));
      assertPrunedOnly(direct, pruner.applyAndReport(plan).block(TIMEOUT), o, repo, "x", "keep");
    }
  }

  // ------------------------------------------------------------------ one broken repository

  @Test
  void plan_whenAnIndexChildIsDangling_skipsThatRepositoryAndPrunesTheOthers() {
    String multi = "lies/dangling/multi";
    String other = "lies/dangling/other";
    ImageBlueprint c1 = TestImages.image(9051).layers(1, 2 * KIB).platform("linux", "amd64").oci();
    ImageBlueprint c2 = TestImages.image(9052).layers(1, 2 * KIB).platform("linux", "arm64").oci();
    ImageBlueprint idx = TestImages.index(List.of(c1, c2), true);
    ImageBlueprint old = image(9053);
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      new ImageSeeder(direct).add(multi, idx, "multi").add(multi, old, "old").pushAll();
      KeptAndDeletable o = seedKeptAndDeletable(direct, other, 9054);
      direct.deleteManifest(multi, c1.manifestDigest()).block(TIMEOUT);

      Pruner pruner = Pruner.of(direct);
      PrunePlan plan =
          plan(
              pruner,
              RetentionPolicy.builder()
                  .includeRepositories("lies/dangling/.*")
                  .keep(other + ":keep")
                  .build());

      assertSkippedOnly(plan, multi, c1.manifestDigest(), idx.manifestDigest());
      assertPrunedOnly(
          direct, pruner.applyAndReport(plan).block(TIMEOUT), o, multi, "old", "multi");
    }
  }

  @Test
  void plan_whenRepositoriesAreBrokenInFiveWays_skipsEachWithItsReasonAndPrunesTheRest() {
    String unreadable = "lies/broken/unreadable";
    String denied = "lies/broken/denied";
    String badTag = "lies/broken/badtag";
    String schema1 = "lies/broken/schema1";
    String ghost = "lies/broken/ghost";
    String ok = "lies/broken/ok";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      List<KeptAndDeletable> seeded = new ArrayList<>();
      long seed = 9061;
      for (String repo : List.of(unreadable, denied, badTag, schema1, ghost, ok)) {
        seeded.add(seedKeptAndDeletable(direct, repo, seed));
        seed += 2;
      }
      lie(
          get(urlPathEqualTo("/v2/" + unreadable + "/tags/list"))
              .willReturn(aResponse().withStatus(500).withBody("storage driver error")));
      lie(
          get(urlPathEqualTo("/v2/" + denied + "/tags/list"))
              .willReturn(
                  aResponse()
                      .withStatus(403)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}")));
      lie(tagListing(badTag, "keep", "dev", "x", "bad tag!"));
      String schema1Body =
          "{\"schemaVersion\":1,\"name\":\""
              + schema1
              + "\",\"tag\":\"x\",\"architecture\":\"amd64\","
              + "\"fsLayers\":[],\"history\":[]}";
      lie(
          get(urlEqualTo("/v2/" + schema1 + "/manifests/x"))
              .willReturn(
                  aResponse()
                      .withHeader(
                          "Content-Type",
                          "application/vnd.docker.distribution.manifest.v1+prettyjws")
                      .withHeader(
                          "Docker-Content-Digest",
                          Digests.sha256(schema1Body.getBytes(StandardCharsets.UTF_8)))
                      .withBody(schema1Body)));
      lie(tagListing(ghost, "keep", "dev", "x", "ghost"));

      Pruner pruner = Pruner.of(client);
      PrunePlan plan =
          plan(
              pruner,
              keepTagKeepIn(seeded.stream().map(KeptAndDeletable::repo).toArray(String[]::new)));

      assertThat(plan.skippedRepositories())
          .extracting(PrunePlan.SkippedRepository::repository)
          .containsExactlyInAnyOrder(unreadable, denied, badTag, schema1, ghost);
      assertThat(reason(plan, unreadable)).contains("500");
      assertThat(reason(plan, denied)).contains("403");
      assertThat(reason(plan, badTag)).contains("invalid tag", "bad tag!");
      assertThat(reason(plan, schema1)).containsIgnoringCase("schema 1");
      assertThat(reason(plan, ghost)).contains("'ghost'", "cannot be resolved");
      assertThat(plan.repositories()).extracting(r -> r.repository()).containsExactly(ok);

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);
      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(deletesSeen()).allMatch(u -> u.startsWith("/v2/" + ok + "/")).hasSize(1);
      for (KeptAndDeletable s : seeded) {
        assertThat(exists(direct, s.repo(), "x")).as(s.repo()).isEqualTo(!s.repo().equals(ok));
      }
    }
  }

  /**
   * The apply deleted only X of {@code pruned} (K stays), and every given tag of the skipped
   * repository still resolves.
   */
  private static void assertPrunedOnly(
      ReactiveRegistryClient direct,
      PruneReport report,
      KeptAndDeletable pruned,
      String skipped,
      String... skippedTags) {
    assertThat(report.deleted())
        .extracting(m -> m.repository() + "@" + m.digest())
        .containsExactly(ref(pruned.repo(), pruned.x()));
    assertThat(exists(direct, pruned.repo(), "x")).isFalse();
    assertThat(exists(direct, pruned.repo(), "keep")).isTrue();
    for (String tag : skippedTags) {
      assertThat(exists(direct, skipped, tag)).as(skipped + ":" + tag).isTrue();
    }
  }

  private static String reason(PrunePlan plan, String repo) {
    return plan.skippedRepositories().stream()
        .filter(s -> s.repository().equals(repo))
        .findFirst()
        .orElseThrow()
        .reason();
  }

  @Test
  void plan_whenAConfigBlobIsUnreadable_keepsTheImageAsUndatedAndSaysSo() {
    String repo = "lies/config/app";
    ImageBlueprint newest =
        TestImages.image(9081)
            .layers(1, 2 * KIB)
            .created(java.time.Instant.parse("2024-05-01T00:00:00Z"))
            .oci();
    ImageBlueprint unreadable =
        TestImages.image(9082)
            .layers(1, 2 * KIB)
            .created(java.time.Instant.parse("2024-04-01T00:00:00Z"))
            .oci();
    ImageBlueprint oldest =
        TestImages.image(9083)
            .layers(1, 2 * KIB)
            .created(java.time.Instant.parse("2024-03-01T00:00:00Z"))
            .oci();
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      new ImageSeeder(direct)
          .into(repo)
          .add(newest, "new")
          .add(unreadable, "mid")
          .add(oldest, "old")
          .pushAll();
      String config = unreadable.config().orElseThrow().digest();
      lie(
          get(urlEqualTo("/v2/" + repo + "/blobs/" + config))
              .willReturn(aResponse().withStatus(500).withBody("storage error")));

      PrunePlan plan =
          plan(
              Pruner.of(client),
              RetentionPolicy.builder().includeRepositories("lies/config/.*").keepLast(1).build());

      assertThat(plan.skippedRepositories()).isEmpty();
      DigestDecision mid =
          plan.repositories().get(0).decisions().stream()
              .filter(d -> d.digest().equals(unreadable.manifestDigest()))
              .findFirst()
              .orElseThrow();
      assertThat(mid.isDelete()).isFalse();
      assertThat(mid.undated()).isTrue();
      assertThat(plan.warnings()).anyMatch(w -> w.contains(config) && w.contains("undated"));
      assertThat(PruneIT.plannedDigestDeletions(plan)).containsExactly(ref(repo, oldest));
    }
  }

  // ------------------------------------------------------------------------- missing keep

  @Test
  void apply_whenAKeepEntryOrPatternMatchesNothing_refusesBeforeAnyDeleteUnlessAllowed() {
    String repo = "lies/typo/app";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      KeptAndDeletable s = seedKeptAndDeletable(direct, repo, 9091);
      Pruner pruner = Pruner.of(direct);
      RetentionPolicy typo =
          RetentionPolicy.builder()
              .includeRepositories("lies/typo/.*")
              .includeRepositories("lies/tyop/.*")
              .keep(repo + ":kep")
              .keep("lies/typo/nope:keep")
              .build();
      PrunePlan plan = plan(pruner, typo);

      assertThat(plan.missingKeep())
          .extracting(PrunePlan.MissingKeep::rule)
          .containsExactlyInAnyOrder(
              "includeRepositories=lies/tyop/.*", "lies/typo/nope:keep", repo + ":kep");
      assertThat(plan.warnings()).anyMatch(w -> w.contains("'" + repo + ":kep' matches nothing"));
      assertThat(plan.refusedForMissingKeep()).isTrue();
      assertThat(plan.toJson()).contains("\"missingKeep\"", repo + ":kep");
      assertThatThrownBy(() -> pruner.applyAndReport(plan).block(TIMEOUT))
          .isInstanceOf(PlanRefusedException.class)
          .hasMessageContaining(repo + ":kep");
      assertThat(exists(direct, repo, "keep")).isTrue();
      assertThat(exists(direct, repo, "x")).isTrue();

      PrunePlan allowed =
          plan(
              pruner,
              RetentionPolicy.builder()
                  .includeRepositories("lies/typo/.*")
                  .keep(repo + ":kep")
                  .keep(repo + ":keep")
                  .allowMissingKeep(true)
                  .build());
      assertThat(allowed.missingKeep()).hasSize(1);
      assertThat(allowed.refusedForMissingKeep()).isFalse();
      PruneReport report = pruner.applyAndReport(allowed).block(TIMEOUT);
      assertThat(report.deleted())
          .extracting(PruneReport.DeletedManifest::digest)
          .containsExactly(s.x().manifestDigest());
    }
  }

  // ------------------------------------------------------------------------------- journal

  @Test
  void apply_withJournal_recordsTheExactBytesBeforeEachDelete_andAJournalErrorKeepsThatManifest() {
    String repo = "lies/journal/app";
    ImageBlueprint k = image(9101);
    ImageBlueprint x = image(9102);
    ImageBlueprint y = TestImages.image(9103).layers(1, 2 * KIB).docker();
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      new ImageSeeder(direct).into(repo).add(k, "keep").add(x, "x1", "x2").add(y, "y").pushAll();
      RecordingJournal journal = new RecordingJournal(direct, y.manifestDigest());
      Pruner pruner = Pruner.of(direct).withJournal(journal);
      PrunePlan plan = plan(pruner, keepTagKeepIn(repo));
      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(journal.entries)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.repository()).isEqualTo(repo);
                assertThat(e.digest()).isEqualTo(x.manifestDigest());
                assertThat(e.manifest()).isEqualTo(x.manifest());
                assertThat(Digests.sha256(e.manifest())).isEqualTo(x.manifestDigest());
                assertThat(e.mediaType()).isEqualTo(x.mediaType());
                assertThat(e.tags()).containsExactly("x1", "x2");
                assertThat(e.registry())
                    .isEqualTo(direct.baseUrl().toString())
                    .doesNotContain(registry.password());
              });
      assertThat(journal.presentWhenRecorded).containsExactly(true);
      assertThat(report.failures())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.digest()).isEqualTo(y.manifestDigest());
                assertThat(f.error()).contains("journal", "disk full");
              });
      assertThat(exists(direct, repo, "y")).isTrue();
      assertThat(exists(direct, repo, "x1")).isFalse();
    }
  }

  // ---------------------------------------------------------------------------- final pass

  @Test
  void apply_whenADeleteFailsPastItsRetries_retriesItInTheFinalPassAndCompletes() {
    String repo = "lies/finalpass/app";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      KeptAndDeletable s = seedKeptAndDeletable(direct, repo, 9111);
      String path = "/v2/" + repo + "/manifests/" + s.x().manifestDigest();
      // Two 503s use up the client's two attempts; the third DELETE (the final pass) goes through.
      lie(
          delete(urlEqualTo(path))
              .inScenario("flaky")
              .whenScenarioStateIs(Scenario.STARTED)
              .willReturn(aResponse().withStatus(503))
              .willSetStateTo("one"));
      lie(
          delete(urlEqualTo(path))
              .inScenario("flaky")
              .whenScenarioStateIs("one")
              .willReturn(aResponse().withStatus(503))
              .willSetStateTo("through"));
      Pruner pruner = Pruner.of(client);
      PrunePlan plan = plan(pruner, keepTagKeepIn(repo));
      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(report.status()).isEqualTo(PruneReport.Status.COMPLETED);
      assertThat(report.failures()).isEmpty();
      assertThat(report.deleted())
          .extracting(PruneReport.DeletedManifest::digest)
          .containsExactly(s.x().manifestDigest());
      assertThat(deletesSeen()).hasSize(3);
      assertThat(exists(direct, repo, "x")).isFalse();
    }
  }

  // ------------------------------------------------------------------------- race window

  @Test
  void apply_whenATagIsPushedWhileSlowDeletesRun_laterDeletesSpareItsDigest() throws Exception {
    String repo = "lies/race/app";
    ImageBlueprint k = image(9121);
    List<ImageBlueprint> doomed =
        Stream.of(9122L, 9123L, 9124L, 9125L, 9126L)
            .map(PruneFixtures::image)
            .sorted(Comparator.comparing(ImageBlueprint::manifestDigest))
            .toList();
    ImageBlueprint last = doomed.get(doomed.size() - 1);
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry);
        ReactiveRegistryClient client = throughStub()) {
      ImageSeeder seeder = new ImageSeeder(direct).add(repo, k, "keep");
      for (int i = 0; i < doomed.size(); i++) {
        seeder.add(repo, doomed.get(i), "d" + i);
      }
      seeder.pushAll();
      // The registry applies each DELETE at once; its answer comes 1.5 s later.
      lie(
          delete(anyUrl())
              .willReturn(
                  aResponse().proxiedFrom(registry.baseUrl().toString()).withFixedDelay(1500)));
      Pruner pruner = Pruner.of(client).withConcurrency(1);
      PrunePlan plan = plan(pruner, keepTagKeepIn(repo));
      assertThat(PruneIT.plannedDigestDeletions(plan)).hasSize(doomed.size());

      CompletableFuture<PruneReport> run = pruner.applyAndReport(plan).toFuture();
      // Deletes go in digest order, one at a time: once the first is sent, the last is seconds
      // away.
      Await.until(() -> !deletesSeen().isEmpty(), TIMEOUT);
      direct.pushManifest(repo, "hotfix", last.manifest(), last.mediaType()).block(TIMEOUT);
      PruneReport report = run.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(deletesSeen()).noneMatch(u -> u.contains(last.manifestDigest()));
      assertThat(report.skipped())
          .singleElement()
          .satisfies(sk -> assertThat(sk.digest()).isEqualTo(last.manifestDigest()));
      assertThat(report.deleted()).hasSize(doomed.size() - 1);
      assertThat(exists(direct, repo, "hotfix")).isTrue();
    }
  }

  /** Polls until a condition holds; fails instead of hanging. */
  private static final class Await {
    static void until(java.util.function.BooleanSupplier condition, Duration limit)
        throws InterruptedException {
      long end = System.nanoTime() + limit.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > end) {
          throw new AssertionError("condition not met within " + limit);
        }
        Thread.sleep(20);
      }
    }
  }
}
