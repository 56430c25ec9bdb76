package io.registryreactive.auth;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.StubRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fixture of the token-auth tests: a stub registry and the separate token server its challenges
 * name (another origin, as in Docker Hub's and GHCR's setups). Each test class gets both servers
 * afresh: the extensions start them before the class and stop them after it.
 */
abstract class TokenServerFixture {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  @RegisterExtension static final StubRegistry tokenServer = RegistryStubs.newServer();

  /** Builds the client and closes it after the test. */
  ReactiveRegistryClient client(ReactiveRegistryClient.Builder builder) {
    return registry.closeAfterTest(builder.build());
  }
}
