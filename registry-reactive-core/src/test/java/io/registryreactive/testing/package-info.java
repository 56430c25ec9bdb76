/**
 * Test fixtures shared with the other modules through the core test jar: realistic, deterministic
 * images and indexes ({@link io.registryreactive.testing.TestImages}) to push to test registries.
 */
@NullMarked
package io.registryreactive.testing;

import org.jspecify.annotations.NullMarked;
