package io.registryreactive.internal.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where text the SDK or the CLI produces loses its secrets: exception messages, body
 * excerpts, log lines, credential-helper output, reports and plans all pass through {@link
 * #redact(String)}.
 *
 * <p>Two nets. The secrets this process is using - passwords, their base64 {@code user:password},
 * identity and refresh tokens, bearer tokens obtained - are registered when they come into use and
 * replaced by {@code ***} wherever they appear, in whatever text. Generic patterns catch what looks
 * like a credential even when it was never registered: {@code Basic ...} and {@code Bearer ...}
 * header values, {@code Authorization:} header lines, JSON fields such as {@code "token"}, {@code
 * "access_token"}, {@code "refresh_token"}, {@code "password"}, {@code "auth"}, form fields {@code
 * password=...}, and the user info of URLs.
 *
 * <p>The registry of secrets is process-wide, since exceptions are made in many places that know no
 * client; it keeps the {@value #MAX_SECRETS} most recently registered, and ignores secrets shorter
 * than {@value #MIN_SECRET_LENGTH} characters, which would blank out ordinary words (the patterns
 * still catch those in headers and JSON). Thread-safe.
 */
public final class Redactor {

  /** What a secret is replaced with. */
  public static final String MASK = "***";

  static final int MAX_SECRETS = 1024;
  static final int MIN_SECRET_LENGTH = 4;

  private static final Map<String, Boolean> SECRETS =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_SECRETS;
        }
      };

  /** Longest first, so that a secret containing another is replaced whole. */
  private static volatile List<String> ordered = List.of();

  private static final Pattern AUTH_SCHEME =
      // An auth-param (Bearer realm="...") is a challenge, not a credential: left alone.
      Pattern.compile("(?i)\\b(Basic|Bearer)(\\s+)(?![A-Za-z]+=\")[A-Za-z0-9._~+/=-]{4,}");
  private static final Pattern AUTH_HEADER =
      Pattern.compile("(?i)\\b((?:proxy-)?authorization)(\"?\\s*[:=]\\s*\"?)[^\"\\r\\n,}]+");
  private static final Pattern JSON_FIELD =
      Pattern.compile(
          "(?i)(\"(?:token|access_token|refresh_token|id_token|identitytoken|identity_token|password|secret|auth)\"\\s*:\\s*\")"
              + "(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern FORM_FIELD =
      Pattern.compile("(?i)\\b((?:password|refresh_token|access_token|token|secret)=)[^&\\s\"']+");
  private static final Pattern URL_USERINFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@\"']+@");

  /**
   * Secret-looking words in output we cannot parse (credential helpers): long runs of token
   * characters.
   */
  private static final Pattern TOKEN_LIKE =
      Pattern.compile(
          "(?<![A-Za-z0-9+/=_.-])(?=[A-Za-z0-9+/=_.-]*[0-9])(?=[A-Za-z0-9+/=_.-]*[A-Za-z])"
              + "[A-Za-z0-9+/=_.-]{20,}");

  private Redactor() {}

  /**
   * Remembers a secret, so that it is masked wherever it appears from now on.
   *
   * @param secret a password, token or similar; short or empty values are ignored
   */
  public static void register(String secret) {
    if (secret.length() < MIN_SECRET_LENGTH) {
      return;
    }
    synchronized (SECRETS) {
      if (SECRETS.put(secret, Boolean.TRUE) == null) {
        List<String> all = new ArrayList<>(SECRETS.keySet());
        all.sort(Comparator.comparingInt(String::length).reversed());
        ordered = List.copyOf(all);
      }
    }
  }

  /**
   * Remembers user name and password: the password itself and the base64 {@code user:password} that
   * a {@code Basic} header carries.
   *
   * @param username the user name
   * @param password the password
   */
  public static void registerBasic(String username, String password) {
    register(password);
    register(
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Masks every known secret and everything that looks like a credential.
   *
   * @param text any text
   * @return the text without secrets
   */
  public static String redact(String text) {
    return redact(text, true);
  }

  /**
   * {@link #redact(String)}; {@code prefilter} false runs every pattern whatever the text holds
   * (tests compare the two).
   */
  static String redact(String text, boolean prefilter) {
    if (text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : ordered) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    // Each pattern needs a word that it matches ASCII-case-insensitively; text without any of them
    // (most lines of a plan or report) skips the pattern. The lower-cased copy only answers
    // "contains": a necessary condition, so a skipped pattern could not have matched.
    String lower = prefilter ? out.toLowerCase(Locale.ROOT) : "";
    boolean tokenWords =
        !prefilter
            || lower.contains("token")
            || lower.contains("password")
            || lower.contains("secret");
    if (!prefilter || lower.contains("basic") || lower.contains("bearer")) {
      out = AUTH_SCHEME.matcher(out).replaceAll("$1$2" + MASK);
    }
    if (!prefilter || lower.contains("authorization")) {
      out =
          AUTH_HEADER
              .matcher(out)
              .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
    }
    if (!prefilter || ((tokenWords || lower.contains("auth")) && out.indexOf('"') >= 0)) {
      out =
          JSON_FIELD
              .matcher(out)
              .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "\""));
    }
    if (!prefilter || (tokenWords && out.indexOf('=') >= 0)) {
      out = FORM_FIELD.matcher(out).replaceAll("$1" + MASK);
    }
    if (!prefilter || (out.contains("://") && out.indexOf('@') >= 0)) {
      out = URL_USERINFO.matcher(out).replaceAll("$1" + MASK + "@");
    }
    return out;
  }

  /**
   * {@link #redact(String)}, and also masks long words mixing letters and digits: for the output of
   * programs such as credential helpers, which may print a secret this process never saw.
   *
   * @param text output of another program
   * @return the text without anything that looks like a secret
   */
  public static String redactForeign(String text) {
    return TOKEN_LIKE.matcher(redact(text)).replaceAll(MASK);
  }
}
