package io.registryreactive.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code registry.reactive.*} properties the starter builds its {@code ReactiveRegistryClient}
 * from. Unset values keep the SDK's defaults (stated per property).
 */
@ConfigurationProperties(prefix = "registry.reactive")
public class RegistryReactiveProperties {
  /**
   * Registry base URL, e.g. https://registry.example.com or http://127.0.0.1:5000 (plain http must
   * be asked for with http://). Required.
   */
  private @Nullable String url;

  /** User name for basic auth (with password); unset for anonymous or docker-config credentials. */
  private @Nullable String username;

  /** Password for basic auth; never logged or shown in health details. */
  private @Nullable String password;

  /**
   * A Docker config.json (or a directory holding one) to read stored credentials from, like docker
   * login; ignored when username is set.
   */
  private @Nullable Path dockerConfig;

  /** Requests in flight at most, client-wide (SDK default 16). */
  private @Nullable Integer concurrency;

  /** Requests per second at most (unset: no fixed cap; a 429 still pauses the client). */
  private @Nullable Double rateLimit;

  /** TCP connect timeout (SDK default 10s). */
  private @Nullable Duration connectTimeout;

  /** Time to the response headers and between body reads (SDK default 60s). */
  private @Nullable Duration responseTimeout;

  /** Limit on one request including its retries and waits (unset: none). */
  private @Nullable Duration requestDeadline;

  /** Record Reactor Netty's own connection-pool and HTTP client meters (default false). */
  private boolean connectionMetrics;

  /**
   * HTTP(S) proxy URL, e.g. http://proxy.example.com:3128 (unset: none; the environment's
   * HTTPS_PROXY is not read).
   */
  private @Nullable String proxy;

  private final Retry retry = new Retry();
  private final Tls tls = new Tls();

  /** Retry settings. */
  public static class Retry {
    /** Attempts per request, the first included; 1 disables retries (SDK default 5). */
    private @Nullable Integer attempts;

    /** Wait before the first retry, doubling after each (SDK default 250ms). */
    private @Nullable Duration backoff;

    /** Longest wait between retries (SDK default 10s). */
    private @Nullable Duration maxBackoff;

    /**
     * Retry by time instead of attempts: while the first attempt started less than this ago (for
     * batch jobs; unset: retry by attempts).
     */
    private @Nullable Duration budget;

    /**
     * @return attempts, if set
     */
    public @Nullable Integer getAttempts() {
      return attempts;
    }

    /**
     * @param attempts attempts per request
     */
    public void setAttempts(@Nullable Integer attempts) {
      this.attempts = attempts;
    }

    /**
     * @return the first backoff, if set
     */
    public @Nullable Duration getBackoff() {
      return backoff;
    }

    /**
     * @param backoff the first backoff
     */
    public void setBackoff(@Nullable Duration backoff) {
      this.backoff = backoff;
    }

    /**
     * @return the longest backoff, if set
     */
    public @Nullable Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * @param maxBackoff the longest backoff
     */
    public void setMaxBackoff(@Nullable Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /**
     * @return the retry budget, if set
     */
    public @Nullable Duration getBudget() {
      return budget;
    }

    /**
     * @param budget the retry budget
     */
    public void setBudget(@Nullable Duration budget) {
      this.budget = budget;
    }
  }

  /** TLS settings. */
  public static class Tls {
    /** PEM file of extra CA certificates to trust (beside the JDK's). */
    private @Nullable Path caCert;

    /** PEM client certificate for mutual TLS (with client-key). */
    private @Nullable Path clientCert;

    /** PEM PKCS#8 private key of the client certificate (with client-cert). */
    private @Nullable Path clientKey;

    /** Trust any server certificate: test registries only (default false). */
    private boolean insecure;

    /**
     * @return the CA file, if set
     */
    public @Nullable Path getCaCert() {
      return caCert;
    }

    /**
     * @param caCert the CA file
     */
    public void setCaCert(@Nullable Path caCert) {
      this.caCert = caCert;
    }

