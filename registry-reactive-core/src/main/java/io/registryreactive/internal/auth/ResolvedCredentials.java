package io.registryreactive.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials ready to use for one registry: a user name and password, or an OAuth2 identity
 * (refresh) token. {@link #toString()} never shows the secret.
 *
 * @param username the user name; for identity tokens whatever was stored (often {@code <token>})
 * @param secret the password or identity token
 * @param identityToken whether {@code secret} is an identity token for the refresh_token grant
 */
public record ResolvedCredentials(String username, String secret, boolean identityToken) {

  /**
   * Registers the secret with the {@link Redactor}, so no text this process makes can show it.
   *
   * @param username the user name; for identity tokens whatever was stored (often {@code <token>})
   * @param secret the password or identity token
   * @param identityToken whether {@code secret} is an identity token for the refresh_token grant
   */
  public ResolvedCredentials {
    if (identityToken) {
      Redactor.register(secret);
    } else {
      Redactor.registerBasic(username, secret);
    }
  }

  /**
   * @return the {@code Authorization} value for HTTP basic authentication
   */
  public String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return (identityToken ? "identity-token" : "basic") + "(username=" + username + ", secret=***)";
  }
}
