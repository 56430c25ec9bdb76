package io.registryreactive;

import io.registryreactive.internal.auth.CredentialFileSearch;
import io.registryreactive.internal.auth.Redactor;
import io.registryreactive.internal.auth.ResolvedCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * How the client authenticates. The same credentials serve HTTP basic auth and, for registries with
 * a token service, the token request; they are sent only to the registry's own host and to the
 * token realm it names. {@link #toString()} never shows a secret.
 *
 * <ul>
 *   <li>{@link #anonymous()} - no credentials (the default);
 *   <li>{@link #basic(String, String)} - user name and password (or an access token used as
 *       password);
 *   <li>{@link #identityToken(String)} - an OAuth2 refresh token, exchanged with the {@code
 *       refresh_token} grant;
 *   <li>{@link #dockerConfig()} / {@link #dockerConfig(Path)} - whatever {@code docker login} or
 *       {@code podman login} stored for the registry's host: {@code auths}, {@code identitytoken},
 *       or a credential helper ({@code credHelpers} before {@code credsStore}). Files are read, and
 *       a helper run, off the event loop on first use.
 * </ul>
 */
public final class RegistryCredentials {
  private enum Kind {
    ANONYMOUS,
    BASIC,
    IDENTITY_TOKEN,
    DOCKER_CONFIG
  }

  private static final RegistryCredentials ANONYMOUS =
      new RegistryCredentials(Kind.ANONYMOUS, "", "", null);

  private final Kind kind;
  private final String username;
  private final String secret;
  private final @Nullable Path configFile;
  private final @Nullable Map<String, String> environment;

  private RegistryCredentials(
      Kind kind, String username, String secret, @Nullable Path configFile) {
    this(kind, username, secret, configFile, null);
  }

  private RegistryCredentials(
      Kind kind,
      String username,
      String secret,
      @Nullable Path configFile,
      @Nullable Map<String, String> environment) {
    this.kind = kind;
    this.username = username;
    this.secret = secret;
    this.configFile = configFile;
    this.environment = environment;
  }

  /**
   * @return credentials that send nothing
   */
  public static RegistryCredentials anonymous() {
    return ANONYMOUS;
  }

  /**
   * User name and password.
   *
   * @param username the user name
   * @param password the password or access token
   * @return the credentials
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the user name is empty or contains ':'
   */
  public static RegistryCredentials basic(String username, String password) {
    Objects.requireNonNull(username, "'username' must not be null");
    Objects.requireNonNull(password, "'password' must not be null");
    if (username.isEmpty() || username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'username' must be non-empty and must not contain ':'");
    }
    Redactor.registerBasic(username, password);
    return new RegistryCredentials(Kind.BASIC, username, password, null);
  }

  /**
   * An OAuth2 identity (refresh) token, as {@code docker login} stores for some registries.
   *
   * @param token the refresh token
   * @return the credentials
   * @throws NullPointerException if the token is null
   */
  public static RegistryCredentials identityToken(String token) {
    Objects.requireNonNull(token, "'token' must not be null");
    Redactor.register(token);
    return new RegistryCredentials(Kind.IDENTITY_TOKEN, "<token>", token, null);
  }

  /**
   * The credentials docker and podman stored, searched in this order: {@code
   * $DOCKER_CONFIG/config.json}, {@code ~/.docker/config.json} ({@code $HOME}), {@code
   * $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}. The first file with an
   * entry for the registry's host wins; later files are not read. A registry with no entry anywhere
   * is accessed anonymously, and a 401 then names the files searched.
   *
   * @return the credentials
   */
  public static RegistryCredentials dockerConfig() {
    return dockerConfigFromEnvironment(System.getenv());
  }

  /**
   * {@link #dockerConfig()} with the environment variables given instead of the process's ({@code
   * DOCKER_CONFIG}, {@code HOME}, {@code REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR}), for
   * programs that keep their own environment, and for tests.
   *
   * @param environment variable names to values
   * @return the credentials
   * @throws NullPointerException if the map is null
   */
  public static RegistryCredentials dockerConfigFromEnvironment(Map<String, String> environment) {
    Objects.requireNonNull(environment, "'environment' must not be null");
    return new RegistryCredentials(Kind.DOCKER_CONFIG, "", "", null, Map.copyOf(environment));
  }

  /**
   * The Docker client's stored credentials from a given {@code config.json}, or from the {@code
   * config.json} in a given directory (what {@code DOCKER_CONFIG} names).
   *
   * @param configJson the file, or its directory
   * @return the credentials
   * @throws NullPointerException if the path is null
   */
  public static RegistryCredentials dockerConfig(Path configJson) {
    Objects.requireNonNull(configJson, "'configJson' must not be null");
    return new RegistryCredentials(Kind.DOCKER_CONFIG, "", "", configJson);
  }

  /**
   * @return whether these are credentials given directly (basic or identity token), known to be
   *     sent
   */
  boolean isExplicit() {
    return kind == Kind.BASIC || kind == Kind.IDENTITY_TOKEN;
  }

  /**
   * Resolves to usable credentials for one registry host; I/O runs on a blocking-safe scheduler.
   */
  Mono<Optional<ResolvedCredentials>> resolve(String registryHost) {
    return resolve(registryHost, note -> {});
  }

  /**
   * Resolves, telling {@code whenMissing} where it looked if nothing is found, for the message of a
   * 401 that follows.
   */
  Mono<Optional<ResolvedCredentials>> resolve(String registryHost, Consumer<String> whenMissing) {
    if (kind == Kind.ANONYMOUS) {
      whenMissing.accept("no credentials configured");
      return Mono.just(Optional.empty());
    }
    if (kind == Kind.DOCKER_CONFIG) {
      return Mono.fromCallable(
              () -> {
                List<Path> files =
                    configFile != null
                        ? List.of(CredentialFileSearch.configFile(configFile))
                        : CredentialFileSearch.defaultFiles(
                            environment != null ? environment : System.getenv(),
                            System.getProperty("user.home", ""));
                CredentialFileSearch.Result found =
                    CredentialFileSearch.search(files, registryHost);
                if (found.credentials().isEmpty()) {
                  whenMissing.accept(found.describeMissing(registryHost));
                }
                return found
                    .credentials()
                    .map(s -> new ResolvedCredentials(s.username(), s.secret(), s.identityToken()));
              })
          .subscribeOn(Schedulers.boundedElastic());
    }
    return resolveDirect(registryHost);
  }

  private Mono<Optional<ResolvedCredentials>> resolveDirect(String registryHost) {
    switch (kind) {
      case BASIC:
        return Mono.just(Optional.of(new ResolvedCredentials(username, secret, false)));
      case IDENTITY_TOKEN:
        return Mono.just(Optional.of(new ResolvedCredentials(username, secret, true)));
      default:
        return Mono.just(Optional.empty());
    }
  }

  @Override
  public String toString() {
    switch (kind) {
      case BASIC:
        return "RegistryCredentials[basic, username=" + username + ", password=***]";
      case IDENTITY_TOKEN:
        return "RegistryCredentials[identity-token=***]";
      case DOCKER_CONFIG:
        return "RegistryCredentials[docker-config"
            + (configFile == null ? "" : " " + configFile)
            + "]";
      default:
        return "RegistryCredentials[anonymous]";
    }
  }
}
