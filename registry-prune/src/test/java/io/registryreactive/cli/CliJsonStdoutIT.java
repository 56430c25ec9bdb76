package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    List<String> args = new ArrayList<>(List.of("prune"));
    args.addAll(ChildCli.connection(registry, "CLI_JSON_PASSWORD"));
    args.addAll(List.of("--keep-tags", ".*", "--covered-only", "--output", "json"));

    ChildCli run =
        ChildCli.run(
            dir, Map.of("CLI_JSON_PASSWORD", registry.password()), 90, args.toArray(String[]::new));

    assertThat(run.exited()).as("child JVM exited within 90 s").isTrue();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).as(run.err()).startsWith("{");
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("totals").has("reclaimableBytes")).as(run.out()).isTrue();
    // Every repository is covered, so --covered-only skips none and adds no caveat about it.
    assertThat(json.path("totals").path("reclaimableCaveats").toString())
        .doesNotContain("outside the policy's scope");
    assertThat(run.out() + run.err()).doesNotContain("|-INFO", "|-WARN", "converterClass");
  }
}
