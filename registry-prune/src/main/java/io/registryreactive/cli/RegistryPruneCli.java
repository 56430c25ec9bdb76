package io.registryreactive.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code registry-prune}: list, inspect and prune a Docker/OCI registry from the command line. With
 * no command it prints its usage on standard error and exits 2.
 */
@Command(
    name = "registry-prune",
    mixinStandardHelpOptions = true,
    versionProvider = CliConventions.BuildVersion.class,
    description = {
      "List, inspect and prune a Docker Registry v2 / OCI registry.",
      "Environment: REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD are the defaults of --registry, "
          + "--username and the password."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune ls --registry http://127.0.0.1:5000",
      "  REGISTRY_URL=https://registry.example.com registry-prune prune --keep-last 5",
      "  registry-prune help prune",
      "  source <(registry-prune generate-completion)"
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

  /**
   * The commands, in the order the usage lists them. They are added to the command line by {@link
   * #commandLine(String[])}: only the one named first when a run names one (picocli builds a
   * command's whole model by reflection when it is added, a third of a second for all of them, paid
   * by every run before its first request), else all of them.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  @Spec CommandLine.Model.CommandSpec spec;

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("prune", PruneCommand::new);
    commands.put("restore", RestoreCommand::new);
    commands.put("ls", LsCommand::new);
    commands.put("usage", UsageCommand::new);
    commands.put("inspect", InspectCommand::new);
    commands.put("delete", DeleteCommand::new);
    commands.put("gc", GcCommand::new);
    commands.put("demo", DemoCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    commands.put("generate-completion", AutoComplete.GenerateCompletion::new);
    return Collections.unmodifiableMap(commands);
  }

  /**
   * The command line for these arguments: the top-level command with the command the first argument
   * names, or with every command when it names none (usage, {@code help}, a mistyped name: their
   * messages list the commands), {@code help} or {@code generate-completion} (which read the
   * others).
   *
   * @param args the arguments
   * @return the command line, conventions applied
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new RegistryPruneCli());
    String first = args.length > 0 ? args[0] : "";
    boolean one =
        COMMANDS.containsKey(first)
            && !first.equals("help")
            && !first.equals("generate-completion");
    for (Map.Entry<String, Supplier<Object>> command : COMMANDS.entrySet()) {
      if (!one || command.getKey().equals(first)) {
        cli.addSubcommand(command.getKey(), command.getValue().get());
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    CliConventions.apply(cli);
    return cli;
  }

  /**
   * Runs the CLI and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // Netty's buffer allocator registers Java Flight Recorder events on first use, generating a
    // handler class per event: tens of milliseconds of every run, for events only a JFR recording
    // would read. -Dio.netty.jfr.enabled=true turns them back on.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
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
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code = ExitCodes.of(e);
          cmd.getErr()
              .println(
                  "error: "
                      + Readable.inFlags(e.getMessage() == null ? e.toString() : e.getMessage()));
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

  /** No command: a mistake (a script that lost its arguments must not start anything). */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
