package io.registryreactive.it;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.RegistryProcess;
import java.time.Duration;

/** Clients for a test registry: with its credentials, with a given password, or anonymous. */
final class ItClients {

  /** Bound on every blocking wait in these tests; a healthy loopback registry answers in milliseconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ItClients() {
  }

  /** @return a client with the registry's user name and password */
  static ReactiveRegistryClient authenticated(RegistryProcess registry) {
    return withPassword(registry, registry.password());
  }

  /** @return a client with the registry's user name and the given password */
  static ReactiveRegistryClient withPassword(RegistryProcess registry, String password) {
    return builder(registry).credentials(RegistryCredentials.basic(registry.username(), password)).build();
  }

  /** @return a client without credentials */
  static ReactiveRegistryClient anonymous(RegistryProcess registry) {
    return builder(registry).credentials(RegistryCredentials.anonymous()).build();
  }

  /** @return a builder for the registry's base URL, other options at their defaults */
  static ReactiveRegistryClient.Builder builder(RegistryProcess registry) {
    return ReactiveRegistryClient.builder().baseUrl(registry.baseUrl());
  }
}
