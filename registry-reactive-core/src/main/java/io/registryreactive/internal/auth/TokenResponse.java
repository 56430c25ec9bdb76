package io.registryreactive.internal.auth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.registryreactive.RegistryProtocolException;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A token service's answer to a token request (Docker token authentication, or its OAuth2 variant).
 *
 * <p>Token services differ: Docker's sends {@code token} (and {@code access_token} for OAuth2
 * clients), others only {@code access_token}; {@code expires_in} and {@code issued_at} are
 * optional. {@link #parse} applies the spec's defaults so the token cache sees one shape.
 *
 * @param token the bearer token to send as {@code Authorization: Bearer <token>}
 * @param issuedAt when the service says it issued the token, or when it was received
 * @param expiresIn how long the token is valid from {@code issuedAt}, at least {@link
 *     #MIN_EXPIRES_IN} when parsed
 * @param refreshToken a token for the {@code refresh_token} grant, sent only when {@code
 *     offline_token=true} was requested
 */
record TokenResponse(
    String token, Instant issuedAt, Duration expiresIn, Optional<String> refreshToken) {

  /**
   * The lifetime assumed when {@code expires_in} is absent, and the least accepted: the spec says
   * tokens live at least 60 seconds, and a shorter value would make a cache refetch constantly.
   */
  public static final Duration MIN_EXPIRES_IN = Duration.ofSeconds(60);

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /**
   * Checks the parts are present and sensible.
   *
   * @throws NullPointerException if any part is null
   * @throws IllegalArgumentException if {@code token} is empty or {@code expiresIn} is negative
   * @param token the bearer token to send as {@code Authorization: Bearer <token>}
   * @param issuedAt when the service says it issued the token, or when it was received
   * @param expiresIn how long the token is valid from {@code issuedAt}, at least {@link
   *     #MIN_EXPIRES_IN} when parsed
   * @param refreshToken a token for the {@code refresh_token} grant, sent only when {@code
   *     offline_token=true} was requested
   */
  public TokenResponse {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresIn, "expiresIn");
    Objects.requireNonNull(refreshToken, "refreshToken");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token is empty");
    }
    if (expiresIn.isNegative()) {
      throw new IllegalArgumentException("expiresIn is negative: " + expiresIn);
    }
  }

  /**
   * Reads a token response body.
   *
   * <p>Takes {@code token}, or {@code access_token} when {@code token} is absent or empty; {@code
   * expires_in} in seconds, {@link #MIN_EXPIRES_IN} when absent, unreadable or smaller; {@code
   * issued_at} as RFC 3339, {@code now} when absent or unreadable; {@code refresh_token} when
   * present and non-empty.
   *
   * @param json the response body
   * @param now the time the response was received
   * @param requestDescription names the request in error messages, such as {@code GET
   *     https://auth.docker.io/token}; must not contain credentials
   * @return the parsed response
   * @throws RegistryProtocolException if the body is not a JSON object (an HTML login page from a
   *     proxy, for example), has no usable token, or a token with characters that cannot go into an
   *     HTTP header; the message never quotes the body, which may hold tokens
   */
  public static TokenResponse parse(byte[] json, Instant now, String requestDescription) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      // The parser's message and cause quote the offending input, which may be a token: drop both.
      throw new RegistryProtocolException(
          "Token response to " + requestDescription + " is not JSON" + describeNonJson(json), null);
    } catch (IOException e) {
      throw new RegistryProtocolException(
          "Token response to " + requestDescription + " could not be read", null);
    }
    if (root.isMissingNode()) {
      throw new RegistryProtocolException(
          "Token response to " + requestDescription + " is empty", null);
    }
    if (!root.isObject()) {
      throw new RegistryProtocolException(
          "Token response to "
              + requestDescription
              + " is not a JSON object but "
              + root.getNodeType().toString().toLowerCase(Locale.ROOT),
          null);
    }
    String token =
        text(root, "token")
            .or(() -> text(root, "access_token"))
            .orElseThrow(
                () ->
                    new RegistryProtocolException(
                        "Token response to "
                            + requestDescription
                            + " has neither a non-empty 'token' nor 'access_token'",
                        null));
    if (!isHeaderSafe(token)) {
      throw new RegistryProtocolException(
          "Token response to "
              + requestDescription
              + " has a token with whitespace, control or non-ASCII characters",
          null);
    }
    Optional<String> refreshToken = text(root, "refresh_token");
    return new TokenResponse(token, issuedAt(root, now), expiresIn(root), refreshToken);
  }

  /**
   * When the token stops being valid. Saturates at {@link Instant#MAX} so that an absurd {@code
   * expires_in} cannot make the cache's arithmetic throw.
   *
   * @return {@code issuedAt + expiresIn}
   */
  public Instant expiresAt() {
    try {
      return issuedAt.plus(expiresIn);
    } catch (DateTimeException | ArithmeticException e) {
      return Instant.MAX;
    }
  }

  /** Hides both tokens, so that logging a response cannot leak them. */
  @Override
  public String toString() {
    return "TokenResponse[token=<hidden>, issuedAt="
        + issuedAt
        + ", expiresIn="
        + expiresIn
        + ", refreshToken="
        + (refreshToken.isPresent() ? "<hidden>" : "<none>")
        + "]";
  }

  private static Optional<String> text(JsonNode root, String field) {
    JsonNode node = root.path(field);
    return node.isTextual() && !node.textValue().isEmpty()
        ? Optional.of(node.textValue())
        : Optional.empty();
  }

  private static Duration expiresIn(JsonNode root) {
    JsonNode node = root.path("expires_in");
    long seconds;
    if (node.isNumber()) {
      seconds =
          node.canConvertToLong() ? node.longValue() : node.doubleValue() > 0 ? Long.MAX_VALUE : 0;
    } else if (node.isTextual()) {
      // Some token services quote the number.
      try {
        seconds = Long.parseLong(node.textValue().trim());
      } catch (NumberFormatException e) {
        seconds = 0;
      }
    } else {
      seconds = 0;
    }
    return seconds < MIN_EXPIRES_IN.getSeconds() ? MIN_EXPIRES_IN : Duration.ofSeconds(seconds);
  }

  private static Instant issuedAt(JsonNode root, Instant now) {
    JsonNode node = root.path("issued_at");
    if (!node.isTextual()) {
      return now;
    }
    // RFC 3339 allows lower-case 't' and 'z' and a space instead of 'T'; ISO_OFFSET_DATE_TIME does
    // not.
    String text = node.textValue().trim().toUpperCase(Locale.ROOT);
    if (text.length() > 10 && text.charAt(10) == ' ') {
      text = text.substring(0, 10) + 'T' + text.substring(11);
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    } catch (DateTimeException e) {
      return now;
    }
  }

  /** The token goes into a header value; a CR or LF there would split the header. */
  private static boolean isHeaderSafe(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Says what the body looks like without quoting it. */
  private static String describeNonJson(byte[] body) {
    int i = 0;
    while (i < body.length && Character.isWhitespace(body[i])) {
      i++;
    }
    if (i == body.length) {
      return " (empty body)";
    }
    if (body[i] == '<') {
      return " (looks like HTML or XML, " + body.length + " bytes)";
    }
    return " (" + body.length + " bytes)";
  }
}
