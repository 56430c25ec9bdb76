package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ls}: repositories, or the tags of one. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    description = "List repositories, or the tags of REPOSITORY.")
final class LsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(
      arity = "0..1",
      paramLabel = "REPOSITORY",
      description = "List this repository's tags")
  String repository;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format")
  PruneCommand.OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (ReactiveRegistryClient client = connection.client(spec.commandLine().getErr())) {
      List<String> items =
          (repository == null ? client.catalog() : client.tags(repository)).collectList().block();
      if (output == PruneCommand.OutputFormat.JSON) {
        out.println(io.registryreactive.cli.Json.array(items));
      } else {
        items.forEach(out::println);
      }
      return ExitCodes.OK;
    }
  }
}
