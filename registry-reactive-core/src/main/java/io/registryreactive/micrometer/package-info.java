/**
 * Micrometer meters for the client and the pruner: {@link
 * io.registryreactive.micrometer.RegistryMetrics}.
 *
 * <p>The one place where a third-party type ({@code io.micrometer.core.instrument.MeterRegistry})
 * appears in a public signature: this package exists for it, and is the only part of the SDK that
 * needs {@code io.micrometer:micrometer-core}, an optional dependency. Nothing else loads these
 * classes, so an application without Micrometer never needs the jar.
 */
@NullMarked
package io.registryreactive.micrometer;

import org.jspecify.annotations.NullMarked;
