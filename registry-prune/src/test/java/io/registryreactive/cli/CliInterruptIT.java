package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ctrl-C during {@code prune --apply}: the CLI runs as a real process ({@code java -cp ...})
 * against a real registry, paced by {@code --rate-limit} so that deletes are still pending when
 * SIGINT arrives; it must stop sending new deletes, wait for those in flight, print the summary and
 * exit 130, with a journal listing exactly what was deleted.
 */
@RealRegistry
@Timeout(240)
class CliInterruptIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int IMAGES = 40;

  private final RegistryProcess registry;

  CliInterruptIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @Test
  void pruneApply_whenSigint_stopsNewDeletesPrintsTheSummaryAndExits130(@TempDir Path dir)
      throws Exception {
    List<String> digests = new ArrayList<>();
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build()) {
      SampleImages.push(client, "interrupt/app", "keep", image(1000)).block(TIMEOUT);
      for (int i = 1; i <= IMAGES; i++) {
        ImageBlueprint image = image(1000 + i);
        SampleImages.push(client, "interrupt/app", "t" + i, image).block(TIMEOUT);
        digests.add(image.manifestDigest());
      }
      Path journal = dir.resolve("journal.jsonl");
      Path out = dir.resolve("stdout.txt");
      Path err = dir.resolve("stderr.txt");
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaBinary(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  RegistryPruneCli.class.getName(),
                  "prune",
                  "--apply",
                  "--registry",
                  registry.baseUrl().toString(),
                  "--username",
                  registry.username(),
                  "--password-env",
                  "CLI_INTERRUPT_PASSWORD",
                  "--repository",
                  "interrupt/.*",
                  "--keep",
                  "interrupt/app:keep",
                  "--journal",
                  journal.toString(),
                  "--concurrency",
                  "1",
                  "--rate-limit",
                  "20")
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().put("CLI_INTERRUPT_PASSWORD", registry.password());
      Process cli = builder.start();
      try {
        // The first journal line is written just before the first DELETE: deletes are under way.
        while (journalLines(journal) == 0) {
          assertThat(cli.isAlive())
              .as("CLI ended before deleting:\n%s\n%s", read(out), read(err))
              .isTrue();
          Thread.sleep(10);
        }
        Process kill =
            new ProcessBuilder("kill", "-INT", Long.toString(cli.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("CLI ended after SIGINT").isTrue();
      } finally {
        cli.destroyForcibly();
      }

      String stdout = read(out);
      String stderr = read(err);
      String both = "--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
      assertThat(cli.exitValue()).as(both).isEqualTo(130);
      assertThat(stdout).as(both).contains("Status: CANCELLED").contains("Journal: " + journal);
      assertThat(stderr).as(both).contains("Interrupted: no new deletes are sent");
      Matcher m =
          Pattern.compile("Deleted: (\\d+) manifests .*; not attempted: (\\d+)").matcher(stdout);
      assertThat(m.find()).as(both).isTrue();
      int deleted = Integer.parseInt(m.group(1));
      int notAttempted = Integer.parseInt(m.group(2));
      assertThat(notAttempted).as("deletes never sent after the interrupt\n" + both).isPositive();
      assertThat(deleted + notAttempted).as(both).isLessThanOrEqualTo(IMAGES);

      Set<String> journaled = new HashSet<>(CliJournalIT.journalLines(journal).keySet());
      Set<String> gone =
          new HashSet<>(
              Flux.fromIterable(digests)
                  .filterWhen(
                      d ->
                          client
                              .metadata("interrupt/app@" + d)
                              .map(x -> false)
                              .onErrorResume(NotFoundException.class, e -> Mono.just(true)))
                  .collectList()
                  .block(TIMEOUT));
      assertThat(journaled).as("journal = what is gone from the registry").isEqualTo(gone);
      assertThat(gone).as(both).hasSize(deleted);
      assertThat(client.metadata("interrupt/app:keep").block(TIMEOUT)).isNotNull();
    }
  }

  private static long journalLines(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return 0;
    }
    // Only whole lines count: the writer may be half-way through one.
    return Files.readString(journal, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static ImageBlueprint image(long seed) {
    return TestImages.image(seed)
        .layers(1, 512)
        .created(Instant.parse("2024-01-01T00:00:00Z"))
        .docker();
  }
}
