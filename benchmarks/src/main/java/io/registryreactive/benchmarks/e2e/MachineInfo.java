package io.registryreactive.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the report says about the machine: cores, memory, CPU model, load, tool versions.
 *
 * @param cores {@code nproc}
 * @param memory {@code MemTotal} from {@code /proc/meminfo}, human readable
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}
 * @param uptime the output of {@code uptime}
 * @param loadAverage1 the 1-minute load average
 * @param os kernel and distribution
 * @param java the JVM running the harness
 * @param registry the registry binary's version line
 * @param tools versions of wrk, ab and skopeo
 */
record MachineInfo(
    int cores,
    String memory,
    String cpuModel,
    String uptime,
    double loadAverage1,
    String os,
    String java,
    String registry,
    String tools) {

  /**
   * Reads it now.
   *
   * @param registryBinary the registry executable
   * @return the description
   */
  static MachineInfo capture(Path registryBinary) {
    String meminfo = read(Path.of("/proc/meminfo"));
    String memory =
        meminfo
            .lines()
            .filter(l -> l.startsWith("MemTotal:"))
            .findFirst()
            .map(l -> l.replaceAll("\\D+", ""))
            .map(kb -> String.format("%.1f GiB", Long.parseLong(kb) / 1024.0 / 1024.0))
            .orElse("unknown");
    String cpu =
        read(Path.of("/proc/cpuinfo"))
            .lines()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .orElse("unknown");
    String load = read(Path.of("/proc/loadavg"));
    double load1 = load.isBlank() ? 0 : Double.parseDouble(load.split("\\s+")[0]);
    String os =
        output(List.of("uname", "-srm")).orElse(System.getProperty("os.name"))
            + ", "
            + read(Path.of("/etc/os-release"))
                .lines()
                .filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""))
                .findFirst()
                .orElse("");
    String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version");
    String registry = output(List.of(registryBinary.toString(), "--version")).orElse("unknown");
    String wrk =
        output(List.of("wrk", "--version")).map(s -> s.lines().findFirst().orElse("")).orElse("?");
    String ab = output(List.of("ab", "-V")).map(s -> s.lines().findFirst().orElse("")).orElse("?");
    String skopeo = output(List.of("skopeo", "--version")).orElse("?");
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        memory,
        cpu,
        output(List.of("uptime")).orElse(load),
        load1,
        os,
        java,
        registry,
        wrk + "; " + ab + "; " + skopeo);
  }

  /**
   * @return whether other work was competing for the CPUs (1-minute load above the core count)
   */
  boolean loaded() {
    return loadAverage1 > cores;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<String> output(List<String> command) {
    try {
      ExternalCommand.Result r =
          new ExternalCommand(command, Map.of(), Duration.ofSeconds(10), List.of()).run();
      String text = (r.stdout() + r.stderr()).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
