package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * REGISTRY_URL, REGISTRY_USERNAME and REGISTRY_PASSWORD against a real registry that requires basic
 * auth.
 */
@RealRegistry
@Timeout(60)
class CliEnvironmentDefaultsIT {

  @Test
  void ls_withTheConnectionFromTheEnvironmentOnly_listsTheCatalog(RegistryProcess registry) {
    CliRun run =
        CliRun.withEnvironment(
            Map.of(
                "REGISTRY_URL",
                registry.baseUrl().toString(),
                "REGISTRY_USERNAME",
                registry.username(),
                "REGISTRY_PASSWORD",
                registry.password()),
            "ls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
    assertThat(run.err()).doesNotContain(registry.password());
  }

  @Test
  void ls_withAWrongPasswordFromTheEnvironment_isRefusedWithExit3(RegistryProcess registry) {
    CliRun run =
        CliRun.withEnvironment(
            Map.of(
                "REGISTRY_URL",
                registry.baseUrl().toString(),
                "REGISTRY_USERNAME",
                registry.username(),
                "REGISTRY_PASSWORD",
                "not-" + registry.password()),
            "ls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
  }

  @Test
  void ls_withAnExplicitPasswordEnv_prefersItToRegistryPassword(RegistryProcess registry) {
    CliRun run =
        CliRun.withEnvironment(
            Map.of(
                "REGISTRY_URL",
                registry.baseUrl().toString(),
                "REGISTRY_USERNAME",
                registry.username(),
                "REGISTRY_PASSWORD",
                "wrong",
                "MY_SECRET",
                registry.password()),
            "ls",
            "--password-env",
            "MY_SECRET");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }
}
