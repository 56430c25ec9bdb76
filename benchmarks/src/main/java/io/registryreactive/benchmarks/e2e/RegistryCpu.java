package io.registryreactive.benchmarks.e2e;

import io.registryreactive.testkit.RegistryProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the CPU time the registry process has used, to report server CPU per request: the
 * registry's own cost is what caps every client on a small machine.
 */
final class RegistryCpu {
  private final Optional<ProcessHandle> process;

  private RegistryCpu(Optional<ProcessHandle> process) {
    this.process = process;
  }

  /**
   * Finds the registry among this JVM's child processes: the one running its binary with its config
   * file.
   *
   * @param registry the registry
   * @return a reader; empty readings if the process was not found
   */
  static RegistryCpu find(RegistryProcess registry) {
    String name = registry.binary().getFileName().toString();
    String config = registry.configFile().toString();
    return new RegistryCpu(
        ProcessHandle.current()
            .children()
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(c -> Path.of(c).getFileName().toString().equals(name))
                        .orElse(false))
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> java.util.Arrays.asList(a).contains(config))
                        .orElse(true))
            .findFirst());
  }

  /**
   * @return user + system CPU time so far, if the OS tells
   */
  Optional<Duration> total() {
    return process.flatMap(p -> p.info().totalCpuDuration());
  }
}
