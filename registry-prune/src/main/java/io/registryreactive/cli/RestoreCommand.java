package io.registryreactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.prune.DeletionJournal.Entry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code restore}: pushes the manifests (and tags) a {@code prune --apply} journal recorded back
 * into the registry. Blobs stay until garbage collection, so before it runs a deleted image comes
 * back exactly (same bytes, same digest); after it, the blobs are gone and the image cannot be
 * restored.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Push back the manifests and tags a 'prune --apply' journal recorded (until garbage collection "
          + "removes their blobs).",
      "Children are pushed before their index; every blob is checked first; a tag re-pushed since is left alone.",
      "Exit code 0: everything restored; 1: something could not be (listed)."
    })
final class RestoreCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Parameters(paramLabel = "JOURNAL", description = "The journal 'prune --apply' wrote (--journal)")
  Path journal;

  @Option(
      names = "--only",
      paramLabel = "REF",
      description =
          "Restore only this: repo:tag, repo@sha256:..., or repo (repeatable); an index brings its children")
  List<String> only = new ArrayList<>();

  /** One manifest to push back: the journal's entry, its tags merged over repeated entries. */
  private record Item(
      String registry,
      String repository,
      String digest,
      String mediaType,
      byte[] manifest,
      List<String> tags,
      List<String> children,
      List<String> blobs) {
    String ref() {
      return repository + "@" + digest;
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Everything about the journal is checked before the first request: bad input exits 2.
    Map<String, Item> items = items(JournalFile.read(journal));
    List<Item> selected = select(items);
    try (ReactiveRegistryClient client = connection.client(err)) {
      for (Item item : items.values()) {
        // Host checked per entry: a journal may have been appended to by runs against several
        // registries.
        String host = hostPort(item);
        if (!host.equalsIgnoreCase(client.registryHost())) {
          throw new IllegalArgumentException(
              "journal "
                  + journal
                  + " records registry "
                  + host
                  + ", not "
                  + client.registryHost()
                  + " (--registry)");
        }
      }
      if (selected.isEmpty()) {
        out.println("Nothing to restore: the journal has no entries.");
        return ExitCodes.OK;
      }
      Map<String, String> failed = new LinkedHashMap<>();
      Set<String> restored = new LinkedHashSet<>();
      int tagsRestored = 0;
      for (Item item : childrenFirst(selected)) {
        Optional<String> problem = check(client, item, restored, failed);
        if (problem.isPresent()) {
          failed.put(item.ref(), problem.get());
          out.println("NOT restored " + item.ref() + tagList(item.tags()) + ": " + problem.get());
          continue;
        }
        // By digest first: an untagged index child comes back too, and the registry confirms the
        // digest.
        ImageMetadata pushed =
            client
                .pushManifest(item.repository(), item.digest(), item.manifest(), item.mediaType())
                .block();
        if (!pushed.digest().equals(item.digest())) {
          failed.put(item.ref(), "the registry stored it as " + pushed.digest());
          out.println(
              "NOT restored " + item.ref() + ": the registry stored it as " + pushed.digest());
          continue;
        }
        List<String> leftAlone = new ArrayList<>();
        for (String tag : item.tags()) {
          Optional<String> now =
              client
                  .metadata(ImageReference.of(item.repository(), tag))
                  .map(ImageMetadata::digest)
                  .map(Optional::of)
                  .onErrorResume(NotFoundException.class, e -> Mono.just(Optional.empty()))
                  .block();
          if (now.isPresent() && !now.get().equals(item.digest())) {
            // Someone pushed this tag after the prune: moving it back would lose their image.
            leftAlone.add(tag + " (now " + now.get() + ")");
            continue;
          }
          client.pushManifest(item.repository(), tag, item.manifest(), item.mediaType()).block();
          tagsRestored++;
        }
        restored.add(item.ref());
        if (leftAlone.isEmpty()) {
          out.println("Restored " + item.ref() + tagList(item.tags()));
        } else {
          String reason =
              "tags pushed again since the prune, left alone: " + String.join(", ", leftAlone);
          failed.put(item.ref(), reason);
          out.println("Restored " + item.ref() + " but NOT all its tags: " + reason);
        }
      }
      out.printf(
          Locale.ROOT,
          "%nRestored: %d of %d manifests, %d tags; not restored: %d%n",
          restored.size(),
          selected.size(),
          tagsRestored,
          failed.size());
      if (!failed.isEmpty()) {
        err.println(
            "error: "
                + failed.size()
                + " of "
                + selected.size()
                + " manifests could not be (fully) restored");
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /** Why an item cannot be pushed back, if it cannot: blobs or child manifests missing. */
  private static Optional<String> check(
      ReactiveRegistryClient client, Item item, Set<String> restored, Map<String, String> failed) {
    List<String> missingChildren = new ArrayList<>();
    for (String child : item.children()) {
      String ref = item.repository() + "@" + child;
      if (restored.contains(ref)) {
        continue;
      }
      if (failed.containsKey(ref)) {
        return Optional.of("its child " + child + " could not be restored");
      }
      boolean present =
          client
              .metadata(ImageReference.of(item.repository(), child))
              .map(m -> true)
              .onErrorResume(NotFoundException.class, e -> Mono.just(false))
              .block();
      if (!present) {
        missingChildren.add(child);
      }
    }
    if (!missingChildren.isEmpty()) {
      return Optional.of(
          "child manifests missing from the registry and the journal: "
              + String.join(", ", missingChildren));
    }
    List<String> missingBlobs =
        Flux.fromIterable(item.blobs())
            .flatMapSequential(
                b -> client.blobExists(item.repository(), b).filter(exists -> !exists).map(x -> b),
                8)
            .collectList()
            .block();
    if (!missingBlobs.isEmpty()) {
      return Optional.of(
          missingBlobs.size()
              + " of "
              + item.blobs().size()
              + " blobs are gone (garbage collection "
              + "already ran): "
              + String.join(", ", missingBlobs));
    }
    return Optional.empty();
  }

  /** Journal entries by repository and digest; corrupt entries are bad input. */
  private Map<String, Item> items(List<Entry> entries) {
    Map<String, Item> items = new LinkedHashMap<>();
    for (Entry e : entries) {
      byte[] bytes = e.manifest();
      if (!e.digest().startsWith("sha256:") || !sha256(bytes).equals(e.digest())) {
        throw new IllegalArgumentException(
            "journal "
                + journal
                + ": the manifest recorded for "
                + e.repository()
                + "@"
                + e.digest()
                + " does not hash to its digest; the journal is damaged");
      }
      ImageReference.requireValidRepository(e.repository());
      e.tags().forEach(ImageReference::requireValidTag);
      JsonNode json;
      try {
        json = MAPPER.readTree(bytes);
      } catch (IOException ex) {
        throw new IllegalArgumentException(
            "journal "
                + journal
                + ": the manifest of "
                + e.repository()
                + "@"
                + e.digest()
                + " is not JSON",
            ex);
      }
      List<String> children = new ArrayList<>();
      json.path("manifests").forEach(m -> children.add(m.path("digest").asText()));
      List<String> blobs = new ArrayList<>();
      if (json.path("config").has("digest")) {
        blobs.add(json.path("config").path("digest").asText());
      }
      json.path("layers").forEach(l -> blobs.add(l.path("digest").asText()));
      String key = e.repository() + "@" + e.digest();
      Item before = items.get(key);
      Set<String> tags = new LinkedHashSet<>(before == null ? List.of() : before.tags());
      tags.addAll(e.tags());
      hostPortOf(e.registry());
      items.put(
          key,
          new Item(
              e.registry(),
              e.repository(),
              e.digest(),
              e.mediaType(),
              bytes,
              List.copyOf(tags),
              children,
              List.copyOf(new LinkedHashSet<>(blobs))));
    }
    return items;
  }

  /**
   * What {@code --only} picks (all if not given), with the journal's children of each picked index.
   */
  private List<Item> select(Map<String, Item> items) {
    Set<String> picked = new LinkedHashSet<>();
    if (only.isEmpty()) {
      picked.addAll(items.keySet());
    }
    for (String ref : only) {
      ImageReference r = ImageReference.parse(ref);
      String name = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
      boolean hasTag = !ref.contains("@") && name.lastIndexOf(':') > name.lastIndexOf('/');
      List<String> matches =
          items.values().stream()
              .filter(i -> i.repository().equals(r.repository()))
              .filter(i -> r.digest().map(d -> d.equals(i.digest())).orElse(true))
              .filter(i -> !hasTag || i.tags().contains(r.tag().orElseThrow()))
              .map(Item::ref)
              .toList();
      if (matches.isEmpty()) {
        throw new IllegalArgumentException(
            "--only " + ref + " matches no entry of journal " + journal);
      }
      picked.addAll(matches);
    }
    List<String> queue = new ArrayList<>(picked);
    for (int i = 0; i < queue.size(); i++) {
      Item item = items.get(queue.get(i));
      for (String child : item.children()) {
        String ref = item.repository() + "@" + child;
        if (items.containsKey(ref) && picked.add(ref)) {
          queue.add(ref);
        }
      }
    }
    return picked.stream().map(items::get).toList();
  }

  /**
   * Children before the indexes that list them (the registry refuses an index whose children are
   * absent).
   */
  private static List<Item> childrenFirst(List<Item> items) {
    Map<String, Item> pending = new LinkedHashMap<>();
    items.forEach(i -> pending.put(i.ref(), i));
    List<Item> ordered = new ArrayList<>();
    while (!pending.isEmpty()) {
      List<Item> ready =
          pending.values().stream()
              .filter(
                  i ->
                      i.children().stream()
                          .noneMatch(c -> pending.containsKey(i.repository() + "@" + c)))
              .toList();
      if (ready.isEmpty()) {
        // A cycle cannot come from real digests; push the rest as they are and let the registry
        // judge.
        ordered.addAll(pending.values());
        break;
      }
      ready.forEach(i -> pending.remove(i.ref()));
      ordered.addAll(ready);
    }
    return ordered;
  }

  private static String tagList(List<String> tags) {
    return tags.isEmpty() ? " (untagged)" : " (tags: " + String.join(", ", tags) + ")";
  }

  private String hostPort(Item item) {
    return hostPortOf(item.registry());
  }

  private String hostPortOf(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "journal " + journal + ": registry '" + url + "' is not a URL", e);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(
          "journal " + journal + ": registry '" + url + "' has no host");
    }
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
