package io.registryreactive.benchmarks.e2e;

import io.registryreactive.benchmarks.e2e.Measurement.Network;
import io.registryreactive.benchmarks.e2e.Measurement.Operation;
import io.registryreactive.benchmarks.e2e.Measurement.Tool;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run measured, gathered for the report and the chart. Used by the main thread only.
 */
final class BenchmarkResults {
  final BenchmarkOptions options;
  final ZonedDateTime started;
  final MachineInfo machineBefore;
  MachineInfo machineAfter;
  final List<Measurement> measurements = new ArrayList<>();

  /** Commands as run (secrets masked), in order, each once per kind. */
  final Map<String, String> commands = new LinkedHashMap<>();

  /**
   * Facts that explain the figures: seeding time, JVM start-up, delete latency by tag count, CPU.
   */
  final Map<String, String> facts = new LinkedHashMap<>();

  /** Defects noticed while measuring that do not void a row, each once. */
  final java.util.Set<String> warnings = new java.util.LinkedHashSet<>();

  /** Phases that failed, with their error; the run goes on without them. */
  final List<String> failures = new ArrayList<>();

  /** CPU used by other processes while the target rows ran. */
  Optional<OtherLoad.Cores> targetsLoad = Optional.empty();

  /** The target rows, in the order they ran. */
  final List<TargetRow> targets = new ArrayList<>();

  /** Seconds it took to seed each target layout, by its description. */
  final Map<String, Double> layoutSeedSeconds = new LinkedHashMap<>();

  double seedSeconds;
  double cliStartupSeconds;

  /**
   * Mean sequential DELETE latency (ms) per network: over the first tenth and the last tenth of
   * deletes.
   */
  final Map<Network, double[]> deleteLatencyFirstLast = new LinkedHashMap<>();

  /**
   * Median time of an unauthenticated {@code GET /v2/} (a 401 without a password check) per
   * network, ms.
   */
  final Map<Network, Double> unauthenticatedRoundTripMillis = new LinkedHashMap<>();

  /** CPU used by other processes, steal and this run, averaged over each network's measurements. */
  final Map<Network, OtherLoad.Cores> otherLoad = new LinkedHashMap<>();

  /**
   * Harness-JVM CPU per look-up (ms), keyed {@code "<NETWORK> <TOOL>"}; through the proxy it
   * includes the proxy's own work, which is the same per request for every client.
   */
  final Map<String, Double> clientCpuMsPerLookup = new LinkedHashMap<>();

  BenchmarkResults(BenchmarkOptions options, ZonedDateTime started, MachineInfo machineBefore) {
    this.options = options;
    this.started = started;
    this.machineBefore = machineBefore;
    this.machineAfter = machineBefore;
  }

  void add(Measurement m) {
    measurements.add(m);
  }

  Optional<Measurement> find(Network network, Operation operation, Tool tool) {
    return measurements.stream()
        .filter(m -> m.network() == network && m.operation() == operation && m.tool() == tool)
        .findFirst();
  }

  /**
   * @return whether other processes (or the hypervisor) took a noticeable share of the CPUs: 0.2
   *     cores or more
   */
  boolean loaded() {
    return otherLoad.values().stream().anyMatch(c -> c.others() + c.steal() >= 0.2)
        || targetsLoad.map(c -> c.others() + c.steal() >= 0.2).orElse(false)
        || (otherLoad.isEmpty() && targetsLoad.isEmpty() && machineBefore.loaded());
  }

  Optional<Double> rate(Network network, Operation operation, Tool tool) {
    return find(network, operation, tool).map(Measurement::rate);
  }

  /**
   * @return the server's look-up ceiling: the higher of wrk and ab
   */
  Optional<Double> ceiling(Network network) {
    Optional<Double> wrk = rate(network, Operation.LOOKUP, Tool.CEILING_WRK);
    Optional<Double> ab = rate(network, Operation.LOOKUP, Tool.CEILING_AB);
    if (wrk.isEmpty()) {
      return ab;
    }
    return ab.isEmpty() ? wrk : Optional.of(Math.max(wrk.get(), ab.get()));
  }

  /**
   * @return {@code a / b} when both are present
   */
  static Optional<Double> ratio(Optional<Double> a, Optional<Double> b) {
    return a.isPresent() && b.isPresent() && b.get() > 0
        ? Optional.of(a.get() / b.get())
        : Optional.empty();
  }
}
