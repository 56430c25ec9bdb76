package io.registryreactive.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import io.registryreactive.prune.RegistryConfig;
import io.registryreactive.prune.RegistryStorage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code usage}: what each repository holds and what deleting it would free. Blobs (manifests
 * included, as the registry stores them) are counted once; a blob another repository also
 * references is not unique and would not be freed.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune usage --registry http://127.0.0.1:5000",
      "  registry-prune usage --registry-config /etc/docker/registry/config.yml",
      "  registry-prune usage --repository-name team/app --output json"
    },
    description = {
      "Per repository: tags, manifests (tagged; untagged only with --registry-config), bytes",
      "referenced, bytes unique to it, and what garbage collection would free if it were deleted."
    })
final class UsageCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(
      names = "--repository-name",
      paramLabel = "NAME",
      description =
          "Only these repositories, without reading "
              + "the catalog (repeatable); blobs shared with unnamed repositories are then not seen")
  List<String> repositoryNames = new ArrayList<>();

  @Option(
      names = "--registry-config",
      paramLabel = "CONFIG",
      description =
          "The registry's config.yml, for untagged "
              + "manifests from its filesystem storage (read-only)")
  Path registryConfig;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format")
  PruneCommand.OutputFormat output;

  /** One repository's figures. */
  record RepositoryUsage(
      String repository,
      int tags,
      int taggedManifests,
      Integer untaggedManifests,
      long bytesReferenced,
      long bytesUnique,
      long freedIfDeleted) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Optional<RegistryStorage> storage =
        registryConfig == null
            ? Optional.empty()
            : Optional.of(
                RegistryStorage.of(RegistryConfig.readNow(registryConfig, System.getenv())));
    try (ReactiveRegistryClient client = connection.client(spec.commandLine().getErr())) {
      List<String> repos =
          repositoryNames.isEmpty()
              ? client.catalog().collectList().block()
              : repositoryNames.stream()
                  .map(ImageReference::requireValidRepository)
                  .distinct()
                  .toList();
      Map<String, Map<String, Long>> blobsByRepo = new LinkedHashMap<>();
      Map<String, int[]> counts = new LinkedHashMap<>();
      for (String repo : repos) {
        Map<String, String> tags =
            Flux.fromIterable(tagsOf(client, repo))
                .flatMap(
                    tag ->
                        client
                            .manifest(ImageReference.of(repo, tag))
                            .map(m -> Map.entry(tag, m.digest())),
                    8)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
        Set<String> tagged = new TreeSet<>(tags.values());
        Set<String> roots = new TreeSet<>(tagged);
        Integer untagged = null;
        if (storage.isPresent()) {
          List<String> revisions = storage.get().manifestRevisions(repo).block();
          roots.addAll(revisions);
          untagged = (int) revisions.stream().filter(d -> !tagged.contains(d)).count();
        }
        Map<String, Long> blobs = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        Set<String> children = new HashSet<>();
        while (!todo.isEmpty()) {
          String digest = todo.pop();
          if (!seen.add(digest)) {
            continue;
          }
          Manifest m =
              client
                  .manifest(ImageReference.of(repo, digest))
                  .onErrorResume(NotFoundException.class, e -> Mono.empty())
                  .block();
          if (m == null) {
            continue;
          }
          blobs.put(m.digest(), (long) m.size());
          if (m instanceof ImageIndex index) {
            index
                .childDigests()
                .forEach(
                    c -> {
                      children.add(c);
                      todo.push(c);
                    });
          } else if (m instanceof ImageManifest image) {
            blobs.put(image.config().digest(), image.config().size());
            for (Descriptor layer : image.layers()) {
              if (layer.urls().isEmpty()) {
                blobs.put(layer.digest(), layer.size());
              }
            }
          }
        }
        if (untagged != null) {
          // Children of a tagged index are untagged revisions too, but they are held: count them
          // apart.
          untagged =
              (int)
                  storage.get().manifestRevisions(repo).block().stream()
                      .filter(d -> !tagged.contains(d) && !children.contains(d))
                      .count();
        }
        blobsByRepo.put(repo, blobs);
        counts.put(repo, new int[] {tags.size(), tagged.size(), untagged == null ? -1 : untagged});
      }
      Map<String, Integer> holders = new HashMap<>();
      blobsByRepo.values().forEach(b -> b.keySet().forEach(d -> holders.merge(d, 1, Integer::sum)));
      List<RepositoryUsage> rows = new ArrayList<>();
      blobsByRepo.forEach(
          (repo, blobs) -> {
            long referenced = blobs.values().stream().mapToLong(Long::longValue).sum();
            long unique =
                blobs.entrySet().stream()
                    .filter(e -> holders.get(e.getKey()) == 1)
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            int[] c = counts.get(repo);
            rows.add(
                new RepositoryUsage(
                    repo, c[0], c[1], c[2] < 0 ? null : c[2], referenced, unique, unique));
          });
      rows.sort(
          Comparator.comparingLong(RepositoryUsage::bytesUnique)
              .reversed()
              .thenComparing(RepositoryUsage::repository));
      print(out, rows, storage.isPresent());
      return ExitCodes.OK;
    }
  }

  private static List<String> tagsOf(ReactiveRegistryClient client, String repo) {
    return client
        .tags(repo)
        .collectList()
        .onErrorResume(NotFoundException.class, e -> Mono.just(List.of()))
        .block();
  }

  private void print(PrintWriter out, List<RepositoryUsage> rows, boolean withStorage) {
    if (output == PruneCommand.OutputFormat.JSON) {
      try {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("untaggedVisible", withStorage);
        doc.put("repositories", rows);
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    out.printf(
        Locale.ROOT,
        "%-40s %6s %8s %9s %12s %12s %14s%n",
        "REPOSITORY",
        "TAGS",
        "TAGGED",
        "UNTAGGED",
        "REFERENCED",
        "UNIQUE",
        "FREED IF DELETED");
    for (RepositoryUsage r : rows) {
      out.printf(
          Locale.ROOT,
          "%-40s %6d %8d %9s %12s %12s %14s%n",
          r.repository(),
          r.tags(),
          r.taggedManifests(),
          r.untaggedManifests() == null ? "?" : String.valueOf(r.untaggedManifests()),
          TextReport.bytes(r.bytesReferenced()),
          TextReport.bytes(r.bytesUnique()),
          TextReport.bytes(r.freedIfDeleted()));
    }
    if (!withStorage) {
      out.println(
          "Untagged manifests are not visible without --registry-config: their blobs are not counted, so "
              + "UNIQUE and FREED IF DELETED are upper bounds.");
    }
  }
}
