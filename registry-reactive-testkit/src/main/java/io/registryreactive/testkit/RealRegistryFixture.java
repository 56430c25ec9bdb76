package io.registryreactive.testkit;

import org.junit.jupiter.api.BeforeEach;

/**
 * Base of an integration test class that works on one {@link RealRegistry} registry: the class's
 * registry is in {@link #registry} during each test, so the test class needs no constructor of its
 * own. Annotate the subclass with {@code @RealRegistry(...)} to choose the registry's options (the
 * subclass's annotation wins over the one inherited from here).
 *
 * <pre>{@code
 * class PruneJournalIT extends RealRegistryFixture {
 *     @Test
 *     void records() { try (var client = RegistryClients.authenticated(registry)) { ... } }
 * }
 * }</pre>
 */
@RealRegistry
public abstract class RealRegistryFixture {

  /** The class's registry, bound before each test by {@link #bindRealRegistry}. */
  protected RegistryProcess registry;

  /** Creates the fixture; JUnit does this for the subclass. */
  protected RealRegistryFixture() {}

  /**
   * Binds the registry that {@link RealRegistryExtension} started for the test class.
   *
   * @param registry the class's registry, resolved by the extension
   */
  @BeforeEach
  protected final void bindRealRegistry(RegistryProcess registry) {
    this.registry = registry;
  }
}
