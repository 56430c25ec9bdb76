/**
 * Pruning: {@link io.registryreactive.prune.RetentionPolicy} says what to keep, {@link
 * io.registryreactive.prune.Pruner} plans ({@link io.registryreactive.prune.PrunePlan}) and applies
 * it ({@link io.registryreactive.prune.PruneReport}), and {@link
 * io.registryreactive.prune.GarbageCollector} reclaims the storage on a registry run on this host.
 */
@NullMarked
package io.registryreactive.prune;

import org.jspecify.annotations.NullMarked;
