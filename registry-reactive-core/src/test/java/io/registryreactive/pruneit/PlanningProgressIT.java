package io.registryreactive.pruneit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.PlanningProgress;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Pruner#withPlanningProgress} against a real registry: the counts only grow, the last
 * progress holds the seeded totals, and a consumer that throws does not change the plan.
 */
@RealRegistry
class PlanningProgressIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** 3 covered repositories, 6 tags, 5 distinct manifests; one repository outside the policy. */
  private static void seed(ReactiveRegistryClient client) {
    new ImageSeeder(client)
        .add("progress/a", TestImages.image(701).docker(), "1", "latest")
        .add("progress/a", TestImages.image(702).oci(), "2")
        .add("progress/b", TestImages.image(703).docker(), "only")
        .add("progress/c", TestImages.image(704).oci(), "x")
        .add("progress/c", TestImages.image(705).docker(), "y")
        .add("elsewhere/d", TestImages.image(706).docker(), "not-covered")
        .pushAll();
  }

  private static RetentionPolicy policy(RegistryProcess registry) {
    return RetentionPolicy.builder()
        .registryHost(registry.hostPort())
        .includeRepositories("progress/.*")
        .keepLast(1)
        .build();
  }

  @Test
  void plan_withPlanningProgress_givesGrowingCountsEndingAtTheSeededTotals(
      RegistryProcess registry) {
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      seed(client);
      List<PlanningProgress> seen = new CopyOnWriteArrayList<>();

      PrunePlan plan =
          Pruner.of(client)
              .withConcurrency(16)
              .withPlanningProgress(seen::add)
              .plan(policy(registry))
              .block(TIMEOUT);

      assertThat(plan.repositories()).hasSize(3);
      assertThat(seen).isNotEmpty();
      for (int i = 1; i < seen.size(); i++) {
        PlanningProgress before = seen.get(i - 1);
        PlanningProgress now = seen.get(i);
        assertThat(now.repositoriesListed()).isGreaterThanOrEqualTo(before.repositoriesListed());
        assertThat(now.repositoriesDone()).isGreaterThanOrEqualTo(before.repositoriesDone());
        assertThat(now.tagsSeen()).isGreaterThanOrEqualTo(before.tagsSeen());
        assertThat(now.manifestsRead()).isGreaterThanOrEqualTo(before.manifestsRead());
        assertThat(now.elapsed()).isGreaterThanOrEqualTo(before.elapsed());
      }
      for (PlanningProgress p : seen) {
        assertThat(p.repositoriesDone()).isLessThanOrEqualTo(p.repositoriesListed());
      }
      PlanningProgress last = seen.get(seen.size() - 1);
      assertThat(last.repositoriesListed()).isEqualTo(3);
      assertThat(last.repositoriesDone()).isEqualTo(3);
      assertThat(last.tagsSeen()).isEqualTo(6);
      // One GET per listed tag; single-platform images have no children to read. The repository
      // outside the policy is read too (its one tag), for what it references.
      assertThat(last.manifestsRead()).isEqualTo(7);
    }
  }

  @Test
  void plan_whenTheProgressConsumerThrows_isTheSamePlanAsWithout(RegistryProcess registry) {
    try (ReactiveRegistryClient client = RegistryClients.authenticated(registry)) {
      seed(client);
      AtomicInteger calls = new AtomicInteger();

      PrunePlan withThrowing =
          Pruner.of(client)
              .withPlanningProgress(
                  p -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("consumer bug");
                  })
              .plan(policy(registry))
              .block(TIMEOUT);
      PrunePlan without = Pruner.of(client).plan(policy(registry)).block(TIMEOUT);

      assertThat(calls).hasValueGreaterThan(1);
      assertThat(withThrowing.deletionReferences())
          .containsExactlyInAnyOrderElementsOf(without.deletionReferences());
      assertThat(withThrowing.deletionReferences()).isNotEmpty();
    }
  }
}
