package io.registryreactive.internal.auth;

import io.registryreactive.AuthenticationException;
import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.HttpTransport;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.ErrorEnvelope;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Obtains bearer tokens from a token service (distribution's token auth spec, and its OAuth2
 * variant) and caches them by realm, service and scopes until shortly before they expire.
 *
 * <p>The cache holds one shared {@link Mono} per key: concurrent requests for the same scopes wait
 * for one token request instead of each sending their own, and a stale entry is replaced on the
 * next subscription. A failed request is not cached.
 */
public final class TokenService {
  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

  /** Token responses are tiny; a larger body is garbage. */
  private static final long MAX_TOKEN_RESPONSE_BYTES = 256 * 1024;

  private static final String CLIENT_ID = "registry-reactive";

  private final HttpTransport transport;
  private final URI registry;
  private final Clock clock;
  private final boolean oauth2PasswordGrant;
  private final Map<String, CachedToken> cache = new ConcurrentHashMap<>();

  /**
   * Creates the service.
   *
   * @param transport sends token requests
   * @param registry the registry's base URL, which decides where credentials may go (see {@link
   *     RealmPolicy})
   * @param clock decides expiry
   * @param oauth2PasswordGrant fetch tokens with the OAuth2 password grant (POST) instead of GET
   */
  public TokenService(
      HttpTransport transport, URI registry, Clock clock, boolean oauth2PasswordGrant) {
    this.transport = transport;
    this.registry = registry;
    this.clock = clock;
    this.oauth2PasswordGrant = oauth2PasswordGrant;
  }

  /**
   * A token for these scopes, from the cache when still fresh.
   *
   * @param challenge the Bearer challenge naming realm and service
   * @param scopes the scopes the request needs
   * @param credentials credentials to present to the token service, if any
   * @return the token
   */
  public Mono<String> token(
      AuthChallenge challenge, List<Scope> scopes, Optional<ResolvedCredentials> credentials) {
    return Mono.defer(
        () -> {
          String key = key(challenge, scopes);
          CachedToken entry =
              cache.compute(
                  key,
                  (k, existing) ->
                      existing != null && !existing.isStale(clock.instant())
                          ? existing
                          : new CachedToken(fetch(challenge, scopes, credentials)));
          return entry.shared.doOnError(e -> cache.remove(key, entry)).map(TokenResponse::token);
        });
  }

  /**
   * Forgets the cached token for these scopes if it is the one the registry refused. An entry
   * holding another token, or still fetching one, is kept: it was started by a concurrent request
   * refused with the same old token, and dropping it would make every refused request fetch its own
   * token instead of sharing one.
   *
   * @param challenge the Bearer challenge
   * @param scopes the scopes
   * @param refusedToken the token the registry answered 401 to
   */
  public void invalidate(AuthChallenge challenge, List<Scope> scopes, String refusedToken) {
    cache.computeIfPresent(
        key(challenge, scopes), (k, entry) -> refusedToken.equals(entry.token) ? null : entry);
  }

  /**
   * @return how many token keys are cached (for tests and metrics)
   */
  public int cachedKeys() {
    return cache.size();
  }

  /**
   * One token request shared by every caller that needs the same scopes while it is in flight, then
   * its answer until it goes stale. Staleness is measured on the client's clock from when the token
   * arrived, not from the server's {@code issued_at}, so a token service whose clock runs behind
   * cannot make every token look expired; it is refreshed early, by a tenth of its lifetime and at
   * least 5 seconds.
   */
  private final class CachedToken {
    final Mono<TokenResponse> shared;
    volatile @Nullable Instant staleAt;
    volatile @Nullable String token;

    CachedToken(Mono<TokenResponse> fetch) {
      this.shared =
          fetch
              .doOnNext(
                  t -> {
                    token = t.token();
                    staleAt = clock.instant().plus(timeToLive(t));
                  })
              .cache();
    }

    boolean isStale(Instant now) {
      Instant at = staleAt;
      return at != null && !now.isBefore(at);
    }
  }

  private static Duration timeToLive(TokenResponse token) {
    Duration lifetime = token.expiresIn();
    Duration margin =
        lifetime.dividedBy(10).compareTo(Duration.ofSeconds(5)) > 0
            ? lifetime.dividedBy(10)
            : Duration.ofSeconds(5);
    Duration ttl = lifetime.minus(margin);
    return ttl.isNegative() ? Duration.ZERO : ttl;
  }

  private static String key(AuthChallenge challenge, List<Scope> scopes) {
    return challenge.realm().orElse("")
        + '\n'
        + challenge.service().orElse("")
        + '\n'
        + String.join(" ", Scope.canonical(scopes));
  }

