package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --username}, the CLI uses what {@code docker login} / {@code podman login} stored,
 * end to end against the real registry with basic auth.
 */
@RealRegistry
@Timeout(120)
class CliStoredCredentialsIT {
  private final RegistryProcess registry;

  CliStoredCredentialsIT(RegistryProcess registry) {
    this.registry = registry;
  }

  private Path writeConfig(Path file, String password) throws Exception {
    Files.createDirectories(file.getParent());
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        file, "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  private CliRun ls(Map<String, String> env, String... extra) {
    String[] base = {"ls", "--registry", registry.baseUrl().toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.withEnvironment(env, all);
  }

  @Test
  void homeDockerConfig_isUsedWithoutAnyOption(@TempDir Path home) throws Exception {
    writeConfig(home.resolve(".docker/config.json"), registry.password());
    CliRun run = ls(Map.of("HOME", home.toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }

  @Test
  void dockerConfigEnvironmentVariable_winsOverHome(@TempDir Path dir) throws Exception {
    writeConfig(dir.resolve("ci/config.json"), registry.password());
    writeConfig(dir.resolve("home/.docker/config.json"), "wrong-password");
    CliRun run =
        ls(
            Map.of(
                "DOCKER_CONFIG",
                dir.resolve("ci").toString(),
                "HOME",
                dir.resolve("home").toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }

  @Test
  void podmanAuthFile_isUsedWhenDockerHasNoEntry(@TempDir Path dir) throws Exception {
    writeConfig(dir.resolve("run/containers/auth.json"), registry.password());
    CliRun run =
        ls(
            Map.of(
                "HOME",
                dir.resolve("home").toString(),
                "XDG_RUNTIME_DIR",
                dir.resolve("run").toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }

  @Test
  void dockerConfigOption_takesADirectory(@TempDir Path dir) throws Exception {
    writeConfig(dir.resolve("conf/config.json"), registry.password());
    CliRun run =
        ls(
            Map.of("HOME", dir.resolve("home").toString()),
            "--docker-config",
            dir.resolve("conf").toString());
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }

  @Test
  void noStoredEntry_401SaysNothingWasSentAndWhereItLooked(@TempDir Path dir) {
    CliRun run =
        ls(
            Map.of(
                "HOME", dir.toString(), "REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
    assertThat(run.err())
        .as(run.toString())
        .contains("no credentials were sent")
        .contains(dir.resolve(".docker/config.json").toString())
        .contains(dir.resolve("auth.json").toString())
        .doesNotContain("rejected");
  }

  @Test
  void wrongStoredPassword_isRejected_andNotShown(@TempDir Path home) throws Exception {
    writeConfig(home.resolve(".docker/config.json"), "stored-Wrong-pw-77");
    CliRun run = ls(Map.of("HOME", home.toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
    assertThat(run.err()).contains("rejected the credentials").doesNotContain("stored-Wrong-pw-77");
  }
}
