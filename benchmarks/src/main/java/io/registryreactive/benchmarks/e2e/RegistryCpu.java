package io.registryreactive.benchmarks.e2e;

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
   * Finds the registry among this JVM's child processes.
   *
   * @param binary the registry executable
   * @return a reader; empty readings if the process was not found
   */
  static RegistryCpu find(Path binary) {
    String name = binary.getFileName().toString();
    return new RegistryCpu(
        ProcessHandle.current()
            .children()
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(c -> Path.of(c).getFileName().toString().equals(name))
                        .orElse(false))
            .findFirst());
  }

  /**
   * @return user + system CPU time so far, if the OS tells
   */
  Optional<Duration> total() {
    return process.flatMap(p -> p.info().totalCpuDuration());
  }
}
