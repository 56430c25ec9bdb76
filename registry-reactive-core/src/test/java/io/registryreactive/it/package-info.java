/**
 * Integration tests of {@link io.registryreactive.ReactiveRegistryClient} against a real CNCF
 * distribution registry on loopback ({@link io.registryreactive.testkit.RealRegistry}), seeded
 * through the client's own push API, and against {@code skopeo} as an independent second client.
 */
@NullMarked
package io.registryreactive.it;

import org.jspecify.annotations.NullMarked;
