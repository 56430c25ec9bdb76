package io.registryreactive.benchmarks.e2e;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One target of issue 13: whole {@code registry-prune} processes planning (and, applied, deleting)
 * a layout, against wrk's ceiling on the same manifests, measured in interleaved rounds in the same
 * run.
 *
 * @param name what the row is, such as "dry run, whitelist policy"
 * @param layout the layout's description
 * @param policy the prune options that select and keep, as given
 * @param target the least ratio of tags/s to the ceiling's requests/s that meets the target
 * @param tags tags each run plans (the rate's numerator)
 * @param deletedPerRun tags each run deletes (0 for a dry run)
 * @param cliSeconds wall time of each run, JVM start-up included
 * @param cliCpuMsPerTag registry CPU per planned tag over the runs (deletes included when applied)
 * @param cliProcessCpuSeconds CPU (user + system) the {@code registry-prune} process itself used,
 *     mean per run; empty if {@code /proc} could not tell
 * @param ceilingRequests requests wrk completed over all its runs
 * @param ceilingSeconds their total time
 * @param ceilingCpuMsPerRequest registry CPU per wrk request
 * @param cliCommand one run's command line, secrets masked
 * @param wrkCommand one wrk command line, secrets masked
 * @param requests requests the registry logged during the registry-prune runs, summed over them, by
 *     method and endpoint ({@link RegistryLog}); empty if the log could not be read
 */
record TargetRow(
    String name,
    String layout,
    String policy,
    double target,
    long tags,
    long deletedPerRun,
    List<Double> cliSeconds,
    Optional<Double> cliCpuMsPerTag,
    Optional<Double> cliProcessCpuSeconds,
    long ceilingRequests,
    double ceilingSeconds,
    Optional<Double> ceilingCpuMsPerRequest,
    String cliCommand,
    String wrkCommand,
    Optional<Map<String, Long>> requests) {

  TargetRow {
    cliSeconds = List.copyOf(cliSeconds);
    requests = requests.map(Map::copyOf);
  }

  /**
   * @return requests per planned tag, by method and endpoint, and in all under {@code "all"}
   */
  Optional<Map<String, Double>> requestsPerTag() {
    return requests.map(
        counts -> {
          double per = (double) tags * cliSeconds.size();
          Map<String, Double> out = new java.util.TreeMap<>();
          counts.forEach((k, v) -> out.put(k, v / per));
          out.put("all", counts.values().stream().mapToLong(Long::longValue).sum() / per);
          return out;
        });
  }

  /**
   * @return tags per second of the median run
   */
  double cliRate() {
    return tags / EndToEndBenchmark.median(cliSeconds);
  }

  /**
   * @return the ceiling: wrk requests per second over all its runs
   */
  double ceilingRate() {
    return ceilingSeconds <= 0 ? 0 : ceilingRequests / ceilingSeconds;
  }

  /**
   * @return tags/s over the ceiling's requests/s
   */
  double ratio() {
    double ceiling = ceilingRate();
    return ceiling <= 0 ? 0 : cliRate() / ceiling;
  }

  boolean met() {
    return ratio() >= target;
  }

  /**
   * The best ratio the machine's CPU allows this row with registry-prune's own CPU as measured: one
   * run needs the registry's CPU for its tags plus the CLI's, and {@code cores} cores can do that
   * in no less than their sum over {@code cores} seconds.
   *
   * @param cores the machine's cores
   * @return that ratio, if both CPU figures are known
   */
  Optional<Double> cpuBoundRatio(int cores) {
    if (cliCpuMsPerTag.isEmpty() || cliProcessCpuSeconds.isEmpty() || ceilingRate() <= 0) {
      return Optional.empty();
    }
    double cpuSeconds = cliCpuMsPerTag.get() * tags / 1000 + cliProcessCpuSeconds.get();
    return cpuSeconds <= 0
        ? Optional.empty()
        : Optional.of(tags * cores / cpuSeconds / ceilingRate());
  }

  /**
   * @return registry CPU per planned tag over registry CPU per wrk request: about how many
   *     manifest-GET-sized requests' worth of server work each tag cost
   */
  Optional<Double> requestEquivalentsPerTag() {
    return cliCpuMsPerTag.isPresent()
            && ceilingCpuMsPerRequest.isPresent()
            && ceilingCpuMsPerRequest.get() > 0
        ? Optional.of(cliCpuMsPerTag.get() / ceilingCpuMsPerRequest.get())
        : Optional.empty();
  }
}
