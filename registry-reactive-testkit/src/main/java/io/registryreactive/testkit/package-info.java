/**
 * The test kit, shared by every module (the core compiles it as a test source root, the others depend on it): {@link
 * io.registryreactive.testkit.RegistryProcess} runs a real CNCF distribution registry on loopback,
 * {@link io.registryreactive.testkit.RealRegistry} gives one to a JUnit test class, and {@link
 * io.registryreactive.testkit.TestImages} builds realistic, deterministic images and indexes to push.
 */
@NullMarked
package io.registryreactive.testkit;

import org.jspecify.annotations.NullMarked;
