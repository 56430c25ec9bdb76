package io.registryreactive.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code registry-prune} CLI run as a user runs it: {@code java -jar registry-prune.jar prune
 * ... --output json}, a fresh JVM per run, the password in an environment variable. Its wall time
 * includes JVM start-up, which {@link #startupSeconds()} measures on its own.
 */
final class PruneCli {
  private static final String PASSWORD_VARIABLE = "E2E_REGISTRY_PASSWORD";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path jar;
  private final String username;
  private final String password;
  private final Duration timeout;

  /**
   * @param jar {@code registry-prune/target/registry-prune.jar}
   * @param username basic-auth user
   * @param password basic-auth password
   * @param timeout the most one run may take
   */
  PruneCli(Path jar, String username, String password, Duration timeout) {
    this.jar = jar;
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
   */
  record Run(
      double seconds, long tagsScanned, long tagsToDelete, long tagsDeleted, String command) {}

  /**
   * @return wall time of {@code java -jar registry-prune.jar --help}: JVM start-up and CLI parsing
   */
  double startupSeconds() {
    ExternalCommand command =
        new ExternalCommand(
            List.of("java", "-jar", jar.toString(), "--help"), Map.of(), timeout, List.of());
    return command.runOk().seconds();
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
    List<String> args =
        new ArrayList<>(
            List.of(
                "java",
                "-jar",
                jar.toString(),
                "prune",
                "--registry",
                baseUrl,
                "-u",
                username,
                "--password-env",
                PASSWORD_VARIABLE,
                "--repository",
                repository,
                "--keep-last",
                Integer.toString(keepLast),
                "--concurrency",
                Integer.toString(concurrency),
                "--output",
                "json"));
    if (apply) {
      args.add("--apply");
    }
    ExternalCommand command =
        new ExternalCommand(args, Map.of(PASSWORD_VARIABLE, password), timeout, List.of(password));
    ExternalCommand.Result result = command.runOk();
    try {
      JsonNode root = JSON.readTree(result.stdout());
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
          command.display());
    } catch (IOException e) {
      throw new IllegalStateException(
          "registry-prune printed no JSON:\n" + result.stdout() + result.stderr(), e);
    }
  }
}