    /**
     * @return the client certificate, if set
     */
    public @Nullable Path getClientCert() {
      return clientCert;
    }

    /**
     * @param clientCert the client certificate
     */
    public void setClientCert(@Nullable Path clientCert) {
      this.clientCert = clientCert;
    }

    /**
     * @return the client key, if set
     */
    public @Nullable Path getClientKey() {
      return clientKey;
    }

    /**
     * @param clientKey the client key
     */
    public void setClientKey(@Nullable Path clientKey) {
      this.clientKey = clientKey;
    }

    /**
     * @return whether any certificate is trusted
     */
    public boolean isInsecure() {
      return insecure;
    }

    /**
     * @param insecure whether to trust any certificate
     */
    public void setInsecure(boolean insecure) {
      this.insecure = insecure;
    }
  }

  /**
   * @return the URL, if set
   */
  public @Nullable String getUrl() {
    return url;
  }

  /**
   * @param url the registry URL
   */
  public void setUrl(@Nullable String url) {
    this.url = url;
  }

  /**
   * @return the user name, if set
   */
  public @Nullable String getUsername() {
    return username;
  }

  /**
   * @param username the user name
   */
  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  /**
   * @return the password, if set
   */
  public @Nullable String getPassword() {
    return password;
  }

  /**
   * @param password the password
   */
  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  /**
   * @return the docker config path, if set
   */
  public @Nullable Path getDockerConfig() {
    return dockerConfig;
  }

  /**
   * @param dockerConfig a config.json or its directory
   */
  public void setDockerConfig(@Nullable Path dockerConfig) {
    this.dockerConfig = dockerConfig;
  }

  /**
   * @return the concurrency, if set
   */
  public @Nullable Integer getConcurrency() {
    return concurrency;
  }

  /**
   * @param concurrency requests in flight at most
   */
  public void setConcurrency(@Nullable Integer concurrency) {
    this.concurrency = concurrency;
  }

  /**
   * @return the rate limit, if set
   */
  public @Nullable Double getRateLimit() {
    return rateLimit;
  }

  /**
   * @param rateLimit requests per second at most
   */
  public void setRateLimit(@Nullable Double rateLimit) {
    this.rateLimit = rateLimit;
  }

  /**
   * @return the connect timeout, if set
   */
  public @Nullable Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * @param connectTimeout the connect timeout
   */
  public void setConnectTimeout(@Nullable Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * @return the response timeout, if set
   */
  public @Nullable Duration getResponseTimeout() {
    return responseTimeout;
  }

  /**
   * @param responseTimeout the response timeout
   */
  public void setResponseTimeout(@Nullable Duration responseTimeout) {
    this.responseTimeout = responseTimeout;
  }

  /**
   * @return the request deadline, if set
   */
  public @Nullable Duration getRequestDeadline() {
    return requestDeadline;
  }

  /**
   * @param requestDeadline the request deadline
   */
  public void setRequestDeadline(@Nullable Duration requestDeadline) {
    this.requestDeadline = requestDeadline;
  }

  /**
   * @return whether Reactor Netty's meters are recorded
   */
  public boolean isConnectionMetrics() {
    return connectionMetrics;
  }

  /**
   * @param connectionMetrics whether to record Reactor Netty's meters
   */
  public void setConnectionMetrics(boolean connectionMetrics) {
    this.connectionMetrics = connectionMetrics;
  }

  /**
   * @return the proxy URL, if set
   */
  public @Nullable String getProxy() {
    return proxy;
  }

  /**
   * @param proxy the proxy URL
   */
  public void setProxy(@Nullable String proxy) {
    this.proxy = proxy;
  }

  /**
   * @return the retry settings
   */
  public Retry getRetry() {
    return retry;
  }

  /**
   * @return the TLS settings
   */
  public Tls getTls() {
    return tls;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RegistryReactiveProperties[url=" + url + ", username=" + username + "]";
  }
}
