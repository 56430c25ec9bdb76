package io.registryreactive.internal.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds stored registry credentials where docker and podman keep them, in this order: {@code
 * $DOCKER_CONFIG/config.json}, {@code ~/.docker/config.json}, {@code $REGISTRY_AUTH_FILE}, {@code
 * $XDG_RUNTIME_DIR/containers/auth.json}. The first file with an entry for the host wins (later
 * files are not read); files that do not exist are skipped. Podman's {@code auth.json} has the
 * {@code config.json} format, so both are read by {@link DockerConfig}.
 *
 * <p>The environment is passed in, so tests and programs with their own environment decide what is
 * seen. Reading files and running credential helpers blocks: callers run this off the event loop.
 */
public final class CredentialFileSearch {

  /**
   * What a search found.
   *
   * @param credentials the credentials, if a file had an entry for the host
   * @param source the file they came from
   * @param searched every file looked at, in order
   */
  public record Result(
      Optional<StoredCredentials> credentials, Optional<Path> source, List<Path> searched) {

    /**
     * @return "no credentials for HOST in a, b, c" for messages
     */
    public String describeMissing(String host) {
      return "no stored credentials for "
          + host
          + " in "
          + (searched.isEmpty()
              ? "(no file: DOCKER_CONFIG, HOME, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR unset)"
              : searched.stream().map(Path::toString).collect(Collectors.joining(", ")));
    }
  }

  private CredentialFileSearch() {}

  /**
   * The files docker and podman read, in the order searched.
   *
   * @param environment the environment ({@code DOCKER_CONFIG}, {@code HOME}, {@code
   *     REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR})
   * @param userHome the home directory when {@code HOME} is unset
   * @return the paths; they need not exist
   */
  public static List<Path> defaultFiles(Map<String, String> environment, String userHome) {
    List<Path> files = new ArrayList<>();
    variable(environment, "DOCKER_CONFIG").ifPresent(d -> files.add(Paths.get(d, "config.json")));
    String home = variable(environment, "HOME").orElse(userHome);
    if (!home.isBlank()) {
      Path dockerHome = Paths.get(home, ".docker", "config.json");
      if (!files.contains(dockerHome)) {
        files.add(dockerHome);
      }
    }
    variable(environment, "REGISTRY_AUTH_FILE").ifPresent(f -> files.add(Paths.get(f)));
    variable(environment, "XDG_RUNTIME_DIR")
        .ifPresent(d -> files.add(Paths.get(d, "containers", "auth.json")));
    return files;
  }

  /**
   * A {@code --docker-config} argument: a {@code config.json} file, or a directory holding one (as
   * {@code DOCKER_CONFIG} names).
   *
   * @param fileOrDirectory the path given
   * @return the file to read
   */
  public static Path configFile(Path fileOrDirectory) {
    return Files.isDirectory(fileOrDirectory)
        ? fileOrDirectory.resolve("config.json")
        : fileOrDirectory;
  }

  /**
   * {@link #search(List, String, CredentialHelper)} with the credential helpers run as processes.
   *
   * @param files the files to read, in order
   * @param host the registry's {@code host[:port]}
   * @return the first credentials found, or what was searched
   */
  public static Result search(List<Path> files, String host) {
    return search(files, host, new CredentialHelper());
  }

  /**
   * Searches the files in order.
   *
   * @param files the files, see {@link #defaultFiles}
   * @param host the registry host (with port if not default)
   * @param helper runs credential helpers the files name
   * @return what was found and where it looked
   * @throws io.registryreactive.RegistryException if a file is unreadable or malformed, or a helper
   *     fails
   */
  static Result search(List<Path> files, String host, CredentialHelper helper) {
    List<Path> searched = new ArrayList<>();
    for (Path file : files) {
      searched.add(file);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Optional<StoredCredentials> found = DockerConfig.load(file, helper).lookup(host);
      if (found.isPresent()) {
        return new Result(found, Optional.of(file), List.copyOf(searched));
      }
    }
    return new Result(Optional.empty(), Optional.empty(), List.copyOf(searched));
  }

  private static Optional<String> variable(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }
}
