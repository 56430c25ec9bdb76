package io.registryreactive.internal.auth;

import io.registryreactive.AuthenticationException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether credentials may be sent to the token realm a registry's Bearer challenge names.
 *
 * <p>The realm comes from the registry's answer, so a registry (or anyone who can alter its
 * plain-http answers) chooses where the password goes. Credentials therefore go to a realm only
 * over https, or over plain http when the registry itself is plain http on the same host: such a
 * registry already receives them in clear text, and a realm on the same host adds no new listener.
 * A cross-host https realm is allowed, as Docker Hub's {@code auth.docker.io} is.
 */
final class RealmPolicy {

  private RealmPolicy() {}

  /**
   * Checks that credentials may go to this realm.
   *
   * @param registry the registry's base URL
   * @param realm the token realm from the challenge
   * @return empty if allowed, else the exception to signal (nothing has been sent)
   */
  static Optional<AuthenticationException> check(URI registry, URI realm) {
    String realmScheme = lower(realm.getScheme());
    if (realmScheme.equals("https")) {
      return Optional.empty();
    }
    boolean registryPlain = lower(registry.getScheme()).equals("http");
    if (registryPlain && lower(realm.getHost()).equals(lower(registry.getHost()))) {
      return Optional.empty();
    }
    String realmOrigin =
        realmScheme
            + "://"
            + realm.getHost()
            + (realm.getPort() == -1 ? "" : ":" + realm.getPort());
    String why =
        registryPlain
            ? "it is on another host than the registry (" + registry.getHost() + ")"
            : "the registry itself uses https";
    return Optional.of(
        new AuthenticationException(
            "refusing to send credentials to the token realm "
                + realmOrigin
                + " over plain http: "
                + why
                + "; credentials go to a token realm only over https, "
                + "or over http when the registry is plain http on the same host",
            "GET",
            realmOrigin,
            0,
            List.of(),
            "",
            null));
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
