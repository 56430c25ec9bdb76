package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry-prune demo}: the whole walk-through on its own throwaway registry, and the
 * install hint when there is no registry binary.
 */
@Timeout(150)
class CliDemoIT {

  @Test
  void demo_withRegistryBinary_prunesCollectsAndVerifies() {
    Assumptions.assumeTrue(
        RegistryProcess.findBinary().isPresent(),
        "no registry binary; install with: " + RegistryProcess.INSTALL_HINT);

    CliRun run = CliRun.of("demo");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out())
        .as(run.toString())
        .containsPattern("(?m)^1\\. Started .* at http://127\\.0\\.0\\.1:\\d+ ")
        .contains("Storage before prune:")
        .contains("Storage after GC:")
        .contains("Freed by GC:")
        .containsPattern(
            "(?m)^6\\. Verified after GC: all \\d+ kept tags still resolve to their digests\\.$");
  }

  /**
   * {@code REGISTRY_BIN} can only be set for a new process, so this runs the CLI in a child JVM on
   * the test class path.
   */
  @Test
  void demo_whenRegistryBinMissing_failsWithTheInstallHint(@TempDir Path dir)
      throws IOException, InterruptedException {
    ChildCli run =
        ChildCli.run(
            dir,
            Map.of(RegistryProcess.BINARY_ENV, dir.resolve("no-such-registry").toString()),
            60,
            "demo");

    assertThat(run.exited()).as("child JVM exited within 60 s").isTrue();
    assertThat(run.exitCode()).as(run.err()).isNotZero();
    assertThat(run.err()).contains("apt-get install -y docker-registry").contains("REGISTRY_BIN");
    assertThat(run.out()).doesNotContain("Started");
  }
}
