package io.registryreactive.internal.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235 section 4.1), as a registry sends it
 * with a 401 to say where and how to authenticate.
 *
 * <p>The header is parsed with the RFC grammar rather than by splitting on commas, because the
 * values that matter most hold commas themselves ({@code scope="repository:a/b:pull,push"}), may
 * hold {@code \"} escapes, and one header value may carry several challenges ({@code Bearer
 * realm="x",service="y", Basic realm="z"}). Header values come from the network, so the parser
 * never throws: an element it cannot read is skipped up to the next comma and everything it could
 * read is returned.
 *
 * @param scheme the authentication scheme, lower-cased because schemes are case-insensitive
 * @param params the auth-params in header order, names lower-cased (they are case-insensitive),
 *     values with quoting removed; the first occurrence of a repeated name wins
 * @param token68 the token68 form some schemes use instead of parameters (RFC 7235 section 2.1)
 */
record AuthChallenge(String scheme, Map<String, String> params, Optional<String> token68) {

  /**
   * Normalises names to lower case and freezes the parameters.
   *
   * @throws NullPointerException if any argument, parameter name or value is null
   * @param scheme the authentication scheme, lower-cased because schemes are case-insensitive
   * @param params the auth-params in header order, names lower-cased (they are case-insensitive),
   *     values with quoting removed; the first occurrence of a repeated name wins
   * @param token68 the token68 form some schemes use instead of parameters (RFC 7235 section 2.1)
   */
  public AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    Map<String, String> copy = new LinkedHashMap<>();
    params.forEach(
        (name, value) ->
            copy.putIfAbsent(
                name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value")));
    params = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(token68, "token68");
  }

  /**
   * Parses one {@code WWW-Authenticate} header value, which may hold several challenges.
   *
   * @param headerValue the raw header value
   * @return the challenges in header order; empty if none could be read
   */
  public static List<AuthChallenge> parse(String headerValue) {
    return List.copyOf(new Parser(headerValue).challenges());
  }

  /**
   * Parses every {@code WWW-Authenticate} header of a response: servers may send one header per
   * challenge instead of one comma-separated header.
   *
   * @param headerValues the raw header values, in response order
   * @return the challenges of all values, in order
   */
  public static List<AuthChallenge> parseAll(List<String> headerValues) {
    List<AuthChallenge> all = new ArrayList<>();
    for (String value : headerValues) {
      all.addAll(new Parser(value).challenges());
    }
    return List.copyOf(all);
  }

  /**
   * A parameter by name.
   *
   * @param name the parameter name, in any case
   * @return its value, or empty if the challenge has no such parameter
   */
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The {@code realm}: for Bearer the token service URL, for Basic only a label.
   *
   * @return the realm, or empty if absent
   */
  public Optional<String> realm() {
    return param("realm");
  }

  /**
   * The {@code service} to name in the token request.
   *
   * @return the service, or empty if absent
   */
  public Optional<String> service() {
    return param("service");
  }

  /**
   * The raw {@code scope} parameter; it may list several scopes separated by spaces.
   *
   * @return the scope text, or empty if absent
   */
  public Optional<String> scope() {
    return param("scope");
  }

  /**
   * The scopes the registry asked for, so that a token request can include them; scopes that do not
   * follow the {@code type:name:actions} grammar are dropped rather than failing the request.
   *
   * @return the readable scopes of the {@code scope} parameter, possibly empty
   */
  public List<Scope> scopes() {
    List<Scope> scopes = new ArrayList<>();
    scope()
        .ifPresent(
            text -> {
              for (String part : text.trim().split("\\s+")) {
                Scope.tryParse(part).ifPresent(scopes::add);
              }
            });
    return List.copyOf(scopes);
  }

  /**
   * The {@code error} parameter (RFC 6750), such as {@code insufficient_scope} or {@code
   * invalid_token}, which tells a retry with new scopes apart from one with new credentials.
   *
   * @return the error code, or empty if absent
   */
  public Optional<String> error() {
    return param("error");
  }

  /**
   * Whether the scheme is {@code Bearer} (token authentication).
   *
   * @return {@code true} for Bearer
   */
  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  /**
   * Whether the scheme is {@code Basic} (credentials sent with every request).
   *
   * @return {@code true} for Basic
   */
  public boolean isBasic() {
    return scheme.equals("basic");
  }

  /**
   * Hides the token68 value: for schemes such as Negotiate it is part of an authentication
   * exchange.
   */
  @Override
  public String toString() {
    return "AuthChallenge[scheme="
        + scheme
        + ", params="
        + params
        + (token68.isPresent() ? ", token68=<hidden>" : "")
        + "]";
  }

  /** A cursor over one header value; never reads past the end, so garbage cannot throw. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    List<AuthChallenge> challenges() {
      List<AuthChallenge> result = new ArrayList<>();
      while (true) {
        skipListSeparators();
        if (atEnd()) {
          return result;
        }
        int start = pos;
        String scheme = readToken();
        if (scheme.isEmpty() || !(atEnd() || isWhitespace(peek()) || peek() == ',')) {
          // A stray parameter or a quoted string with no scheme before it: not a challenge.
          pos = start;
          skipElement();
          continue;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Optional<String> token68 = Optional.empty();
        boolean spaceAfterScheme = skipWhitespace();
        if (spaceAfterScheme && !atEnd() && peek() != ',') {
          token68 = readToken68();
        }
        if (token68.isEmpty()) {
          readParams(params);
        }
        result.add(new AuthChallenge(scheme, params, token68));
      }
    }

    /**
     * Reads {@code name=value} elements until the next element is not a parameter, which is then
     * the next challenge's scheme (for example the {@code Basic} of {@code ..., Basic realm="z"}).
     */
    private void readParams(Map<String, String> params) {
      while (true) {
        skipListSeparators();
        if (atEnd()) {
          return;
        }
        int nameStart = pos;
        String name = readToken();
        if (name.isEmpty()) {
          // Neither a parameter nor a scheme: drop this element and go on with the challenge.
          skipElement();
          continue;
        }
        skipWhitespace();
        if (atEnd() || peek() != '=') {
          pos = nameStart;
          return;
        }
        pos++;
        skipWhitespace();
        String value = !atEnd() && peek() == '"' ? readQuoted() : readBareValue();
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
        skipWhitespace();
        if (!atEnd() && peek() != ',') {
          skipElement();
        }
      }
    }

    /** Reads a token68 if the rest of this element is one; otherwise leaves the cursor unmoved. */
    private Optional<String> readToken68() {
      int start = pos;
      while (!atEnd() && isToken68Char(peek())) {
        pos++;
      }
      if (pos == start) {
        return Optional.empty();
      }
      while (!atEnd() && peek() == '=') {
        pos++;
      }
      int end = pos;
      skipWhitespace();
      if (atEnd() || peek() == ',') {
        return Optional.of(text.substring(start, end));
      }
      pos = start;
      return Optional.empty();
    }

    private String readToken() {
      int start = pos;
      while (!atEnd() && isTokenChar(peek())) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** Reads a quoted-string, undoing quoted-pairs; an unterminated one yields what was there. */
    private String readQuoted() {
      pos++;
      StringBuilder value = new StringBuilder();
      while (!atEnd()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (atEnd()) {
            break;
          }
          value.append(text.charAt(pos++));
        } else {
          value.append(c);
        }
      }
      return value.toString();
    }

    /**
     * Reads an unquoted value. Wider than the RFC's token so that values servers send unquoted
     * anyway, such as {@code realm=https://auth.example/token}, survive.
     */
    private String readBareValue() {
      int start = pos;
      while (!atEnd() && peek() != ',' && !isWhitespace(peek())) {
        pos++;
      }
      return text.substring(start, pos);
    }

    /** Skips to the next comma outside a quoted string, so a comma inside quotes is not a break. */
    private void skipElement() {
      while (!atEnd() && peek() != ',') {
        if (peek() == '"') {
          readQuoted();
        } else {
          pos++;
        }
      }
    }

    private void skipListSeparators() {
      while (!atEnd() && (peek() == ',' || isWhitespace(peek()))) {
        pos++;
      }
    }

    private boolean skipWhitespace() {
      int start = pos;
      while (!atEnd() && isWhitespace(peek())) {
        pos++;
      }
      return pos > start;
    }

    private boolean atEnd() {
      return pos >= text.length();
    }

    private char peek() {
      return text.charAt(pos);
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isAlphaNumeric(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isTokenChar(char c) {
      return isAlphaNumeric(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isToken68Char(char c) {
      return isAlphaNumeric(c) || "-._~+/".indexOf(c) >= 0;
    }
  }
}
