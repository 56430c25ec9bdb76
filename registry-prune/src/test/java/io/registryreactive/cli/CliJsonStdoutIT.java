package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output json} leaves stdout to the JSON alone in a real process with the shipped logging
 * configuration: nothing the logging library prints about itself, no log line, reaches stdout, so
 * {@code registry-prune prune --output json | jq} works.
 */
@RealRegistry
@Timeout(120)
class CliJsonStdoutIT {
  private final RegistryProcess registry;

  CliJsonStdoutIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @Test
  void pruneDryRun_withJsonOutput_printsOnlyTheJsonDocument(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    RegistryPruneCli.class.getName(),
                    "prune",
                    "--registry",
                    registry.baseUrl().toString(),
                    "--username",
                    registry.username(),
                    "--password-env",
                    "CLI_JSON_PASSWORD",
                    "--keep-tags",
                    ".*",
                    "--output",
                    "json"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("CLI_JSON_PASSWORD", registry.password());
    Process child = builder.start();
    child.getOutputStream().close();
    boolean exited;
    try {
      exited = child.waitFor(90, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }

    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(exited).as("child JVM exited within 90 s").isTrue();
    assertThat(child.exitValue()).as(stderr).isZero();
    assertThat(stdout).as(stderr).startsWith("{");
    JsonNode json = new ObjectMapper().readTree(stdout);
    assertThat(json.path("plan").path("totals").has("reclaimableBytes")).as(stdout).isTrue();
    assertThat(stdout + stderr).doesNotContain("|-INFO", "|-WARN", "converterClass");
  }
}
