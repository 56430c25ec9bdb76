package io.registryreactive.prune;

import io.registryreactive.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the garbage collector of a CNCF distribution registry on this host: {@code docker-registry
 * garbage-collect CONFIG} (Debian's binary) or {@code registry garbage-collect CONFIG}, and
 * measures the storage directory before and after.
 *
 * <p>Deleting manifests frees no space by itself: the blobs stay until garbage collection. The
 * collector is stop-the-world: run it only while the registry is stopped or in read-only mode
 * ({@code storage.maintenance.readonly.enabled: true}), or uploads in progress can be corrupted.
 * {@code --delete-untagged} is never passed to a 2.x registry, where it also deletes the untagged
 * children of tagged multi-platform indexes (fixed in 3.0).
 *
 * <p>The process runs on Reactor's bounded-elastic scheduler, never on an event loop.
 */
public final class GarbageCollector {
  /** Default limit on one garbage collection: 30 minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) blobs marked, (\\d+) blobs and (\\d+) manifests eligible for deletion");
  private static final Pattern VERSION = Pattern.compile("\\bv?(\\d+)\\.(\\d+)\\.(\\d+)");

  private final Path config;
  private final @Nullable Path binary;
  private final @Nullable Path storage;
  private final Duration timeout;
  private final boolean deleteUntagged;

  private GarbageCollector(
      Path config,
      @Nullable Path binary,
      @Nullable Path storage,
      Duration timeout,
      boolean deleteUntagged) {
    this.config = config;
    this.binary = binary;
    this.storage = storage;
    this.timeout = timeout;
    this.deleteUntagged = deleteUntagged;
  }

  /**
   * A collector for the registry configured by a file.
   *
   * @param configYml the registry's {@code config.yml}
   * @return the collector; the binary is {@code $REGISTRY_BIN}, else {@code docker-registry} or
   *     {@code registry} on the PATH
   */
  public static GarbageCollector forConfig(Path configYml) {
    return new GarbageCollector(
        Objects.requireNonNull(configYml, "'configYml' must not be null"),
        null,
        null,
        DEFAULT_TIMEOUT,
        false);
  }

  /**
   * @param registryBinary the registry executable to run
   * @return a collector using it
   */
  public GarbageCollector binary(Path registryBinary) {
    return new GarbageCollector(
        config,
        Objects.requireNonNull(registryBinary, "'registryBinary'"),
        storage,
        timeout,
        deleteUntagged);
  }

  /**
   * @param storageDirectory the filesystem storage root to measure; default the {@code
   *     storage.filesystem.rootdirectory} of the config
   * @return a collector measuring it
   */
  public GarbageCollector storageDirectory(Path storageDirectory) {
    return new GarbageCollector(
        config,
        binary,
        Objects.requireNonNull(storageDirectory, "'storageDirectory'"),
        timeout,
        deleteUntagged);
  }

  /**
   * @param limit the longest one run may take; default {@link #DEFAULT_TIMEOUT}
   * @return a collector with that limit
   */
  public GarbageCollector timeout(Duration limit) {
    return new GarbageCollector(
        config, binary, storage, Objects.requireNonNull(limit, "'limit'"), deleteUntagged);
  }

  /**
   * Also delete manifests without tags. Refused (at run time) by registries older than 3.0, where
   * it breaks multi-platform images; default off.
   *
   * @param enabled whether to pass {@code --delete-untagged}
   * @return a collector with that setting
   */
  public GarbageCollector deleteUntagged(boolean enabled) {
    return new GarbageCollector(config, binary, storage, timeout, enabled);
  }

  /**
   * Runs the collector.
   *
   * @param dryRun only report what would be deleted ({@code --dry-run})
   * @return the result; errors with {@link RegistryException} when the binary is missing, the run
   *     fails or times out (its output is in the message), or {@code --delete-untagged} was asked
   *     of a 2.x registry
   */
  public Mono<GcReport> run(boolean dryRun) {
    return Mono.fromCallable(() -> runBlocking(dryRun)).subscribeOn(Schedulers.boundedElastic());
  }

  private GcReport runBlocking(boolean dryRun) throws IOException, InterruptedException {
    Path exe =
        binary != null
            ? binary
            : findBinary()
                .orElseThrow(
                    () ->
                        new RegistryException(
                            "no registry binary found: set REGISTRY_BIN or install one (Debian/Ubuntu: apt-get install -y docker-registry)"));
    String version = version(exe);
    if (deleteUntagged && majorVersion(version) < 3) {
      throw new RegistryException(
          "refusing --delete-untagged on registry "
              + version
              + ": before 3.0 it also deletes the untagged children of tagged multi-platform indexes");
    }
    Path storageDir = storage != null ? storage : rootDirectory(config).orElse(null);
    long before = storageDir == null ? -1 : sizeOf(storageDir);
    List<String> cmd = new ArrayList<>(List.of(exe.toString(), "garbage-collect"));
    if (dryRun) {
      cmd.add("--dry-run");
    }
    if (deleteUntagged) {
      cmd.add("--delete-untagged");
    }
    cmd.add(config.toString());
    ProcessResult result = execute(cmd, timeout);
    if (result.exitCode != 0) {
      throw new RegistryException(
          "garbage-collect exited with " + result.exitCode + ": " + tail(result.output));
    }
    long after = storageDir == null ? -1 : sizeOf(storageDir);
    Matcher m = SUMMARY.matcher(result.output);
    boolean found = m.find();
    return new GcReport(
        dryRun,
        version,
        before,
        after,
        found ? Long.parseLong(m.group(2)) : -1,
        found ? Long.parseLong(m.group(3)) : -1,
        tail(result.output));
  }

  /**
   * @return the binary this machine would use, if any
   */
  public static Optional<Path> findBinary() {
    String env = System.getenv("REGISTRY_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Paths.get(env);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : List.of("docker-registry", "registry")) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path candidate = Paths.get(dir, name);
          if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
            return Optional.of(candidate);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The filesystem root of a registry config ({@code storage.filesystem.rootdirectory}), read
   * without a YAML library: enough for the flat configs registries use.
   *
   * @param configYml the config file
   * @return the directory, if the config names one
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Optional<Path> rootDirectory(Path configYml) {
    String env = System.getenv("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY");
    if (env != null && !env.isBlank()) {
      return Optional.of(Paths.get(env));
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(configYml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + configYml, e);
    }
    int storageIndent = -1;
    int filesystemIndent = -1;
    for (String raw : lines) {
      String line = raw.replaceFirst("\\s+#.*$", "");
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      String key = line.strip();
      if (storageIndent >= 0 && indent <= storageIndent) {
        storageIndent = -1;
        filesystemIndent = -1;
      }
      if (filesystemIndent >= 0 && indent <= filesystemIndent) {
        filesystemIndent = -1;
      }
      if (key.equals("storage:")) {
        storageIndent = indent;
      } else if (storageIndent >= 0 && key.equals("filesystem:")) {
        filesystemIndent = indent;
      } else if (filesystemIndent >= 0 && key.startsWith("rootdirectory:")) {
        String value =
            key.substring("rootdirectory:".length()).strip().replaceAll("^[\"']|[\"']$", "");
        return value.isEmpty() ? Optional.empty() : Optional.of(Paths.get(value));
      }
    }
    return Optional.empty();
  }

  private static String version(Path exe) throws IOException, InterruptedException {
    ProcessResult r = execute(List.of(exe.toString(), "--version"), Duration.ofSeconds(30));
    Matcher m = VERSION.matcher(r.output);
    return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : "unknown";
  }

  private static int majorVersion(String version) {
    try {
      return Integer.parseInt(version.substring(0, version.indexOf('.')));
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private record ProcessResult(int exitCode, String output) {}

  private static ProcessResult execute(List<String> cmd, Duration limit)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    process.getOutputStream().close();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new RegistryException(
          String.join(" ", cmd.subList(0, Math.min(2, cmd.size())))
              + " did not finish within "
              + limit);
    }
    return new ProcessResult(process.exitValue(), output.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String output) {
    String[] lines = output.strip().split("\n");
    int from = Math.max(0, lines.length - 20);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  /**
   * What one garbage collection did.
   *
   * @param dryRun whether it only reported
   * @param registryVersion the registry binary's version
   * @param storageBytesBefore bytes under the storage root before ({@code -1} if unknown)
   * @param storageBytesAfter bytes after ({@code -1} if unknown)
   * @param blobsEligible blobs the collector found unreferenced ({@code -1} if it did not say)
   * @param manifestsEligible manifests it found unreferenced ({@code -1} if it did not say)
   * @param outputTail the last lines of its output
   */
  public record GcReport(
      boolean dryRun,
      String registryVersion,
      long storageBytesBefore,
      long storageBytesAfter,
      long blobsEligible,
      long manifestsEligible,
      String outputTail) {

    /**
     * @return bytes freed ({@code storageBytesBefore - storageBytesAfter}), 0 if unknown
     */
    public long bytesFreed() {
      return storageBytesBefore < 0 || storageBytesAfter < 0
          ? 0
          : storageBytesBefore - storageBytesAfter;
    }
  }
}
