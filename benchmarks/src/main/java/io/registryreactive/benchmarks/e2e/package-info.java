/**
 * End-to-end benchmark against a real registry process: the registry's own ceiling (wrk, ab),
 * registry-reactive digest look-ups and deletes, the {@code registry-prune} CLI, a sequential
 * blocking client and skopeo, at direct loopback and behind a {@link
 * io.registryreactive.benchmarks.e2e.LatencyProxy} that adds round-trip time.
 *
 * <p>Run it with {@code benchmarks/e2e/run.sh}; {@link
 * io.registryreactive.benchmarks.e2e.EndToEndBenchmark} is the entry point. This is a harness, not
 * library code: its main thread blocks on purpose, and every phase is bounded in count and time.
 */
@NullMarked
package io.registryreactive.benchmarks.e2e;

import org.jspecify.annotations.NullMarked;
