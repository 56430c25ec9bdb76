package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    RegistryPruneCli.class.getName(),
                    "demo"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .put(RegistryProcess.BINARY_ENV, dir.resolve("no-such-registry").toString());
    Process child = builder.start();
    child.getOutputStream().close();
    boolean exited;
    try {
      exited = child.waitFor(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }

    assertThat(exited).as("child JVM exited within 60 s").isTrue();
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(stderr).isNotZero();
    assertThat(stderr).contains("apt-get install -y docker-registry").contains("REGISTRY_BIN");
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).doesNotContain("Started");
  }
}
