package io.registryreactive.testkit;

import io.registryreactive.ReactiveRegistryClient;
import org.junit.jupiter.api.BeforeEach;

/**
 * A {@link RealRegistryFixture} that also holds, during each test, a client logged in as the
 * registry's user ({@link #client}, closed by JUnit when the test ends) and an {@link ImageSeeder}
 * pushing through it ({@link #seeder}): the fixture of integration tests that seed images and then
 * read them back.
 */
public abstract class RealRegistryClientFixture extends RealRegistryFixture {

  /**
   * A client authenticated as the registry's user, bound before each test by {@link #bindClient}.
   */
  protected ReactiveRegistryClient client;

  /** Pushes test images through {@link #client}. */
  protected ImageSeeder seeder;

  /** Creates the fixture; JUnit does this for the subclass. */
  protected RealRegistryClientFixture() {}

  /**
   * Binds the client that {@link RealRegistryExtension} created for this test, and a seeder using
   * it.
   *
   * @param client the authenticated client, resolved (and later closed) by the extension
   */
  @BeforeEach
  protected final void bindClient(ReactiveRegistryClient client) {
    this.client = client;
    this.seeder = new ImageSeeder(client);
  }
}
