/**
 * Test support shared with the other modules through the core test jar: {@link
 * io.registryreactive.testing.RegistryProcess} runs a real CNCF distribution registry on loopback,
 * {@link io.registryreactive.testing.RealRegistry} gives one to a JUnit test class, and {@link
 * io.registryreactive.testing.TestImages} builds realistic, deterministic images and indexes to push.
 */
@NullMarked
package io.registryreactive.testing;

import org.jspecify.annotations.NullMarked;
