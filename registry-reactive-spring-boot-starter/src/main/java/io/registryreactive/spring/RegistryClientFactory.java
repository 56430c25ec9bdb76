package io.registryreactive.spring;

import io.registryreactive.ProxyOptions;
import io.registryreactive.RateLimitOptions;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import java.time.Duration;

/** Turns the properties into a builder; each bad value fails naming its property. */
final class RegistryClientFactory {
  private static final String P = "registry.reactive.";

  private RegistryClientFactory() {}

  static ReactiveRegistryClient.Builder builder(RegistryReactiveProperties p) {
    ReactiveRegistryClient.Builder b = ReactiveRegistryClient.builder();
    String url = p.getUrl();
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(P + "url is required (e.g. https://registry.example.com)");
    }
    set("url", () -> b.baseUrl(url));
    if (p.getUsername() != null && !p.getUsername().isEmpty()) {
      String password = p.getPassword() == null ? "" : p.getPassword();
      set("username", () -> b.credentials(RegistryCredentials.basic(p.getUsername(), password)));
    } else if (p.getDockerConfig() != null) {
      set(
          "docker-config",
          () -> b.credentials(RegistryCredentials.dockerConfig(p.getDockerConfig())));
    }
    if (p.getConcurrency() != null) {
      set("concurrency", () -> b.maxConcurrentRequests(p.getConcurrency()));
    }
    if (p.getRateLimit() != null) {
      set("rate-limit", () -> b.rateLimit(RateLimitOptions.perSecond(p.getRateLimit())));
    }
    if (p.getConnectTimeout() != null) {
      set("connect-timeout", () -> b.connectTimeout(p.getConnectTimeout()));
    }
    if (p.getResponseTimeout() != null) {
      set("response-timeout", () -> b.responseTimeout(p.getResponseTimeout()));
    }
    if (p.getRequestDeadline() != null) {
      set("request-deadline", () -> b.requestDeadline(p.getRequestDeadline()));
    }
    if (p.getProxy() != null && !p.getProxy().isBlank()) {
      set("proxy", () -> b.proxy(ProxyOptions.of(p.getProxy())));
    }
    b.connectionMetrics(p.isConnectionMetrics());
    b.retry(retry(p.getRetry()));
    RegistryReactiveProperties.Tls tls = p.getTls();
    b.insecureTls(tls.isInsecure());
    if (tls.getCaCert() != null) {
      set("tls.ca-cert", () -> b.trustedCertificates(tls.getCaCert()));
    }
    if ((tls.getClientCert() == null) != (tls.getClientKey() == null)) {
      throw new IllegalStateException(
          P + "tls.client-cert and " + P + "tls.client-key go together: set both or neither");
    }
    if (tls.getClientCert() != null) {
      set("tls.client-cert", () -> b.clientCertificate(tls.getClientCert(), tls.getClientKey()));
    }
    return b;
  }

  private static RetryOptions retry(RegistryReactiveProperties.Retry r) {
    RetryOptions.Builder b = RetryOptions.builder();
    if (r.getAttempts() != null) {
      set("retry.attempts", () -> b.maxAttempts(r.getAttempts()));
    }
    if (r.getBackoff() != null) {
      set("retry.backoff", () -> b.initialBackoff(r.getBackoff()));
    }
    if (r.getMaxBackoff() != null) {
      set("retry.max-backoff", () -> b.maxBackoff(r.getMaxBackoff()));
    }
    Duration budget = r.getBudget();
    if (budget != null) {
      set("retry.budget", () -> b.retryFor(budget));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(P + "retry: " + e.getMessage(), e);
    }
  }

  private static void set(String property, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("invalid " + P + property + ": " + e.getMessage(), e);
    }
  }
}
