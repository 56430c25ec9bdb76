package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code ls}: repositories, or the tags of one, in version order. */
@Command(
    name = "ls",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune ls --registry http://127.0.0.1:5000",
      "  registry-prune ls myimage --long --filter '^0\\.1\\.'",
      "  REGISTRY_URL=https://registry.example.com registry-prune ls myimage"
    },
    description =
        "List repositories, or the tags of REPOSITORY, sorted as versions (1.9 before 1.10).")
final class LsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(
      arity = "0..1",
      paramLabel = "REPOSITORY",
      description = "List this repository's tags")
  String repository;

  @Option(
      names = "--filter",
      paramLabel = "REGEX",
      description = "Only names in which REGEX is found (anchor with ^ and $)")
  String filter;

  @Option(
      names = {"-l", "--long"},
      description =
          "With REPOSITORY: digest, size, created and media type of each tag "
              + "(a manifest GET per tag and a config GET per image, in parallel up to --concurrency)")
  boolean longFormat;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format")
  PruneCommand.OutputFormat output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Pattern pattern;
    try {
      pattern = filter == null ? null : Pattern.compile(filter);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "--filter: not a regular expression: " + e.getDescription(), e);
    }
    if (longFormat && repository == null) {
      throw new IllegalArgumentException("--long lists a repository's tags: give REPOSITORY");
    }
    try (ReactiveRegistryClient client = connection.client(spec.commandLine().getErr())) {
      List<String> items =
          (repository == null ? client.catalog() : client.tags(repository))
              .filter(name -> pattern == null || pattern.matcher(name).find())
              .collectSortedList(Readable.VERSION_ORDER)
              .block();
      if (!longFormat) {
        if (output == PruneCommand.OutputFormat.JSON) {
          out.println(Json.array(items));
        } else {
          items.forEach(out::println);
        }
        return ExitCodes.OK;
      }
      List<Map<String, Object>> rows =
          Flux.fromIterable(items)
              .flatMapSequential(tag -> row(client, tag), Math.max(1, connection.concurrency))
              .collectList()
              .block();
      if (output == PruneCommand.OutputFormat.JSON) {
        out.println(Json.write(rows));
        return ExitCodes.OK;
      }
      int width = Math.max(3, items.stream().mapToInt(String::length).max().orElse(3));
      String format = "%-" + width + "s  %-19s  %10s  %-20s  %s%n";
      out.printf(Locale.ROOT, format, "TAG", "DIGEST", "SIZE", "CREATED", "MEDIA TYPE");
      for (Map<String, Object> r : rows) {
        out.printf(
            Locale.ROOT,
            format,
            r.get("tag"),
            TextReport.shortDigest((String) r.get("digest")),
            r.get("size") == null ? "-" : Readable.size((Long) r.get("size")),
            r.get("created") == null ? "-" : r.get("created"),
            r.get("mediaType"));
      }
      return ExitCodes.OK;
    }
  }

  private Mono<Map<String, Object>> row(ReactiveRegistryClient client, String tag) {
    return client
        .manifest(ImageReference.of(repository, tag))
        .flatMap(
            m ->
                created(client, m)
                    .map(
                        created -> {
                          Map<String, Object> r = new LinkedHashMap<>();
                          r.put("tag", tag);
                          r.put("digest", m.digest());
                          r.put("mediaType", m.mediaType());
                          // An index's own size says nothing about its images; its children are in
                          // 'inspect'.
                          r.put(
                              "size", m instanceof ImageManifest image ? image.totalSize() : null);
                          r.put("created", created.isEmpty() ? null : created);
                          if (m instanceof ImageIndex index) {
                            r.put("manifests", index.manifests().size());
                          }
                          return r;
                        }));
  }

  private Mono<String> created(ReactiveRegistryClient client, Manifest m) {
    if (m instanceof ImageManifest image) {
      return Readable.config(client, repository, image.config().digest())
          .map(c -> c.created().orElse(""));
    }
    return Mono.just("");
  }
}
