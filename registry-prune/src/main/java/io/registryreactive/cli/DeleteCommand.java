package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;

/** {@code delete}: one image, by tag or digest, after confirmation. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete one image. Deleting a digest removes EVERY tag on it: they are listed before asking."})
final class DeleteCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Parameters(paramLabel = "REF", description = "repo:tag or repo@sha256:...")
  String reference;

  @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
  boolean yes;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImageReference ref = ImageReference.parse(reference);
    if (!yes && System.console() == null) {
      throw new IllegalArgumentException("standard input is not a terminal: confirm with --yes");
    }
    try (ReactiveRegistryClient client = connection.client(err)) {
      ImageMetadata meta = client.metadata(ref).block();
      List<String> tagsOnDigest = client.tags(meta.repository())
          .flatMap(t -> client.metadata(ImageReference.of(meta.repository(), t))
              .filter(m -> m.digest().equals(meta.digest())).map(m -> t), 16)
          .onErrorResume(io.registryreactive.NotFoundException.class, e -> Flux.empty())
          .sort().collectList().block();
      out.println("Delete " + meta.repository() + "@" + meta.digest());
      out.println("This removes every tag on that digest: " + (tagsOnDigest.isEmpty() ? "(none)" : String.join(", ", tagsOnDigest)));
      if (!yes) {
        out.print("Delete? [y/N] ");
        out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (answer == null || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
          out.println("Not deleted.");
          return ExitCodes.OK;
        }
      }
      DeleteResult result = client.delete(meta).block();
      out.println(result.deleted() ? "Deleted." : "Already gone.");
      return ExitCodes.OK;
    }
  }
}
