package io.registryreactive;

import io.registryreactive.internal.http.ProxySettings;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which HTTP proxy the client goes through, immutable. The default of the client builder is {@link
 * #none()}: the SDK reads no environment unless asked with {@link #fromEnvironment()}.
 *
 * <p>Connections go through the proxy as {@code CONNECT} tunnels. The registry's credentials are
 * never part of the {@code CONNECT} request: to an https registry they travel encrypted inside the
 * tunnel; to a plain-http registry they travel in clear text inside it, so the proxy can read them
 * (as with any proxy and plain http). Proxy authentication is not supported.
 *
 * <p>{@code NO_PROXY} entries: {@code *} (everything), a host name (also matching its subdomains),
 * {@code .domain} (subdomains), an IP literal, a CIDR range such as {@code 10.0.0.0/8}; any of them
 * with {@code :port}. Host names are compared as written, never resolved: {@code localhost} and
 * {@code 127.0.0.1} are different entries. Loopback is proxied unless listed.
 */
public final class ProxyOptions {
  private static final ProxyOptions NONE = new ProxyOptions(null, null, List.of());

  private final @Nullable URI httpProxy;
  private final @Nullable URI httpsProxy;
  private final List<String> noProxy;

  private ProxyOptions(@Nullable URI httpProxy, @Nullable URI httpsProxy, List<String> noProxy) {
    this.httpProxy = httpProxy;
    this.httpsProxy = httpsProxy;
    this.noProxy = List.copyOf(noProxy);
  }

  /**
   * @return no proxy: every connection goes direct
   */
  public static ProxyOptions none() {
    return NONE;
  }

  /**
   * One proxy for http and https registries.
   *
   * @param proxyUrl {@code http://host:port} or {@code host:port}
   * @return the options
   * @throws IllegalArgumentException if it is not an http proxy URL with host and port, or carries
   *     user info (not supported; the message does not repeat it)
   * @throws NullPointerException if {@code proxyUrl} is null
   */
  public static ProxyOptions of(String proxyUrl) {
    URI proxy = parse(Objects.requireNonNull(proxyUrl, "'proxyUrl' must not be null"), "proxy");
    return new ProxyOptions(proxy, proxy, List.of());
  }

  /**
   * The same proxies with these hosts going direct.
   *
   * @param noProxy a {@code NO_PROXY} value: entries separated by commas
   * @return new options
   */
  public ProxyOptions withNoProxy(String noProxy) {
    return new ProxyOptions(
        httpProxy,
        httpsProxy,
        ProxySettings.parseNoProxy(Objects.requireNonNull(noProxy, "'noProxy' must not be null")));
  }

  /**
   * The proxies of the process environment: {@code HTTPS_PROXY} for https registries, {@code
   * HTTP_PROXY} for http ones, {@code NO_PROXY} for exceptions; each upper-case name before its
   * lower-case form ({@code https_proxy}, ...), as in Go programs such as {@code docker}.
   *
   * @return the options; {@link #none()} if no variable is set
   * @throws IllegalArgumentException if a variable holds an unusable proxy URL (named in the
   *     message)
   */
  public static ProxyOptions fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * {@link #fromEnvironment()} with the variables given, for tests and for programs that keep their
   * own environment.
   *
   * @param environment variable names to values
   * @return the options
   * @throws IllegalArgumentException if a variable holds an unusable proxy URL
   */
  public static ProxyOptions fromEnvironment(Map<String, String> environment) {
    Optional<String> https = variable(environment, "HTTPS_PROXY");
    Optional<String> http = variable(environment, "HTTP_PROXY");
    Optional<String> no = variable(environment, "NO_PROXY");
    if (https.isEmpty() && http.isEmpty()) {
      return NONE;
    }
    return new ProxyOptions(
        http.map(v -> parse(v, "HTTP_PROXY")).orElse(null),
        https.map(v -> parse(v, "HTTPS_PROXY")).orElse(null),
        no.map(ProxySettings::parseNoProxy).orElse(List.of()));
  }

  private static Optional<String> variable(Map<String, String> env, String upper) {
    String v = env.get(upper);
    if (v == null || v.isBlank()) {
      v = env.get(upper.toLowerCase(Locale.ROOT));
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static URI parse(String value, String what) {
    String s = value.strip();
    String afterScheme = s.contains("://") ? s.substring(s.indexOf("://") + 3) : s;
    int slash = afterScheme.indexOf('/');
    if ((slash >= 0 ? afterScheme.substring(0, slash) : afterScheme).contains("@")) {
      throw new IllegalArgumentException(
          what + ": proxy authentication (user info in the URL) is not supported");
    }
    URI uri;
    try {
      uri = URI.create(s.contains("://") ? s : "http://" + s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not a URL: " + s, e);
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(what + " must be an http:// proxy, was: " + s);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(what + " has no host: " + s);
    }
    return uri;
  }

  /** The proxy for a registry (by its scheme), unless NO_PROXY sends it direct. */
  Optional<ProxySettings> settingsFor(URI registry) {
    URI proxy = "https".equalsIgnoreCase(registry.getScheme()) ? httpsProxy : httpProxy;
    if (proxy == null) {
      return Optional.empty();
    }
    int port = proxy.getPort() != -1 ? proxy.getPort() : 80;
    return Optional.of(new ProxySettings(proxy.getHost(), port, noProxy));
  }

  @Override
  public String toString() {
    if (httpProxy == null && httpsProxy == null) {
      return "ProxyOptions[none]";
    }
    return "ProxyOptions[http="
        + (httpProxy == null ? "none" : httpProxy)
        + ", https="
        + (httpsProxy == null ? "none" : httpsProxy)
        + ", noProxy="
        + noProxy
        + "]";
  }
}
