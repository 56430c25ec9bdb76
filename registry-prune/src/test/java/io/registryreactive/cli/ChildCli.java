package io.registryreactive.cli;

import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The CLI run as a child JVM on the test class path, for what only a new process shows: its own
 * environment, the shipped logging configuration, what reaches stdout.
 *
 * @param exited whether it exited within the time given (it is killed otherwise)
 * @param exitCode its exit code, or -1 if it had to be killed
 * @param out what it wrote to stdout
 * @param err what it wrote to stderr
 */
record ChildCli(boolean exited, int exitCode, String out, String err) {

  /**
   * @param registry a registry
   * @param passwordVariable the environment variable that will hold its password
   * @return {@code --registry URL --username U --password-env VAR}
   */
  static List<String> connection(RegistryProcess registry, String passwordVariable) {
    return List.of(
        "--registry",
        registry.baseUrl().toString(),
        "--username",
        registry.username(),
        "--password-env",
        passwordVariable);
  }

  /**
   * Runs {@code registry-prune ARGS} and waits for it.
   *
   * @param dir where its output files go
   * @param environment variables added to this JVM's environment
   * @param timeoutSeconds how long it may run
   * @param args the CLI's arguments
   * @return how it ended
   */
  static ChildCli run(
      Path dir, Map<String, String> environment, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RegistryPruneCli.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process child = builder.start();
    child.getOutputStream().close();
    boolean exited;
    try {
      exited = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
    }
    return new ChildCli(
        exited,
        exited ? child.exitValue() : -1,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
