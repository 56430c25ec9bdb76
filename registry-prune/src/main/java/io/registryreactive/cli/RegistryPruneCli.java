package io.registryreactive.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code registry-prune}: list, inspect and prune a Docker/OCI registry from the command line. With
 * no command it runs {@code demo}.
 */
@Command(
    name = "registry-prune",
    mixinStandardHelpOptions = true,
    version = "registry-prune 0.1.0",
    description =
        "List, inspect and prune a Docker Registry v2 / OCI registry. Without a command: demo.",
    subcommands = {
      PruneCommand.class,
      RestoreCommand.class,
      LsCommand.class,
      InspectCommand.class,
      DeleteCommand.class,
      GcCommand.class,
      DemoCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:some deletions (or requests) failed",
      "2:bad usage or bad input, before any request",
      "3:authentication, permission or deletion disabled",
      "130:interrupted (Ctrl-C) during prune --apply, after the deletes in flight and the summary"
    })
public final class RegistryPruneCli implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the CLI and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the CLI without exiting (for tests and embedding).
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  /**
   * Runs the CLI without exiting, reading the environment (proxy settings, credential file
   * locations) from the given map instead of the process environment.
   *
   * @param args the arguments
   * @param out standard output
   * @param err standard error
   * @param environment the environment variables the CLI consults
   * @return the exit code
   */
  public static int run(
      String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
    PrintWriter redactedOut = new PrintWriter(new RedactingWriter(out), true);
    PrintWriter redactedErr = new PrintWriter(new RedactingWriter(err), true);
    try {
      CliEnvironment.set(environment);
      return execute(args, redactedOut, redactedErr);
    } finally {
      CliEnvironment.clear();
      redactedOut.flush();
      redactedErr.flush();
    }
  }

  private static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new RegistryPruneCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code = ExitCodes.of(e);
          cmd.getErr()
              .println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return code;
        });
    cli.setParameterExceptionHandler(
        (e, a) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println("error: " + e.getMessage());
          c.getErr()
              .println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
          return ExitCodes.USAGE;
        });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    return new CommandLine(new DemoCommand())
        .setOut(spec.commandLine().getOut())
        .setErr(spec.commandLine().getErr())
        .setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler())
        .execute();
  }
}
