package io.registryreactive.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One in-process run of {@code registry-prune}: its exit code and what it wrote to standard output
 * and standard error. {@link #toString()} shows all three, so a failed assertion explains itself.
 *
 * @param exitCode the code {@link RegistryPruneCli#run} returned
 * @param out everything written to standard output
 * @param err everything written to standard error
 */
record CliRun(int exitCode, String out, String err) {

  /** Done. */
  static final int OK = 0;

  /** Some deletions failed. */
  static final int FAILED = 1;

  /** Bad usage or input, before any request. */
  static final int USAGE = 2;

  /** Authentication, permission, or deletion disabled. */
  static final int DENIED = 3;

  /**
   * Runs the CLI with these arguments.
   *
   * @param args the command line
   * @return what it did
   */
  static CliRun of(String... args) {
    return withEnvironment(System.getenv(), args);
  }

  /**
   * Runs the CLI with these arguments and this environment instead of the process's.
   *
   * @param environment the environment variables the run sees
   * @param args the command line
   * @return what it did
   */
  static CliRun withEnvironment(java.util.Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true)) {
      code = RegistryPruneCli.run(args, o, e, environment);
    }
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * Runs the CLI with {@code stdin} as standard input, restoring the real one afterwards.
   *
   * @param stdin what standard input yields
   * @param args the command line
   * @return what it did
   */
  static CliRun withStdin(String stdin, String... args) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return of(args);
    } finally {
      System.setIn(original);
    }
  }

  /**
   * @return standard output split into lines, without empty trailing ones
   */
  List<String> outLines() {
    return out.lines().toList();
  }

  @Override
  public String toString() {
    return "exit code " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
  }
}
