package io.registryreactive.prune;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What pruning needs from a CNCF distribution registry's {@code config.yml}: the storage driver
 * and, for the {@code filesystem} driver, its root directory; whether {@code
 * storage.maintenance.readonly} is enabled; and {@code http.addr}. Parsed as YAML; the environment
 * overrides distribution itself honours ({@code REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY}, {@code
 * REGISTRY_HTTP_ADDR}) win, as they do for the registry. Immutable.
 *
 * @param file the file read
 * @param storageDriver the storage driver configured ({@code filesystem}, {@code s3}, {@code
 *     inmemory}, ...)
 * @param rootDirectory the filesystem driver's {@code rootdirectory}; empty for other drivers, or
 *     when unset (distribution's default is {@code /var/lib/registry})
 * @param readOnly whether {@code storage.maintenance.readonly.enabled} is true
 * @param httpAddr {@code http.addr} as configured, such as {@code :5000} or {@code 127.0.0.1:5000}
 */
public record RegistryConfig(
    Path file,
    String storageDriver,
    Optional<Path> rootDirectory,
    boolean readOnly,
    Optional<String> httpAddr) {

  /** Distribution's default root directory of the filesystem driver. */
  public static final Path DEFAULT_ROOT = Path.of("/var/lib/registry");

  /** Config files larger than this are not registry configs. */
  static final int MAX_BYTES = 1024 * 1024;

  /** Keys under {@code storage} that configure the storage rather than name its driver. */
  private static final Set<String> STORAGE_PARAMETERS =
      Set.of("delete", "redirect", "cache", "maintenance", "tag");

  /**
   * @throws NullPointerException if a component is null
   * @param file the file read
   * @param storageDriver the storage driver configured ({@code filesystem}, {@code s3}, {@code
   *     inmemory}, ...)
   * @param rootDirectory the filesystem driver's {@code rootdirectory}; empty for other drivers, or
   *     when unset (distribution's default is {@code /var/lib/registry})
   * @param readOnly whether {@code storage.maintenance.readonly.enabled} is true
   * @param httpAddr {@code http.addr} as configured, such as {@code :5000} or {@code
   *     127.0.0.1:5000}
   */
  public RegistryConfig {
    Objects.requireNonNull(file, "'file' must not be null");
    Objects.requireNonNull(storageDriver, "'storageDriver' must not be null");
    Objects.requireNonNull(rootDirectory, "'rootDirectory' must not be null");
    Objects.requireNonNull(httpAddr, "'httpAddr' must not be null");
  }

  /**
   * Reads a config file on {@link Schedulers#boundedElastic()}, never on the caller's thread.
   *
   * @param configYml the registry's config file
   * @return the config; errors with {@link IllegalArgumentException} if the file is missing, not a
   *     regular file, larger than 1 MiB, not YAML, or names no single storage driver
   */
  public static Mono<RegistryConfig> read(Path configYml) {
    Objects.requireNonNull(configYml, "'configYml' must not be null");
    return Mono.fromCallable(() -> readNow(configYml, System.getenv()))
        .subscribeOn(Schedulers.boundedElastic());
  }

  /**
   * Reads a config file on the calling thread (blocking file I/O: for command-line tools and
   * tests).
   *
   * @param configYml the registry's config file
   * @param env the environment whose {@code REGISTRY_*} overrides apply
   * @return the config
   * @throws IllegalArgumentException as {@link #read(Path)} errors
   */
  public static RegistryConfig readNow(Path configYml, Map<String, String> env) {
    byte[] bytes;
    try {
      if (!Files.isRegularFile(configYml)) {
        throw new IllegalArgumentException(
            "registry config "
                + configYml
                + (Files.exists(configYml) ? " is not a regular file" : ": no such file"));
      }
      try (InputStream in = Files.newInputStream(configYml)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("registry config " + configYml + ": no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read registry config " + configYml, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("registry config " + configYml + " is larger than 1 MiB");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(bytes);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "registry config " + configYml + " is not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read registry config " + configYml, e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("registry config " + configYml + " is not a YAML mapping");
    }
    JsonNode storage = root.path("storage");
    List<String> drivers = new ArrayList<>();
    for (Iterator<String> it = storage.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!STORAGE_PARAMETERS.contains(key)) {
        drivers.add(key);
      }
    }
    if (drivers.size() != 1) {
      throw new IllegalArgumentException(
          "registry config "
              + configYml
              + " names "
              + (drivers.isEmpty() ? "no storage driver" : "several storage drivers " + drivers)
              + " under 'storage'; exactly one is expected");
    }
    String driver = drivers.get(0);
    Optional<Path> rootDir = Optional.empty();
    if (driver.equals("filesystem")) {
      String envRoot = env.get("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY");
      String configured = storage.path("filesystem").path("rootdirectory").asText("");
      String value = envRoot != null && !envRoot.isBlank() ? envRoot : configured;
      rootDir = value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }
    boolean readOnly =
        storage.path("maintenance").path("readonly").path("enabled").asBoolean(false);
    String envAddr = env.get("REGISTRY_HTTP_ADDR");
    String addr =
        envAddr != null && !envAddr.isBlank() ? envAddr : root.path("http").path("addr").asText("");
    return new RegistryConfig(
        configYml,
        driver,
        rootDir,
        readOnly,
        addr.isBlank() ? Optional.empty() : Optional.of(addr.strip()));
  }

  /**
   * The storage root of the {@code filesystem} driver.
   *
   * @return the root directory ({@link #DEFAULT_ROOT} when the config leaves it unset)
   * @throws IllegalArgumentException if the registry uses another driver: its storage cannot be
   *     read from this host
   */
  public Path requireFilesystemRoot() {
    if (!storageDriver.equals("filesystem")) {
      throw new IllegalArgumentException(
          "registry config "
              + file
              + " uses the '"
              + storageDriver
              + "' storage driver; only the 'filesystem' driver can be read from this host");
    }
    return rootDirectory.orElse(DEFAULT_ROOT);
  }
}
