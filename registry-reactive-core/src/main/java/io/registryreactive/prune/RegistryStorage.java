package io.registryreactive.prune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Read-only view of a CNCF distribution registry's {@code filesystem} storage, for what the HTTP
 * API does not tell: when a tag was pushed ({@code _manifests/tags/<tag>/current/link}'s
 * modification time) and which manifest revisions a repository holds, tagged or not ({@code
 * _manifests/revisions/sha256/<hex>/link}). Nothing is ever written. Every file is read on {@link
 * Schedulers#boundedElastic()}, never on the subscriber's thread.
 *
 * <pre>{@code
 * RegistryStorage storage = RegistryConfig.read(Path.of("/etc/docker/registry/config.yml"))
 *     .map(RegistryStorage::of).block();
 * }</pre>
 */
public final class RegistryStorage {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private final Path root;

  private RegistryStorage(Path root) {
    this.root = root;
  }

  /**
   * @param config the registry's config
   * @return the storage its {@code filesystem} driver uses
   * @throws IllegalArgumentException if the registry uses another storage driver
   */
  public static RegistryStorage of(RegistryConfig config) {
    return new RegistryStorage(
        Objects.requireNonNull(config, "'config' must not be null").requireFilesystemRoot());
  }

  /**
   * @param rootDirectory the filesystem driver's {@code rootdirectory}
   * @return the storage under it
   */
  public static RegistryStorage ofRoot(Path rootDirectory) {
    return new RegistryStorage(
        Objects.requireNonNull(rootDirectory, "'rootDirectory' must not be null"));
  }

  /**
   * @return the storage root directory
   */
  public Path root() {
    return root;
  }

  private Path manifests(String repository) {
    return root.resolve("docker/registry/v2/repositories")
        .resolve(repository)
        .resolve("_manifests");
  }

  /**
   * When each tag was last pushed (or moved): the modification time of its {@code current/link}.
   *
   * @param repository the repository
   * @return tag to push time; empty for a repository the storage does not have
   */
  public Mono<Map<String, Instant>> tagPushTimes(String repository) {
    Objects.requireNonNull(repository, "'repository' must not be null");
    return Mono.fromCallable(
            () -> {
              Map<String, Instant> out = new LinkedHashMap<>();
              for (Path tagDir : list(manifests(repository).resolve("tags"))) {
                Path link = tagDir.resolve("current/link");
                try {
                  out.put(
                      tagDir.getFileName().toString(), Files.getLastModifiedTime(link).toInstant());
                } catch (NoSuchFileException e) {
                  // A tag directory without a current link is not a tag (deleted, or being
                  // written).
                }
              }
              return out;
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Every manifest revision the repository holds, tagged or not: the revision links whose content
   * names their own digest (a link that does not is ignored).
   *
   * @param repository the repository
   * @return the manifest digests, sorted; empty for a repository the storage does not have
   */
  public Mono<List<String>> manifestRevisions(String repository) {
    return manifestRevisionTimes(repository).map(m -> List.copyOf(m.keySet()));
  }

  /**
   * Every manifest revision the repository holds, tagged or not, with when it was pushed: the
   * modification time of its revision link (a link whose content does not name its own digest is
   * ignored).
   *
   * @param repository the repository
   * @return manifest digest to push time, sorted by digest; empty for a repository the storage does
   *     not have
   */
  public Mono<Map<String, Instant>> manifestRevisionTimes(String repository) {
    Objects.requireNonNull(repository, "'repository' must not be null");
    return Mono.fromCallable(
            () -> {
              Map<String, Instant> out = new java.util.TreeMap<>();
              for (Path dir : list(manifests(repository).resolve("revisions/sha256"))) {
                String hex = dir.getFileName().toString();
                if (!HEX.matcher(hex).matches()) {
                  continue;
                }
                Path link = dir.resolve("link");
                try {
                  String content = Files.readString(link, StandardCharsets.UTF_8).strip();
                  if (content.equals("sha256:" + hex)) {
                    out.put(content, Files.getLastModifiedTime(link).toInstant());
                  }
                } catch (NoSuchFileException e) {
                  // No link: the revision was deleted through the API.
                }
              }
              return out;
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).sorted().toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    return "RegistryStorage[" + root + "]";
  }
}
