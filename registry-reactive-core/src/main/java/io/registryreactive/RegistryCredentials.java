package io.registryreactive;

import io.registryreactive.internal.auth.DockerConfig;
import io.registryreactive.internal.auth.Redactor;
import io.registryreactive.internal.auth.ResolvedCredentials;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * How the client authenticates. The same credentials serve HTTP basic auth and, for registries
 * with a token service, the token request; they are sent only to the registry's own host and to the
 * token realm it names. {@link #toString()} never shows a secret.
 *
 * <ul>
 *   <li>{@link #anonymous()} - no credentials (the default);
 *   <li>{@link #basic(String, String)} - user name and password (or an access token used as password);
 *   <li>{@link #identityToken(String)} - an OAuth2 refresh token, exchanged with the
 *       {@code refresh_token} grant;
 *   <li>{@link #dockerConfig()} / {@link #dockerConfig(Path)} - whatever {@code docker login} stored
 *       for the registry's host: {@code auths}, {@code identitytoken}, or a credential helper
 *       ({@code credHelpers} before {@code credsStore}). The file is read, and a helper run, off the
 *       event loop on first use.
 * </ul>
 */
public final class RegistryCredentials {
  private enum Kind { ANONYMOUS, BASIC, IDENTITY_TOKEN, DOCKER_CONFIG }

  private static final RegistryCredentials ANONYMOUS = new RegistryCredentials(Kind.ANONYMOUS, "", "", null);

  private final Kind kind;
  private final String username;
  private final String secret;
  private final @Nullable Path configFile;

  private RegistryCredentials(Kind kind, String username, String secret, @Nullable Path configFile) {
    this.kind = kind;
    this.username = username;
    this.secret = secret;
    this.configFile = configFile;
  }

  /** @return credentials that send nothing */
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
   * The Docker client's stored credentials from {@code $DOCKER_CONFIG/config.json}, else
   * {@code ~/.docker/config.json}. A registry with no entry is accessed anonymously.
   *
   * @return the credentials
   */
  public static RegistryCredentials dockerConfig() {
    return new RegistryCredentials(Kind.DOCKER_CONFIG, "", "", null);
  }

  /**
   * The Docker client's stored credentials from a given {@code config.json}.
   *
   * @param configJson path of the file
   * @return the credentials
   * @throws NullPointerException if the path is null
   */
  public static RegistryCredentials dockerConfig(Path configJson) {
    Objects.requireNonNull(configJson, "'configJson' must not be null");
    return new RegistryCredentials(Kind.DOCKER_CONFIG, "", "", configJson);
  }

  /** @return whether these are credentials given directly (basic or identity token), known to be sent */
  boolean isExplicit() {
    return kind == Kind.BASIC || kind == Kind.IDENTITY_TOKEN;
  }

  /** Resolves to usable credentials for one registry host; I/O runs on a blocking-safe scheduler. */
  Mono<Optional<ResolvedCredentials>> resolve(String registryHost) {
    switch (kind) {
      case BASIC:
        return Mono.just(Optional.of(new ResolvedCredentials(username, secret, false)));
      case IDENTITY_TOKEN:
        return Mono.just(Optional.of(new ResolvedCredentials(username, secret, true)));
      case DOCKER_CONFIG:
        return Mono.fromCallable(() -> DockerConfig.load(configFile != null ? configFile : DockerConfig.defaultLocation())
                .lookup(registryHost)
                .map(s -> new ResolvedCredentials(s.username(), s.secret(), s.identityToken())))
            .subscribeOn(Schedulers.boundedElastic());
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
        return "RegistryCredentials[docker-config" + (configFile == null ? "" : " " + configFile) + "]";
      default:
        return "RegistryCredentials[anonymous]";
    }
  }
}
