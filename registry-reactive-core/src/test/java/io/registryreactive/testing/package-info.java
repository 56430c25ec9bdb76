/**
 * Test support shared through the core test jar: {@link io.registryreactive.testing.RegistryProcess}
 * runs a real CNCF distribution registry on loopback, {@link io.registryreactive.testing.RealRegistry}
 * gives one to a JUnit test class.
 */
@NullMarked
package io.registryreactive.testing;

import org.jspecify.annotations.NullMarked;
