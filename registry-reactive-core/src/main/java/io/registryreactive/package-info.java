/**
 * The reactive registry client: {@link io.registryreactive.ReactiveRegistryClient} and the types it
 * is configured with and fails with.
 */
@NullMarked
package io.registryreactive;

import org.jspecify.annotations.NullMarked;
