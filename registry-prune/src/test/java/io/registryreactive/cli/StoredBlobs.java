package io.registryreactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a CNCF distribution registry's {@code filesystem} storage holds, read straight from its
 * layout on disk (not through the registry or the SDK), so tests can check the pruner's plan and
 * estimate against an independent account.
 *
 * <p>The layout, under {@code docker/registry/v2/}: {@code blobs/sha256/<2 hex>/<hex>/data} for
 * every blob and manifest body; {@code repositories/<name>/_manifests/revisions/sha256/<hex>/link}
 * for every manifest a repository holds, tagged or not; {@code
 * repositories/<name>/_manifests/tags/<tag>/current/link} for the digest each tag points at.
 */
final class StoredBlobs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path v2;

  private StoredBlobs(Path storageRoot) {
    this.v2 = storageRoot.resolve("docker").resolve("registry").resolve("v2");
  }

  /**
   * @param storageRoot the registry's {@code storage.filesystem.rootdirectory}
   * @return a reader of that storage; it reads the disk anew on every call
   */
  static StoredBlobs in(Path storageRoot) {
    return new StoredBlobs(storageRoot);
  }

  /**
   * @return every stored blob (manifests included) as digest to the size of its {@code data} file
   */
  Map<String, Long> blobSizes() {
    Map<String, Long> sizes = new TreeMap<>();
    Path root = v2.resolve("blobs").resolve("sha256");
    if (!Files.isDirectory(root)) {
      return sizes;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path data : files.filter(p -> p.getFileName().toString().equals("data")).toList()) {
        sizes.put("sha256:" + data.getParent().getFileName(), Files.size(data));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the blobs under " + root, e);
    }
    return sizes;
  }

  /**
   * @return each repository's manifests (its revision links), tagged or not, by repository name
   */
  Map<String, Set<String>> manifests() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Map.Entry<String, Path> repo : repositories().entrySet()) {
      Path revisions = repo.getValue().resolve("revisions").resolve("sha256");
      Set<String> digests = new TreeSet<>();
      for (Path dir : children(revisions)) {
        // A manifest deleted through the API loses its link file; distribution leaves the folder.
        Path link = dir.resolve("link");
        if (Files.isRegularFile(link)) {
          digests.add(readLink(link));
        }
      }
      if (!digests.isEmpty()) {
        out.put(repo.getKey(), digests);
      }
    }
    return out;
  }

  /**
   * @return every tag as {@code repo:tag} to the digest its {@code current/link} names
   */
  Map<String, String> tags() {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Path> repo : repositories().entrySet()) {
      for (Path tag : children(repo.getValue().resolve("tags"))) {
        Path link = tag.resolve("current").resolve("link");
        if (Files.isRegularFile(link)) {
          out.put(repo.getKey() + ":" + tag.getFileName(), readLink(link));
        }
      }
    }
    return out;
  }

  /**
   * The blobs that the manifests still in storage need: for every manifest of every repository, its
   * own bytes, its config and layers, and (for an index) its children with everything they need,
   * followed from the stored manifest bodies. A referenced manifest whose body is gone is listed
   * all the same (it is needed), but nothing below it can be.
   *
   * @return the digests, sorted
   */
  Set<String> blobsOfStoredManifests() {
    Set<String> needed = new TreeSet<>();
    Deque<String> manifests = new ArrayDeque<>();
    manifests().values().forEach(manifests::addAll);
    while (!manifests.isEmpty()) {
      String digest = manifests.pop();
      if (!needed.add(digest)) {
        continue;
      }
      JsonNode manifest = readManifest(digest);
      if (manifest == null) {
        continue;
      }
      manifest.path("manifests").forEach(child -> manifests.push(child.path("digest").asText()));
      JsonNode config = manifest.path("config").path("digest");
      if (config.isTextual()) {
        needed.add(config.asText());
      }
      manifest.path("layers").forEach(layer -> needed.add(layer.path("digest").asText()));
    }
    return needed;
  }

  /**
   * @param before blob sizes before garbage collection
   * @param after blob sizes after it
   * @return the summed sizes of the blobs in {@code before} that are not in {@code after}
   */
  static long freed(Map<String, Long> before, Map<String, Long> after) {
    return before.entrySet().stream()
        .filter(e -> !after.containsKey(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Repository name ({@code team/a}) to its {@code _manifests} directory. */
  private Map<String, Path> repositories() {
    Map<String, Path> out = new TreeMap<>();
    Path root = v2.resolve("repositories");
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.walk(root)) {
      dirs.filter(p -> p.getFileName().toString().equals("_manifests") && Files.isDirectory(p))
          .forEach(p -> out.put(root.relativize(p.getParent()).toString().replace('\\', '/'), p));
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the repositories under " + root, e);
    }
    return out;
  }

  private JsonNode readManifest(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    Path data =
        v2.resolve("blobs")
            .resolve("sha256")
            .resolve(hex.substring(0, 2))
            .resolve(hex)
            .resolve("data");
    try {
      return JSON.readTree(Files.readAllBytes(data));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the manifest " + data, e);
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readString(link, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + link, e);
    }
  }

  private static java.util.List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir, e);
    }
  }
}
