package io.registryreactive.benchmarks.e2e;

import java.util.Optional;

/**
 * One measured rate.
 *
 * @param network direct loopback or behind the latency proxy
 * @param operation what was counted
 * @param tool who did it
 * @param count items done (requests, look-ups, tags deleted)
 * @param seconds wall time they took
 * @param extrapolated whether {@code count} is a sample of the full set (the rate is still count /
 *     seconds)
 * @param registryCpuMsPerItem registry process CPU time per item, when it could be read
 * @param note how it was measured, for the report
 */
record Measurement(
    Network network,
    Operation operation,
    Tool tool,
    long count,
    double seconds,
    boolean extrapolated,
    Optional<Double> registryCpuMsPerItem,
    String note) {

  /**
   * @return items per second
   */
  double rate() {
    return seconds <= 0 ? 0 : count / seconds;
  }

  /** Where the client talks to the registry. */
  enum Network {
    DIRECT("direct loopback"),
    DELAYED("+20 ms RTT (proxy)");

    final String label;

    Network(String label) {
      this.label = label;
    }
  }

  /** What a rate counts. */
  enum Operation {
    LOOKUP("digest look-ups/s"),
    PLAN("tags planned/s (dry run)"),
    DELETE("tags deleted/s"),
    LIST("tags listed/s (one listing)");

    final String label;

    Operation(String label) {
      this.label = label;
    }
  }

  /** Who did the work. */
  enum Tool {
    CEILING_WRK("server ceiling: wrk GET, same manifest URLs, 16 conns"),
    CEILING_AB("server ceiling: ab HEAD, one manifest URL, 16 conns"),
    SDK("registry-reactive SDK, concurrency 16"),
    CLI("registry-prune prune --concurrency 16"),
    SEQUENTIAL("sequential blocking client (JDK HttpClient)"),
    SKOPEO("skopeo 1 process per call");

    final String label;

    Tool(String label) {
      this.label = label;
    }
  }
}
