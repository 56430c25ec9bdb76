package io.registryreactive.testkit;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import java.net.URI;
import java.time.Duration;

/**
 * Clients for a {@link RegistryProcess}: with its credentials, with a given password, or anonymous.
 */
public final class RegistryClients {

  /** Bound on every blocking wait in tests; a healthy loopback registry answers in milliseconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private RegistryClients() {}

  /**
   * A client with the registry's user name and password, other options at their defaults.
   *
   * @param registry the registry
   * @return a new client; the caller closes it
   */
  public static ReactiveRegistryClient authenticated(RegistryProcess registry) {
    return withPassword(registry, registry.password());
  }

  /**
   * A client with the registry's user name and the given password.
   *
   * @param registry the registry
   * @param password the password to send
   * @return a new client; the caller closes it
   */
  public static ReactiveRegistryClient withPassword(RegistryProcess registry, String password) {
    return builder(registry)
        .credentials(RegistryCredentials.basic(registry.username(), password))
        .build();
  }

  /**
   * A client without credentials.
   *
   * @param registry the registry
   * @return a new client; the caller closes it
   */
  public static ReactiveRegistryClient anonymous(RegistryProcess registry) {
    return builder(registry).credentials(RegistryCredentials.anonymous()).build();
  }

  /**
   * A builder for a client that reaches the registry through a proxy that fails requests (a {@link
   * FaultInjectingProxy}): the registry's credentials, and retries enough (ten attempts, 20 ms to
   * 500 ms apart) to ride out the proxy's faults.
   *
   * @param registry the registry behind the proxy, whose credentials the client sends
   * @param proxy the proxy's base URL
   * @return a new builder; set the concurrency and timeouts the test needs
   */
  public static ReactiveRegistryClient.Builder throughProxy(RegistryProcess registry, URI proxy) {
    return ReactiveRegistryClient.builder()
        .baseUrl(proxy)
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        .retry(
            RetryOptions.builder()
                .maxAttempts(10)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(500))
                .build());
  }

  /**
   * A builder for the registry's base URL, other options at their defaults.
   *
   * @param registry the registry
   * @return a new builder
   */
  public static ReactiveRegistryClient.Builder builder(RegistryProcess registry) {
    return ReactiveRegistryClient.builder().baseUrl(registry.baseUrl());
  }
}
