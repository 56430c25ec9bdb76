/**
 * The test kit, shared by every module (the core compiles it as a test source root, the others
 * depend on it): {@link io.registryreactive.testkit.RegistryProcess} runs a real CNCF distribution
 * registry on loopback, {@link io.registryreactive.testkit.RealRegistry} gives one (and clients for
 * it) to a JUnit test class, {@link io.registryreactive.testkit.TestImages} builds realistic,
 * deterministic images and indexes that {@link io.registryreactive.testkit.ImageSeeder} pushes,
 * {@link io.registryreactive.testkit.StubRegistry} is a WireMock registry that owns the clients
 * pointed at it, and {@link io.registryreactive.testkit.Skopeo} and {@link
 * io.registryreactive.testkit.FaultInjectingProxy} are an independent client and a faulty network
 * to test against.
 */
@NullMarked
package io.registryreactive.testkit;

import org.jspecify.annotations.NullMarked;
