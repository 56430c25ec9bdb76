package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;

/**
 * Shared by the examples: {@code getLoginSessionBasedOnBasicAuth(user, pw)} + {@code testValid()}.
 */
final class Connect {
  private Connect() {}

  static ReactiveRegistryClient login(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: REGISTRY_URL USERNAME [more...]   (password in REGISTRY_PASSWORD)");
    }
    String password = System.getenv().getOrDefault("REGISTRY_PASSWORD", "");
    // [login]
    ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(args[0])
            .credentials(RegistryCredentials.basic(args[1], password))
            .build();
    client.checkAuth().block(); // AuthenticationException if the credentials are refused
    // [login]
    return client;
  }
}
