package io.registryreactive.cli;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables of the current CLI run. {@link RegistryPruneCli#run} sets them for the
 * thread that runs the command, so tests can give each run its own environment (proxies, docker
 * config locations) without touching the process's.
 */
final class CliEnvironment {
  private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

  private CliEnvironment() {}

  static void set(Map<String, String> environment) {
    CURRENT.set(Map.copyOf(environment));
  }

  static void clear() {
    CURRENT.remove();
  }

  /**
   * @return the environment of this run, the process environment outside a run
   */
  static Map<String, String> get() {
    Map<String, String> env = CURRENT.get();
    return env != null ? env : System.getenv();
  }

  /**
   * @return the value of a variable, empty when unset or blank
   */
  static Optional<String> variable(String name) {
    String v = get().get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }
}
