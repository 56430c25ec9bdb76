package io.registryreactive.internal.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;

/**
 * An HTTP proxy and the hosts that bypass it. Netty's HTTP proxy handler opens a {@code CONNECT}
 * tunnel for every connection, https and plain http alike: the proxy sees the target host and port
 * in the {@code CONNECT} request, and only bytes inside the tunnel after that. The registry's
 * {@code Authorization} header is never part of the {@code CONNECT} request; over https it is
 * encrypted inside the tunnel, over plain http the proxy can read it there.
 *
 * @param host the proxy's host
 * @param port the proxy's port
 * @param noProxy {@code NO_PROXY} entries: {@code *}, host names (matching their subdomains too),
 *     {@code .domain} suffixes, IP literals, CIDR ranges, each optionally with {@code :port}
 */
public record ProxySettings(String host, int port, List<String> noProxy) {

  /**
   * Copies the list.
   *
   * @param host the proxy's host
   * @param port the proxy's port
   * @param noProxy {@code NO_PROXY} entries: {@code *}, host names (matching their subdomains too),
   *     {@code .domain} suffixes, IP literals, CIDR ranges, each optionally with {@code :port}
   */
  public ProxySettings {
    noProxy = List.copyOf(noProxy);
  }

  static HttpClient apply(HttpClient client, ProxySettings proxy) {
    return client.proxy(
        spec ->
            spec.type(ProxyProvider.Proxy.HTTP)
                .host(proxy.host())
                .port(proxy.port())
                .nonProxyHostsPredicate(proxy::bypasses));
  }

  /**
   * Whether a connection to this address goes direct.
   *
   * @param address the target, resolved or not
   * @return {@code true} if a {@code NO_PROXY} entry matches
   */
  public boolean bypasses(SocketAddress address) {
    if (!(address instanceof InetSocketAddress a)) {
      return false;
    }
    return bypasses(a.getHostString(), a.getPort());
  }

  /**
   * Whether a host and port go direct.
   *
   * @param targetHost host name or IP literal
   * @param targetPort port
   * @return {@code true} if a {@code NO_PROXY} entry matches
   */
  public boolean bypasses(String targetHost, int targetPort) {
    String h = strip(targetHost.toLowerCase(Locale.ROOT));
    for (String raw : noProxy) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return true;
      }
      int entryPort = -1;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && entry.indexOf(':') == colon && !entry.contains("/")) {
        try {
          entryPort = Integer.parseInt(entry.substring(colon + 1));
          entry = entry.substring(0, colon);
        } catch (NumberFormatException e) {
          continue;
        }
      } else if (entry.startsWith("[") && entry.contains("]:")) {
        entryPort = Integer.parseInt(entry.substring(entry.indexOf("]:") + 2));
        entry = entry.substring(0, entry.indexOf("]:") + 1);
      }
      if (entryPort != -1 && entryPort != targetPort) {
        continue;
      }
      entry = strip(entry);
      if (entry.contains("/")) {
        if (inCidr(h, entry)) {
          return true;
        }
      } else if (entry.startsWith(".")) {
        if (h.endsWith(entry) || h.equals(entry.substring(1))) {
          return true;
        }
      } else if (h.equals(entry) || h.endsWith("." + entry)) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean isIpLiteral(String s) {
    return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-f:.]+"));
  }

  /** CIDR match for IP literals only: a host name is never resolved to decide (no DNS here). */
  private static boolean inCidr(String host, String cidr) {
    int slash = cidr.indexOf('/');
    String network = cidr.substring(0, slash);
    if (!isIpLiteral(host) || !isIpLiteral(network)) {
      return false;
    }
    try {
      byte[] a = InetAddress.getByName(host).getAddress();
      byte[] n = InetAddress.getByName(network).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (a.length != n.length || bits < 0 || bits > a.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((a[i / 8] & mask) != (n[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }

  /**
   * Splits a {@code NO_PROXY} value.
   *
   * @param value comma- (or space-) separated entries
   * @return the entries
   */
  public static List<String> parseNoProxy(String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.split("[,\\s]+")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
