package io.registryreactive.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a program (wrk, ab, skopeo, the CLI) with a time limit and captures its output in files, so
 * a chatty program can never block on a full pipe.
 *
 * @param command the program and its arguments
 * @param environment variables added to the harness's own environment
 * @param timeout the program is killed after this long and the run fails
 * @param secrets strings shown as {@code ***} wherever this command is printed
 */
record ExternalCommand(
    List<String> command, Map<String, String> environment, Duration timeout, List<String> secrets) {

  ExternalCommand {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    secrets = List.copyOf(secrets);
  }

  /**
   * What the program did.
   *
   * @param exitCode its exit code
   * @param stdout its standard output
   * @param stderr its standard error
   * @param elapsed wall time from start to exit, including process start-up
   */
  record Result(int exitCode, String stdout, String stderr, Duration elapsed) {
    double seconds() {
      return elapsed.toNanos() / 1e9;
    }
  }

  /**
   * @return the command line as it can be shown: secrets masked, arguments with spaces quoted
   */
  String display() {
    List<String> parts = new ArrayList<>();
    for (String arg : command) {
      String shown = arg;
      for (String secret : secrets) {
        if (!secret.isEmpty()) {
          shown = shown.replace(secret, "***");
        }
      }
      parts.add(
          shown.matches("[A-Za-z0-9_./:=@%+,-]+")
              ? shown
              : "'" + shown.replace("'", "'\\''") + "'");
    }
    return String.join(" ", parts);
  }

  /**
   * Runs the program and waits for it.
   *
   * @return its result, whatever the exit code
   * @throws IllegalStateException if it outlives the timeout (it is killed) or cannot start
   */
  Result run() {
    @Nullable Path out = null;
    @Nullable Path err = null;
    try {
      out = Files.createTempFile("e2e-out-", ".txt");
      err = Files.createTempFile("e2e-err-", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().putAll(environment);
      long start = System.nanoTime();
      Process process = pb.start();
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + display(), e);
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (!finished) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        throw new IllegalStateException(
            "timed out after "
                + timeout
                + ": "
                + display()
                + "\n"
                + tail(Files.readString(err, StandardCharsets.UTF_8)));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          elapsed);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + display(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + display(), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * Runs the program and requires exit code 0.
   *
   * @return its result
   * @throws IllegalStateException on a non-zero exit, with the tail of its output
   */
  Result runOk() {
    Result result = run();
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "exit code "
              + result.exitCode()
              + ": "
              + display()
              + "\n"
              + tail(result.stdout())
              + "\n"
              + tail(result.stderr()));
    }
    return result;
  }

  private String tail(String text) {
    String masked = text;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        masked = masked.replace(secret, "***");
      }
    }
    return masked.length() <= 2000 ? masked : "..." + masked.substring(masked.length() - 2000);
  }

  private static void deleteQuietly(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless.
      }
    }
  }
}
