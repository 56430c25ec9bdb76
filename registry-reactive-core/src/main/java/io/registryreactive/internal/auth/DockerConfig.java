package io.registryreactive.internal.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The credential settings of a Docker {@code config.json}, so that users who ran {@code docker
 * login} need not configure credentials again.
 *
 * <p>Lookup follows the Docker CLI: a {@code credHelpers} entry for the host beats {@code
 * credsStore}, and a helper beats the inline {@code auths} entry. One deliberate difference: when
 * the helper holds nothing for the host, an inline {@code auths} entry with credentials is used
 * instead of giving up, because CI scripts often write inline credentials into a config that also
 * names a desktop {@code credsStore}.
 *
 * <p>Loading reads a file and lookups may run a helper program: both block, so callers run them off
 * the event loop. Instances are immutable and thread-safe.
 */
public final class DockerConfig {

  /** The key {@code docker login} uses for Docker Hub in {@code auths} and for helpers. */
  public static final String DOCKER_HUB_SERVER_ADDRESS = "https://index.docker.io/v1/";

  /** The internal name all Docker Hub spellings normalise to. */
  private static final String DOCKER_HUB = "docker.io";

  private static final Set<String> DOCKER_HUB_ALIASES =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Path file;
  private final List<AuthEntry> auths;
  private final Optional<String> credsStore;
  private final Map<String, String> credHelpers;
  private final CredentialHelper credentialHelper;

  private DockerConfig(
      Path file,
      List<AuthEntry> auths,
      Optional<String> credsStore,
      Map<String, String> credHelpers,
      CredentialHelper credentialHelper) {
    this.file = file;
    this.auths = List.copyOf(auths);
    this.credsStore = credsStore;
    this.credHelpers = Collections.unmodifiableMap(new LinkedHashMap<>(credHelpers));
    this.credentialHelper = credentialHelper;
  }

  /**
   * Reads a config file, running helpers found on {@code PATH} with {@link
   * CredentialHelper#DEFAULT_TIMEOUT}.
   *
   * @param file the {@code config.json}, usually {@link #defaultLocation()}
   * @return the config; empty (every lookup empty) if the file does not exist or is empty, as for a
   *     user who never ran {@code docker login}
   * @throws RegistryProtocolException if the file is not valid JSON or its {@code auths}, {@code
   *     credsStore} or {@code credHelpers} have the wrong shape; the message names the file and
   *     never quotes its content
   * @throws RegistryException if the file exists but cannot be read
   */
  public static DockerConfig load(Path file) {
    return load(file, new CredentialHelper());
  }

