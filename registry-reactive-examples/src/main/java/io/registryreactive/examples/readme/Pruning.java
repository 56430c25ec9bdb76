package io.registryreactive.examples.readme;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The README's pruning snippet: plan with a policy, save the plan, apply it. */
public final class Pruning {
  private Pruning() {}

  /**
   * @param args registry URL, user name (password in {@code REGISTRY_PASSWORD}), the whitelist
   *     entry to keep ({@code repo:tag}), and the directory to write {@code plan.json} into
   * @throws IOException if the plan cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      throw new IllegalArgumentException(
          "usage: REGISTRY_URL USERNAME KEEP_REF OUT_DIR   (password in REGISTRY_PASSWORD)");
    }
    String keep = args[2];
    Path planFile = Path.of(args[3], "plan.json");
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(args[0])
            .credentials(
                RegistryCredentials.basic(
                    args[1], System.getenv().getOrDefault("REGISTRY_PASSWORD", "")))
            .build()) {
      // [pruning]
      Pruner pruner = Pruner.of(client);
      PrunePlan plan =
          pruner
              .plan(
                  RetentionPolicy.builder()
                      .keep(keep) // whitelist: repo:tag, repo@sha256:..., or repo
                      .keepTags("v\\d+\\.\\d+\\.\\d+") // keep releases
                      .keepLast(2) // keep the 2 newest images of each repository
                      .keepNewerThan(Duration.ofDays(30)) // and anything from the last 30 days
                      .build())
              .block(); // nothing is deleted yet
      Files.writeString(planFile, plan.toJson());
      PruneReport report = pruner.applyAndReport(plan).block();
      System.out.println(report.status() + ": deleted " + report.deleted().size() + " manifests");
      // [pruning]
    }
  }
}