  private Mono<TokenResponse> fetch(
      AuthChallenge challenge, List<Scope> scopes, Optional<ResolvedCredentials> credentials) {
    Optional<String> realm = challenge.realm();
    if (realm.isEmpty() || realm.get().isBlank()) {
      return Mono.error(
          new RegistryProtocolException(
              "the registry's Bearer challenge names no realm (token service URL)", null));
    }
    URI realmUri;
    try {
      realmUri = URI.create(realm.get());
      if (realmUri.getScheme() == null || realmUri.getHost() == null) {
        throw new IllegalArgumentException("not absolute");
      }
    } catch (IllegalArgumentException e) {
      return Mono.error(
          new RegistryProtocolException(
              "the registry's Bearer challenge has an invalid realm: " + realm.get(), e));
    }
    if (credentials.isPresent()) {
      Optional<AuthenticationException> refused = RealmPolicy.check(registry, realmUri);
      if (refused.isPresent()) {
        return Mono.error(refused.get());
      }
    }
    List<String> scopeStrings = Scope.canonical(scopes);
    String service = challenge.service().orElse("");
    boolean refreshGrant = credentials.map(ResolvedCredentials::identityToken).orElse(false);
    if (refreshGrant || (oauth2PasswordGrant && credentials.isPresent())) {
      return postOAuth2(realmUri, service, scopeStrings, credentials.get())
          .onErrorResume(
              NotSupported.class, e -> get(realmUri, service, scopeStrings, credentials));
    }
    return get(realmUri, service, scopeStrings, credentials);
  }

  private Mono<TokenResponse> get(
      URI realm, String service, List<String> scopes, Optional<ResolvedCredentials> credentials) {
    StringBuilder query = new StringBuilder();
    if (!service.isEmpty()) {
      query.append("service=").append(encode(service));
    }
    for (String scope : scopes) {
      query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
    }
    URI uri = appendQuery(realm, query.toString());
    RegistryRequest request =
        RegistryRequest.of("GET", uri, List.of(), "fetch token")
            .withMaxResponseBytes(MAX_TOKEN_RESPONSE_BYTES);
    Optional<String> auth =
        credentials.filter(c -> !c.identityToken()).map(ResolvedCredentials::basicHeader);
    return transport.send(request, auth).map(response -> read(response, scopes));
  }

  private Mono<TokenResponse> postOAuth2(
      URI realm, String service, List<String> scopes, ResolvedCredentials creds) {
    List<String> form = new ArrayList<>();
    if (creds.identityToken()) {
      form.add("grant_type=refresh_token");
      form.add("refresh_token=" + encode(creds.secret()));
    } else {
      form.add("grant_type=password");
      form.add("username=" + encode(creds.username()));
      form.add("password=" + encode(creds.secret()));
    }
    form.add("client_id=" + CLIENT_ID);
    form.add("service=" + encode(service));
    if (!scopes.isEmpty()) {
      form.add("scope=" + encode(String.join(" ", scopes)));
    }
    byte[] body = String.join("&", form).getBytes(StandardCharsets.UTF_8);
    RegistryRequest request =
        RegistryRequest.of("POST", realm, List.of(), "fetch token (OAuth2)")
            .withMaxResponseBytes(MAX_TOKEN_RESPONSE_BYTES)
            .withBody(body, "application/x-www-form-urlencoded; charset=utf-8");
    return transport
        .send(request, Optional.empty())
        .flatMap(
            response -> {
              if (response.status() == 404 && !creds.identityToken()) {
                // Token servers that only implement the GET protocol answer the POST with 404.
                return Mono.error(new NotSupported());
              }
              return Mono.just(read(response, scopes));
            });
  }

  private TokenResponse read(RegistryResponse response, List<String> scopes) {
    String what = "token request to " + response.uri().getHost() + " for scopes " + scopes;
    if (response.status() == 401 || response.status() == 403) {
      throw new AuthenticationException(
          "the token service rejected the credentials (" + what + ")",
          response.request().method(),
          redact(response.uri()),
          response.status(),
          ErrorEnvelope.parse(response.body()),
          ResponseErrors.excerpt(response.body()),
          null);
    }
    if (!response.isSuccess()) {
      RegistryException e = ResponseErrors.toException(response, what);
      throw e;
    }
    TokenResponse token = TokenResponse.parse(response.body(), clock.instant(), what);
    Redactor.register(token.token());
    token.refreshToken().ifPresent(Redactor::register);
    LOG.debug("obtained token for {} valid for {}", scopes, token.expiresIn());
    return token;
  }

  /** Token URLs carry no credentials, but a refresh grant's form does: the URL alone is safe. */
  private static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  private static URI appendQuery(URI realm, String query) {
    if (query.isEmpty()) {
      return realm;
    }
    String s = realm.toString();
    int hash = s.indexOf('#');
    if (hash >= 0) {
      s = s.substring(0, hash);
    }
    return URI.create(s + (realm.getRawQuery() == null ? "?" : "&") + query);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Internal signal: the token service does not implement the OAuth2 POST. */
  private static final class NotSupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotSupported() {
      super("OAuth2 POST not supported", null, false, false);
    }
  }
}