  /**
   * Reads a config file, running helpers with the given runner.
   *
   * @param file the {@code config.json}
   * @param credentialHelper runs the helpers that {@code credHelpers} and {@code credsStore} name
   * @return the config; empty if the file does not exist or is empty
   * @throws RegistryProtocolException if the file is not valid JSON or has the wrong shape
   * @throws RegistryException if the file exists but cannot be read
   */
  public static DockerConfig load(Path file, CredentialHelper credentialHelper) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new DockerConfig(file, List.of(), Optional.empty(), Map.of(), credentialHelper);
    } catch (IOException e) {
      throw new RegistryException("Cannot read Docker config " + file + ": " + e, e, false);
    }
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the offending input, which may be a credential: give only the
      // place.
      JsonLocation location = e.getLocation();
      String where =
          location == null
              ? ""
              : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
      throw new RegistryProtocolException(
          "Docker config " + file + " is not valid JSON" + where, null);
    } catch (IOException e) {
      throw new RegistryException("Cannot read Docker config " + file + ": " + e, e, false);
    }
    if (root.isMissingNode()) {
      // The Docker CLI accepts an empty file too.
      return new DockerConfig(file, List.of(), Optional.empty(), Map.of(), credentialHelper);
    }
    if (!root.isObject()) {
      throw malformed(file, "is not a JSON object");
    }
    return new DockerConfig(
        file,
        readAuths(file, root.path("auths")),
        readCredsStore(file, root.path("credsStore")),
        readCredHelpers(file, root.path("credHelpers")),
        credentialHelper);
  }

  /**
   * Where the Docker CLI looks for its config: {@code $DOCKER_CONFIG/config.json} if the {@code
   * DOCKER_CONFIG} environment variable is set, else {@code ~/.docker/config.json}.
   *
   * @return the path; the file need not exist
   */
  public static Path defaultLocation() {
    return defaultLocation(System::getenv, System.getProperty("user.home"));
  }

  /** {@link #defaultLocation()} with the environment and home directory passed in, for tests. */
  static Path defaultLocation(Function<String, @Nullable String> environment, String userHome) {
    String dockerConfig = environment.apply("DOCKER_CONFIG");
    if (dockerConfig != null && !dockerConfig.isBlank()) {
      return Paths.get(dockerConfig, "config.json");
    }
    return Paths.get(userHome, ".docker", "config.json");
  }

  /**
   * Finds the credentials for a registry host.
   *
   * <p>Order: the helper {@code credHelpers} names for the host, else the {@code credsStore}
   * helper; if there is no helper or it holds nothing for the host, the {@code auths} entry for the
   * host. {@code auths} keys match whether written as {@code host}, {@code host:port}, {@code
   * https://host} or {@code http://host/v1/}; {@code docker.io}, {@code index.docker.io} and {@code
   * registry-1.docker.io} all mean Docker Hub, whose key is {@value #DOCKER_HUB_SERVER_ADDRESS}. An
   * entry's {@code identitytoken} wins over its password.
   *
   * @param registryHost the registry's host, with its port if not the default, such as {@code
   *     ghcr.io}, {@code localhost:5000} or {@code docker.io}
   * @return the credentials, or empty if the config has none for the host
   * @throws IllegalArgumentException if {@code registryHost} is blank
   * @throws RegistryProtocolException if the host's {@code auths} entry has an {@code auth} that is
   *     not base64 of {@code user:password}, or a helper answers with garbage
   * @throws RegistryException if a helper fails or times out; see {@link CredentialHelper#get}
   */
  public Optional<StoredCredentials> lookup(String registryHost) {
    String host = normalizeHost(registryHost);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("Registry host is blank");
    }
    String serverAddress = host.equals(DOCKER_HUB) ? DOCKER_HUB_SERVER_ADDRESS : host;
    Optional<String> helper = helperFor(host);
    if (helper.isPresent()) {
      Optional<StoredCredentials> fromHelper = credentialHelper.get(helper.get(), serverAddress);
      if (fromHelper.isPresent()) {
        return fromHelper;
      }
    }
    return authEntryFor(host, serverAddress).flatMap(this::decode);
  }

  /**
   * The file this config was read from, or would have been had it existed.
   *
   * @return the path given to {@link #load}
   */
  public Path file() {
    return file;
  }

  /** Lists where credentials would come from, never the credentials. */
  @Override
  public String toString() {
    List<String> keys = new ArrayList<>();
    auths.forEach(entry -> keys.add(entry.key()));
    return "DockerConfig[file="
        + file
        + ", auths="
        + keys
        + ", credsStore="
        + credsStore.orElse("<none>")
        + ", credHelpers="
        + credHelpers
        + "]";
  }

  /**
   * Reduces an {@code auths} key or a host to the host (and port) it names, lower-cased, with
   * Docker Hub's spellings mapped to one name; keys are compared in this form.
   */
  static String normalizeHost(String keyOrHost) {
    String host = keyOrHost.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("https://")) {
      host = host.substring("https://".length());
    } else if (host.startsWith("http://")) {
      host = host.substring("http://".length());
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    return DOCKER_HUB_ALIASES.contains(host) ? DOCKER_HUB : host;
  }

  private Optional<String> helperFor(String host) {
    for (Map.Entry<String, String> entry : credHelpers.entrySet()) {
      if (normalizeHost(entry.getKey()).equals(host) && !entry.getValue().isEmpty()) {
        return Optional.of(entry.getValue());
      }
    }
    return credsStore;
  }

  /**
   * The entry to use for a host. A key spelled exactly as {@code docker login} writes it wins (as
   * in the Docker CLI); entries without credentials, which configs with a {@code credsStore} are
   * full of, are ignored.
   */
  private Optional<AuthEntry> authEntryFor(String host, String serverAddress) {
    Optional<AuthEntry> fallback = Optional.empty();
    for (AuthEntry entry : auths) {
      if (!entry.hasCredentials() || !normalizeHost(entry.key()).equals(host)) {
        continue;
      }
      if (entry.key().equals(serverAddress)) {
        return Optional.of(entry);
      }
      if (fallback.isEmpty()) {
        fallback = Optional.of(entry);
      }
    }
    return fallback;
  }

  private Optional<StoredCredentials> decode(AuthEntry entry) {
    String username = entry.username();
    String password = entry.password();
    if (!entry.auth().isBlank()) {
      String decoded;
      try {
        decoded =
            new String(Base64.getDecoder().decode(entry.auth().strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new RegistryProtocolException(
            "Docker config "
                + file
                + ": the 'auth' of auths entry '"
                + entry.key()
                + "' is not base64",
            null);
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new RegistryProtocolException(
            "Docker config "
                + file
                + ": the 'auth' of auths entry '"
                + entry.key()
                + "' is not base64 of user:password",
            null);
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    if (!entry.identityToken().isEmpty()) {
      return Optional.of(new StoredCredentials(username, entry.identityToken(), true));
    }
    if (username.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StoredCredentials(username, password, false));
  }

  private static List<AuthEntry> readAuths(Path file, JsonNode auths) {
    if (auths.isMissingNode() || auths.isNull()) {
      return List.of();
    }
    if (!auths.isObject()) {
      throw malformed(file, "has an 'auths' that is not an object");
    }
    List<AuthEntry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : auths.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      if (!value.isObject()) {
        throw malformed(file, "has an auths entry '" + key + "' that is not an object");
      }
      entries.add(
          new AuthEntry(
              key,
              string(file, key, value, "auth"),
              string(file, key, value, "username"),
              string(file, key, value, "password"),
              string(file, key, value, "identitytoken")));
    }
    return entries;
  }

  private static String string(Path file, String key, JsonNode entry, String field) {
    JsonNode node = entry.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw malformed(
          file, "has a '" + field + "' in auths entry '" + key + "' that is not a string");
    }
    return node.textValue();
  }

  private static Optional<String> readCredsStore(Path file, JsonNode credsStore) {
    if (credsStore.isMissingNode() || credsStore.isNull()) {
      return Optional.empty();
    }
    if (!credsStore.isTextual()) {
      throw malformed(file, "has a 'credsStore' that is not a string");
    }
    return credsStore.textValue().isEmpty()
        ? Optional.empty()
        : Optional.of(credsStore.textValue());
  }

  private static Map<String, String> readCredHelpers(Path file, JsonNode credHelpers) {
    if (credHelpers.isMissingNode() || credHelpers.isNull()) {
      return Map.of();
    }
    if (!credHelpers.isObject()) {
      throw malformed(file, "has a 'credHelpers' that is not an object");
    }
    Map<String, String> helpers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : credHelpers.properties()) {
      if (!field.getValue().isTextual()) {
        throw malformed(
            file, "has a credHelpers entry '" + field.getKey() + "' that is not a string");
      }
      helpers.put(field.getKey(), field.getValue().textValue());
    }
    return helpers;
  }

  private static RegistryProtocolException malformed(Path file, String problem) {
    return new RegistryProtocolException("Docker config " + file + " " + problem, null);
  }

  /**
   * One {@code auths} entry as written; decoded only on lookup so one bad entry spoils only its
   * host.
   */
  private record AuthEntry(
      String key, String auth, String username, String password, String identityToken) {

    boolean hasCredentials() {
      return !auth.isBlank() || !password.isEmpty() || !identityToken.isEmpty();
    }

    @Override
    public String toString() {
      return "AuthEntry[key=" + key + "]";
    }
  }
}
