package io.registryreactive.cli;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code delete}: one image, by tag or digest, after confirmation. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete one image. Deleting a digest removes EVERY tag on it: they are listed before asking.",
      "A manifest that a tagged index in the repository lists is refused (exit 2) unless --force."
    })
final class DeleteCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(paramLabel = "REF", description = "repo:tag or repo@sha256:...")
  String reference;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation")
  boolean yes;

  @Option(
      names = "--force",
      description =
          "Delete even a manifest that a tagged index in the repository lists "
              + "(breaks that index)")
  boolean force;

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
      List<ImageMetadata> tagged =
          client
              .tags(meta.repository())
              .flatMap(
                  t ->
                      client
                          .metadata(ImageReference.of(meta.repository(), t))
                          .onErrorResume(NotFoundException.class, e -> Mono.empty()),
                  16)
              .onErrorResume(NotFoundException.class, e -> Flux.empty())
              .collectList()
              .block();
      List<String> tagsOnDigest =
          tagged.stream()
              .filter(m -> m.digest().equals(meta.digest()))
              .map(m -> m.tag().orElseThrow())
              .sorted()
              .toList();
      Map<String, List<String>> holders = taggedIndexesHolding(client, meta, tagged);
      if (!holders.isEmpty()) {
        String which =
            holders.entrySet().stream()
                .map(h -> h.getKey() + " (tags: " + String.join(", ", h.getValue()) + ")")
                .collect(Collectors.joining("; "));
        if (!force) {
          // Deleting a child answers 202 and leaves the index dangling: every pull of it, and every
          // later prune of the repository, then fails on the missing child.
          throw new IllegalArgumentException(
              meta.repository()
                  + "@"
                  + meta.digest()
                  + " is listed by the tagged index "
                  + which
                  + " in "
                  + meta.repository()
                  + "; deleting it breaks that index. Delete the index instead, "
                  + "or pass --force");
        }
        err.println(
            "warning: --force: deleting a manifest the tagged index "
                + which
                + " lists; that index breaks");
      }
      out.println("Delete " + meta.repository() + "@" + meta.digest());
      out.println(
          "This removes every tag on that digest: "
              + (tagsOnDigest.isEmpty() ? "(none)" : String.join(", ", tagsOnDigest)));
      if (!yes) {
        out.print("Delete? [y/N] ");
        out.flush();
        String answer =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (answer == null
            || !(answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"))) {
          out.println("Not deleted.");
          return ExitCodes.OK;
        }
      }
      DeleteResult result = client.delete(meta).block();
      out.println(result.deleted() ? "Deleted." : "Already gone.");
      return ExitCodes.OK;
    }
  }

  /**
   * The tagged indexes of the repository that list {@code target}, directly or through nested
   * indexes, each with its tags (index digest in order of first tag).
   */
  private static Map<String, List<String>> taggedIndexesHolding(
      ReactiveRegistryClient client, ImageMetadata target, List<ImageMetadata> tagged) {
    Map<String, List<String>> tagsByIndex = new TreeMap<>();
    for (ImageMetadata m : tagged) {
      if (MediaTypes.isIndex(m.mediaType()) && !m.digest().equals(target.digest())) {
        tagsByIndex.computeIfAbsent(m.digest(), d -> new ArrayList<>()).add(m.tag().orElseThrow());
      }
    }
    Map<String, List<String>> holders = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> index : tagsByIndex.entrySet()) {
      if (reaches(client, target.repository(), index.getKey(), target.digest(), new HashSet<>())) {
        holders.put(index.getKey(), index.getValue().stream().sorted().toList());
      }
    }
    return holders;
  }

  private static boolean reaches(
      ReactiveRegistryClient client,
      String repository,
      String indexDigest,
      String target,
      Set<String> seen) {
    if (!seen.add(indexDigest)) {
      return false;
    }
    Manifest manifest;
    try {
      manifest = client.manifest(ImageReference.of(repository, indexDigest)).block();
    } catch (NotFoundException e) {
      return false;
    }
    if (!(manifest instanceof ImageIndex index)) {
      return false;
    }
    for (Descriptor child : index.manifests()) {
      if (child.digest().equals(target)) {
        return true;
      }
      if (MediaTypes.isIndex(child.mediaType())
          && reaches(client, repository, child.digest(), target, seen)) {
        return true;
      }
    }
    return false;
  }
}
