package io.registryreactive.internal.endpoint;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the {@code rel="next"} target in {@code Link} headers (RFC 8288). The URL is used as the
 * registry gave it - never rebuilt from {@code n}/{@code last}, since some registries use opaque
 * cursors - and a relative URL is resolved against the URL of the request that returned it.
 */
final class LinkHeader {

  private LinkHeader() {}

  /**
   * The next page's absolute URL.
   *
   * @param values all {@code Link} header values of a response
   * @param requestUri the URL that returned them
   * @return the next URL, or empty on the last page
   */
  static Optional<URI> next(List<String> values, URI requestUri) {
    for (String value : values) {
      int i = 0;
      while (i < value.length()) {
        int open = value.indexOf('<', i);
        if (open < 0) {
          break;
        }
        int close = value.indexOf('>', open);
        if (close < 0) {
          break;
        }
        String target = value.substring(open + 1, close).strip();
        int nextLink = findNextLinkStart(value, close + 1);
        String params = value.substring(close + 1, nextLink);
        if (isRelNext(params)) {
          return Optional.of(requestUri.resolve(target));
        }
        i = nextLink;
      }
    }
    return Optional.empty();
  }

  /** A new link starts at the first '<' that is not inside a quoted parameter value. */
  private static int findNextLinkStart(String value, int from) {
    boolean quoted = false;
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '<' && !quoted) {
        return i;
      }
    }
    return value.length();
  }

  private static boolean isRelNext(String params) {
    for (String param : params.split(";")) {
      String p = param.strip();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      if (p.substring(0, eq).strip().equalsIgnoreCase("rel")) {
        String rel = p.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
        for (String r : rel.split("\\s+")) {
          if (r.equals("next")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
