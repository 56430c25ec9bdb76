package io.registryreactive.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Prune meters against a real registry: a plan records its deletions and reclaimable bytes, an
 * applied plan its deletions, and the client's request timers see the deletes.
 */
@RealRegistry
class PruneMetricsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String REPO = "metrics/app";

  @Test
  void planAndApply_recordPlannedDeletedFailedAndReclaimable(RegistryProcess registry) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ReactiveRegistryClient client =
        RegistryClients.builder(registry)
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .listener(RegistryMetrics.of(meters))
            .build()) {
      new ImageSeeder(client)
          .add(REPO, TestImages.image(701).layers(1, 4096).oci(), "keep")
          .add(REPO, TestImages.image(702).layers(1, 8192).oci(), "old1")
          .add(REPO, TestImages.image(703).layers(1, 2048).oci(), "old2")
          .pushAll();
      Pruner pruner = Pruner.of(client);

      PrunePlan plan =
          pruner.plan(RetentionPolicy.builder().keep(REPO + ":keep").build()).block(TIMEOUT);

      assertThat(plan.totals().digestsToDelete()).isEqualTo(2);
      assertThat(meters.get(RegistryMetrics.PRUNE_PLANNED).counter().count()).isEqualTo(2);
      assertThat(plan.totals().reclaimableBytes()).isPositive();
      assertThat(meters.get(RegistryMetrics.PRUNE_RECLAIMABLE).gauge().value())
          .isEqualTo((double) plan.totals().reclaimableBytes());
      assertThat(meters.get(RegistryMetrics.PRUNE_DELETED).counter().count()).isZero();
      double deletesBefore = deletes(meters);

      PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

      assertThat(report.deleted()).hasSize(2);
      assertThat(meters.get(RegistryMetrics.PRUNE_DELETED).counter().count()).isEqualTo(2);
      assertThat(meters.get(RegistryMetrics.PRUNE_FAILED).counter().count()).isZero();
      assertThat(deletes(meters) - deletesBefore).isEqualTo(2);
    }
  }

  private static double deletes(SimpleMeterRegistry meters) {
    return meters
        .find(RegistryMetrics.REQUESTS)
        .tags("endpoint", "manifest", "method", "DELETE", "outcome", "success")
        .timers()
        .stream()
        .mapToLong(t -> t.count())
        .sum();
  }
}
