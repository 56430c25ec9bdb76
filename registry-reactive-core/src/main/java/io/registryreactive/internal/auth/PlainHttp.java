package io.registryreactive.internal.auth;

import java.net.URI;
import java.util.Locale;

/**
 * Where credentials over plain http are worth a warning: anywhere but this machine. Decided from
 * the host name alone, without a DNS lookup, so that checking never blocks or leaks the host name.
 */
public final class PlainHttp {

  private PlainHttp() {}

  /**
   * Whether a host is the loopback interface: {@code localhost} (and {@code *.localhost}), {@code
   * 127.0.0.0/8} or {@code ::1}.
   *
   * @param host a host name or IP literal, IPv6 with or without brackets
   * @return {@code true} for loopback
   */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return h.matches("127(\\.\\d{1,3}){3}");
  }

  /**
   * Whether sending credentials to this registry exposes them on the network: plain http to a host
   * that is not loopback.
   *
   * @param registry the registry's base URL
   * @return {@code true} if a warning is due
   */
  public static boolean exposesCredentials(URI registry) {
    return "http".equalsIgnoreCase(registry.getScheme())
        && registry.getHost() != null
        && !isLoopback(registry.getHost());
  }

  /**
   * The warning, one line.
   *
   * @param registry the registry's base URL
   * @return the text
   */
  public static String warning(URI registry) {
    return "sending registry credentials over plain http to "
        + registry.getHost()
        + (registry.getPort() == -1 ? "" : ":" + registry.getPort())
        + ": anyone on the network path can read them; use https:// if the registry supports it";
  }
}
