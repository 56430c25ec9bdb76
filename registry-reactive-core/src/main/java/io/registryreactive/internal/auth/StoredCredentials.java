package io.registryreactive.internal.auth;

import java.util.Objects;

/**
 * Credentials found in a Docker {@code config.json} or returned by a credential helper, in the form
 * both sources share.
 *
 * <p>An identity token is not a password: it cannot go into Basic authentication and must be
 * exchanged through the OAuth2 {@code refresh_token} grant, so the flag decides which token request
 * to make.
 *
 * @param username the user name as stored; {@code <token>} or any stored name when {@code
 *     identityToken} is set; may be empty
 * @param secret the password, or the identity token when {@code identityToken} is set
 * @param identityToken whether {@code secret} is an identity (refresh) token
 */
public record StoredCredentials(String username, String secret, boolean identityToken) {

  /**
   * Checks the parts are present.
   *
   * @throws NullPointerException if {@code username} or {@code secret} is null
   * @param username the user name as stored; {@code <token>} or any stored name when {@code
   *     identityToken} is set; may be empty
   * @param secret the password, or the identity token when {@code identityToken} is set
   * @param identityToken whether {@code secret} is an identity (refresh) token
   */
  public StoredCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
    if (identityToken) {
      Redactor.register(secret);
    } else {
      Redactor.registerBasic(username, secret);
    }
  }

  /** Hides the secret, so that logging these credentials cannot leak it. */
  @Override
  public String toString() {
    return "StoredCredentials[username="
        + username
        + ", secret=<hidden>, identityToken="
        + identityToken
        + "]";
  }
}
