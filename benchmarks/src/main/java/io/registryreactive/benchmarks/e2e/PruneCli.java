package io.registryreactive.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code registry-prune} CLI run as the README runs it: {@code scripts/registry-prune prune ...
 * --output json} (the launcher: {@code java} with its JVM flags for a short-lived process, {@code
 * -jar registry-prune.jar}), a fresh JVM per run, the password in an environment variable. Its wall
 * time includes JVM start-up, which {@link #startupSeconds()} measures on its own. The launcher's
 * class-data-sharing archive lives in a directory of this harness run ({@link #CDS_DIR}), recorded
 * by {@link #recordClassArchive(String, String)} before anything is measured, as a user's first run
 * records it in their cache.
 */
final class PruneCli {
  private static final String PASSWORD_VARIABLE = "E2E_REGISTRY_PASSWORD";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code REGISTRY_PRUNE_CDS_DIR} of every run of this harness process; removed at its exit. */
  static final Path CDS_DIR = classArchiveDir();

  private static Path classArchiveDir() {
    try {
      Path dir = Files.createTempDirectory("e2e-registry-prune-cds-");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try (var files = Files.list(dir)) {
                      for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                      }
                      Files.deleteIfExists(dir);
                    } catch (IOException e) {
                      // a temp directory left behind
                    }
                  }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Path jar;
  private final Path launcher;
  private final String username;
  private final String password;
  private final Duration timeout;

  /**
   * @param launcher {@code scripts/registry-prune}
   * @param jar {@code registry-prune/target/registry-prune.jar}, which the launcher is told to run
   * @param username basic-auth user
   * @param password basic-auth password
   * @param timeout the most one run may take
   */
  PruneCli(Path launcher, Path jar, String username, String password, Duration timeout) {
    this.launcher = launcher.toAbsolutePath();
    this.jar = jar.toAbsolutePath();
    this.username = username;
    this.password = password;
    this.timeout = timeout;
  }

  /**
   * One prune run.
   *
   * @param seconds wall time of the process
   * @param tagsScanned tags the plan saw
   * @param tagsToDelete tags the plan deletes
   * @param tagsDeleted tags actually deleted (0 for a dry run)
   * @param command the command line
   * @param stdoutPreamble what the process printed on stdout before its JSON (empty when it printed
   *     the JSON alone, as it should)
   */
  record Run(
      double seconds,
      long tagsScanned,
      long tagsToDelete,
      long tagsDeleted,
      String command,
      String stdoutPreamble) {

    /**
     * @return a warning for the report, when stdout held more than the JSON
     */
    java.util.Optional<String> stdoutWarning() {
      if (stdoutPreamble.isEmpty()) {
        return java.util.Optional.empty();
      }
      String[] lines = stdoutPreamble.split("\n");
      // Without its time stamp, so that every run's warning reads the same and is reported once.
      lines[0] = lines[0].replaceFirst("^\\d{2}:\\d{2}:\\d{2},\\d+ ", "");
      String first = lines[0].length() > 200 ? lines[0].substring(0, 200) + "..." : lines[0];
      return java.util.Optional.of(
          "`registry-prune prune --output json` printed "
              + lines.length
              + " lines on stdout before its JSON (the harness skipped them; a user piping"
              + " the output to a JSON parser would fail), the first: `"
              + first.replace("`", "'")
              + "`");
    }
  }

  /**
   * @return wall time of {@code scripts/registry-prune --help}: JVM start-up and CLI parsing
   */
  double startupSeconds() {
    ExternalCommand command =
        new ExternalCommand(
            List.of("bash", launcher.toString(), "--help"), environment(), timeout, List.of());
    return command.runOk().seconds();
  }

  /**
   * Runs {@code registry-prune ls} and a dry-run {@code prune} of one repository once each, so that
   * the launcher records their class-data-sharing archives (a command's first successful run does)
   * before the measured runs.
   *
   * @param baseUrl the registry URL
   * @param repository a seeded repository
   * @return wall time of both runs (they include writing the archives)
   */
  double recordClassArchive(String baseUrl, String repository) {
    List<String> ls = new ArrayList<>(List.of("bash", launcher.toString(), "ls"));
    ls.addAll(connection(baseUrl));
    List<String> prune = new ArrayList<>(List.of("bash", launcher.toString(), "prune"));
    prune.addAll(connection(baseUrl));
    prune.addAll(
        List.of(
            "--repository-name",
            repository,
            "--keep-tags",
            ".*",
            "--covered-only",
            "--output",
            "json"));
    double seconds = 0;
    for (List<String> args : List.of(ls, prune)) {
      seconds +=
          new ExternalCommand(args, environment(), timeout, List.of(password)).runOk().seconds();
    }
    return seconds;
  }

  /** {@code --registry URL -u USER --password-env VAR}: the password travels in the environment. */
  private List<String> connection(String baseUrl) {
    return List.of("--registry", baseUrl, "-u", username, "--password-env", PASSWORD_VARIABLE);
  }

  private Map<String, String> environment() {
    return Map.of(
        PASSWORD_VARIABLE,
        password,
        "REGISTRY_PRUNE_JAR",
        jar.toString(),
        "REGISTRY_PRUNE_CDS_DIR",
        CDS_DIR.toString());
  }

  /**
   * Runs {@code prune --keep-last keepLast} on one repository.
   *
   * @param baseUrl the registry (or proxy) URL
   * @param repository the repository
   * @param keepLast images to keep
   * @param concurrency {@code --concurrency}
   * @param apply {@code --apply} (else a dry run)
   * @return the run
   */
  Run prune(String baseUrl, String repository, int keepLast, int concurrency, boolean apply) {
    return prune(
        baseUrl,
        List.of("--repository", repository, "--keep-last", Integer.toString(keepLast)),
        concurrency,
        apply);
  }

  /**
   * Runs {@code prune} with the given selection and policy options.
   *
   * @param baseUrl the registry (or proxy) URL
   * @param policy {@code --repository}, keep rules and other prune options, as given
   * @param concurrency {@code --concurrency}
   * @param apply {@code --apply} (else a dry run)
   * @return the run
   */
  Run prune(String baseUrl, List<String> policy, int concurrency, boolean apply) {
    List<String> args = new ArrayList<>(List.of("bash", launcher.toString(), "prune"));
    args.addAll(connection(baseUrl));
    args.addAll(policy);
    args.addAll(List.of("--concurrency", Integer.toString(concurrency), "--output", "json"));
    Path journal = null;
    if (apply) {
      // A journal is what a user's --apply writes too; kept out of the working directory.
      try {
        journal = Files.createTempFile("e2e-prune-journal-", ".jsonl");
        Files.delete(journal);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      args.addAll(List.of("--apply", "--journal", journal.toString()));
    }
    ExternalCommand command = new ExternalCommand(args, environment(), timeout, List.of(password));
    ExternalCommand.Result result;
    try {
      result = command.runOk();
    } finally {
      if (journal != null) {
        try {
          Files.deleteIfExists(journal);
        } catch (IOException e) {
          EndToEndBenchmark.log("could not delete " + journal + ": " + e);
        }
      }
    }
    String stdout = result.stdout();
    // --output json promises stdout to the JSON alone; anything before it is a defect of the CLI
    // (such as logging status on stdout), measured through but reported, not hidden.
    int start = stdout.startsWith("{") ? 0 : stdout.indexOf("\n{");
    String preamble = start <= 0 ? "" : stdout.substring(0, start).strip();
    try {
      JsonNode root = JSON.readTree(start < 0 ? stdout : stdout.substring(start));
      JsonNode plan = apply ? root.path("plan") : root;
      JsonNode totals = plan.path("totals");
      long deleted = 0;
      if (apply) {
        JsonNode report = root.path("report");
        if (!"COMPLETED".equals(report.path("status").asText())) {
          throw new IllegalStateException(
              "prune --apply ended "
                  + report.path("status").asText()
                  + ": "
                  + report.path("failures"));
        }
        for (JsonNode manifest : report.path("deleted")) {
          deleted += manifest.path("tags").size();
        }
      }
      return new Run(
          result.seconds(),
          totals.path("tagsScanned").asLong(),
          totals.path("tagsToDelete").asLong(),
          deleted,
          command.display(),
          preamble);
    } catch (IOException e) {
      throw new IllegalStateException(
          "registry-prune printed no JSON:\n" + result.stdout() + result.stderr(), e);
    }
  }
}
