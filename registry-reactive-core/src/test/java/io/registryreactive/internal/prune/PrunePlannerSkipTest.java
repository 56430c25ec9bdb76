package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Broken repositories and keep rules that match nothing, as the planner reports them. */
class PrunePlannerSkipTest {
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
  private static final String A = digest("a");
  private static final String B = digest("b");

  private static RegistrySnapshot withBrokenAndMissing(List<PrunePlan.MissingKeep> missing) {
    RegistrySnapshot ok =
        SnapshotBuilder.registry("r")
            .repo("ok")
            .taggedImage("keep", A, NOW.minusSeconds(60))
            .taggedImage("old", B, NOW.minusSeconds(60))
            .build();
    List<Repo> repos = new ArrayList<>(ok.repositories());
    repos.add(Repo.broken("bad", "index X lists child Y, which the registry does not have"));
    Repo noted =
        new Repo(
            "noted",
            ok.repositories().get(0).tags(),
            ok.repositories().get(0).manifests(),
            java.util.Map.of(),
            Optional.empty(),
            List.of("the config blob C of A could not be read (500); the image is undated"));
    repos.add(noted);
    return new RegistrySnapshot("r", NOW, repos, missing);
  }

  @Test
  void plan_whenARepositoryIsBroken_leavesItOutAndReportsWhy() {
    PrunePlan plan =
        PrunePlanner.plan(
            withBrokenAndMissing(List.of()),
            RetentionPolicy.builder().keepTags("keep").build(),
            NOW);

    assertThat(plan.repositories()).extracting(r -> r.repository()).containsExactly("ok", "noted");
    assertThat(plan.skippedRepositories())
        .containsExactly(
            new PrunePlan.SkippedRepository(
                "bad", "index X lists child Y, which the registry does not have"));
    assertThat(plan.warnings())
        .contains(
            "bad: skipped, nothing is deleted there: index X lists child Y, which the "
                + "registry does not have",
            "noted: the config blob C of A could not be read (500); the image is undated");
    assertThat(plan.totals().repositories()).isEqualTo(2);
    assertThat(plan.refusedForMissingKeep()).isFalse();
  }

  @Test
  void plan_whenAKeepRuleMatchesNothing_isRefusedUnlessThePolicyAllowsIt() {
    List<PrunePlan.MissingKeep> missing =
        List.of(new PrunePlan.MissingKeep("ok:kep", "the registry has no tag ok:kep"));

    PrunePlan refused =
        PrunePlanner.plan(
            withBrokenAndMissing(missing), RetentionPolicy.builder().keep("ok:kep").build(), NOW);
    PrunePlan allowed =
        PrunePlanner.plan(
            withBrokenAndMissing(missing),
            RetentionPolicy.builder().keep("ok:kep").allowMissingKeep(true).build(),
            NOW);

    assertThat(refused.missingKeep()).isEqualTo(missing);
    assertThat(refused.refusedForMissingKeep()).isTrue();
    assertThat(refused.warnings())
        .anyMatch(
            w ->
                w.startsWith("keep rule 'ok:kep' matches nothing")
                    && w.contains("allowMissingKeep(true)"));
    assertThat(allowed.refusedForMissingKeep()).isFalse();
    assertThat(allowed.policy()).containsEntry(RetentionPolicy.ALLOW_MISSING_KEEP, true);
  }
}
