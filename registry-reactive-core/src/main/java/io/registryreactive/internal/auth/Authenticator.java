package io.registryreactive.internal.auth;

import io.registryreactive.AuthenticationException;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.ErrorEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Decides the {@code Authorization} header of registry requests.
 *
 * <p>The first request goes out without credentials; the registry's 401 challenge tells which
 * scheme it wants (Basic, or Bearer with a token realm), and from then on every request is sent
 * with the right header up front. A 401 on a request that carried a cached token drops that token
 * and retries once with a fresh one; a second 401 is final, so there is never a loop.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private final Mono<Optional<ResolvedCredentials>> credentials;
  private final TokenService tokens;
  private final Supplier<String> missingCredentials;

  /** Set once the credentials resolved to nothing: a 401 then means none were sent. */
  private volatile boolean resolvedEmpty;

  private final AtomicReference<Optional<AuthChallenge>> challenge =
      new AtomicReference<>(Optional.empty());

  /**
   * Creates the authenticator.
   *
   * @param credentials resolves the credentials for this registry (cached by the caller)
   * @param tokens the token service client and cache
   */
  public Authenticator(Mono<Optional<ResolvedCredentials>> credentials, TokenService tokens) {
    this(credentials, tokens, () -> "no credentials configured");
  }

  /**
   * Creates the authenticator.
   *
   * @param credentials resolves the credentials for this registry (cached by the caller)
   * @param tokens the token service client and cache
   * @param missingCredentials says why there are no credentials, and where they were looked for,
   *     for the message of a 401 that follows
   */
  public Authenticator(
      Mono<Optional<ResolvedCredentials>> credentials,
      TokenService tokens,
      Supplier<String> missingCredentials) {
    this.credentials = credentials.doOnNext(c -> resolvedEmpty = c.isEmpty());
    this.tokens = tokens;
    this.missingCredentials = missingCredentials;
  }

  /**
   * Turns a final 401 into an error that says no credentials were sent, when that is the case: "the
   * registry rejected the credentials" would send the user looking for a wrong password.
   *
   * @param request the request
   * @param response its final response
   * @return the response, or the error
   */
  public Mono<RegistryResponse> requireSentCredentials(
      RegistryRequest request, RegistryResponse response) {
    if (response.status() != 401 || !resolvedEmpty) {
      return Mono.just(response);
    }
    return Mono.error(
        new AuthenticationException(
            request.operation()
                + " failed: the registry requires authentication, and no credentials were sent ("
                + missingCredentials.get()
                + ")",
            request.method(),
            response.uri().toString(),
            401,
            ErrorEnvelope.parse(response.body()),
            ResponseErrors.excerpt(response.body()),
            null));
  }

  /**
   * The header for a request, from what the registry asked for so far.
   *
   * @param request the request
   * @return the header value, or empty to send the request anonymously
   */
  public Mono<Optional<String>> authorization(RegistryRequest request) {
    Optional<AuthChallenge> known = challenge.get();
    if (known.isEmpty()) {
      return Mono.just(Optional.empty());
    }
    return headerFor(known.get(), request.scopes());
  }

  /**
   * Reacts to a 401: learns the challenge and says which header to retry with.
   *
   * @param request the request that got the 401
   * @param response the 401 response
   * @param used the header the request carried
   * @return the header to retry with, or empty when a retry cannot help (the 401 is final)
   */
  public Mono<Optional<String>> reauthorize(
      RegistryRequest request, RegistryResponse response, Optional<String> used) {
    List<AuthChallenge> challenges =
        AuthChallenge.parseAll(response.headerValues("WWW-Authenticate"));
    Optional<AuthChallenge> bearer =
        challenges.stream().filter(AuthChallenge::isBearer).findFirst();
    Optional<AuthChallenge> basic = challenges.stream().filter(AuthChallenge::isBasic).findFirst();
    Optional<AuthChallenge> chosen = bearer.isPresent() ? bearer : basic;
    if (chosen.isEmpty()) {
      LOG.debug("401 without a usable challenge for {}", request.describe());
      return Mono.just(Optional.empty());
    }
    AuthChallenge c = chosen.get();
    challenge.set(Optional.of(c));
    if (c.isBasic()) {
      // A Basic header that was refused will be refused again.
      if (used.isPresent() && used.get().startsWith("Basic ")) {
        return Mono.just(Optional.empty());
      }
      return credentials.map(
          creds -> creds.filter(cr -> !cr.identityToken()).map(ResolvedCredentials::basicHeader));
    }
    List<Scope> scopes = withChallengeScope(request.scopes(), c);
    if (used.isPresent() && used.get().startsWith("Bearer ")) {
      String refused = used.get().substring("Bearer ".length());
      tokens.invalidate(c, request.scopes(), refused);
      tokens.invalidate(c, scopes, refused);
    }
    return credentials
        .flatMap(creds -> tokens.token(c, scopes, creds))
        .map(t -> Optional.of("Bearer " + t));
  }

  private Mono<Optional<String>> headerFor(AuthChallenge c, List<Scope> scopes) {
    if (c.isBasic()) {
      return credentials.map(
          creds -> creds.filter(cr -> !cr.identityToken()).map(ResolvedCredentials::basicHeader));
    }
    return credentials
        .flatMap(creds -> tokens.token(c, scopes, creds))
        .map(t -> Optional.of("Bearer " + t));
  }

  /** A challenge may name the scope the registry wants (insufficient_scope); ask for it too. */
  private static List<Scope> withChallengeScope(List<Scope> requested, AuthChallenge c) {
    Optional<String> extra = c.scope();
    if (extra.isEmpty() || extra.get().isBlank()) {
      return requested;
    }
    List<Scope> all = new ArrayList<>(requested);
    for (String s : extra.get().split(" ")) {
      if (!s.isBlank()) {
        try {
          Scope parsed = Scope.parse(s);
          if (!all.contains(parsed)) {
            all.add(parsed);
          }
        } catch (RuntimeException ignored) {
          // An unparseable scope in a challenge is the registry's problem; ask for what we need.
        }
      }
    }
    return all;
  }
}
