package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code scripts/registry-prune} run as users run it, on the packaged jar, against a
 * real registry: it passes stdin, stdout and the exit code through, records a class-data-sharing
 * archive on the first successful registry command only, maps it on the next runs, and never lets
 * the JVM write to stdout, whatever the archive holds.
 */
@RealRegistry
@Timeout(180)
class LauncherIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path LAUNCHER = ROOT.resolve("scripts/registry-prune");
  private static final Path JAR = Path.of("target/registry-prune.jar").toAbsolutePath();

  private final RegistryProcess registry;
  @TempDir Path dir;
  private Path cacheDir;

  LauncherIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @BeforeEach
  void setUp() {
    assertThat(JAR).as("the packaged CLI (mvn package runs before the integration tests)").exists();
    cacheDir = dir.resolve("cds");
    SampleImages.pushDemoSample(RegistryClients.authenticated(registry), Instant.now())
        .block(Duration.ofSeconds(60));
  }

  @Test
  void firstRegistryCommand_recordsTheArchive_laterRunsMapItAndPrintTheSame() throws Exception {
    Run first = launch(Map.of(), "ls");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).as("the password came through stdin").contains("shop/web");
    assertThat(first.err()).as("the archive's recording is silent").doesNotContain("[cds]");
    assertThat(archives()).hasSize(1);
    assertThat(leftovers()).as("no half-written archive").isEmpty();

    Path classLog = dir.resolve("class-load.txt");
    Run second =
        launch(
            Map.of(
                "REGISTRY_PRUNE_JAVA_OPTS",
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:class+load=info:file=" + classLog),
            "ls");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(Files.readString(classLog))
        .as("classes come from the recorded archive")
        .contains("source: shared objects file (top)");
    assertThat(archives()).hasSize(1);
  }

  @Test
  void helpVersionAndFailedRuns_recordNothing() throws Exception {
    assertThat(launch(Map.of(), "--version").exitCode()).isZero();
    assertThat(launch(Map.of(), "prune", "--help").exitCode()).isZero();
    Run bad = launch(Map.of(), "prune", "--no-such-option");
    assertThat(bad.exitCode()).as("the CLI's own exit code").isEqualTo(2);
    assertThat(bad.err()).contains("--no-such-option");
    assertThat(archives()).isEmpty();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void cdsOff_recordsNothing_andAnUnusableArchive_neitherFailsTheRunNorReachesStdout()
      throws Exception {
    Run plain = launch(Map.of("REGISTRY_PRUNE_CDS", "0"), "ls");
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    assertThat(archives()).isEmpty();

    assertThat(launch(Map.of(), "ls").exitCode()).isZero();
    Path archive = archives().get(0);
    archive.toFile().setWritable(true);
    Files.writeString(archive, "not an archive");
    Run broken = launch(Map.of(), "ls", "--output", "json");
    assertThat(broken.exitCode()).as(broken.err()).isZero();
    assertThat(broken.out())
        .startsWith("[")
        .contains("\"shop/web\"")
        .doesNotContain("warning", "cds");
    Run again = launch(Map.of("REGISTRY_PRUNE_CDS", "0"), "ls", "--output", "json");
    assertThat(broken.out()).isEqualTo(again.out());
  }

  private Run launch(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    boolean registryCommand = args[0].equals("ls") || args[0].equals("prune");
    if (registryCommand) {
      command.addAll(
          List.of(
              "--registry",
              registry.baseUrl().toString(),
              "--username",
              registry.username(),
              "--password-stdin"));
    }
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = new HashMap<>(environment);
    env.put("REGISTRY_PRUNE_CDS_DIR", cacheDir.toString());
    env.put("REGISTRY_PRUNE_JAR", JAR.toString());
    builder.environment().putAll(env);
    Process child = builder.start();
    try (OutputStream stdin = child.getOutputStream()) {
      stdin.write((registry.password() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    boolean exited;
    try {
      exited = child.waitFor(60, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    assertThat(exited).as("the launcher ended within 60 s: " + command).isTrue();
    return new Run(
        child.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private List<Path> archives() throws IOException {
    return listCache(".jsa");
  }

  private List<Path> leftovers() throws IOException {
    return listCache(".tmp");
  }

  private List<Path> listCache(String suffix) throws IOException {
    if (!Files.isDirectory(cacheDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(cacheDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  private record Run(int exitCode, String out, String err) {}
}
