package io.registryreactive;

import io.registryreactive.testkit.StubRegistry;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fixture of the client tests here that talk to one stub registry: the registry (the extension
 * starts it before the test class and stops it after), the test's client of it (closed after each
 * test), and the {@link ClientCalls} bound to it.
 */
abstract class StubClientFixture {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  final ReactiveRegistryClient client = registry.client();

  final ClientCalls calls = new ClientCalls(registry);
}
