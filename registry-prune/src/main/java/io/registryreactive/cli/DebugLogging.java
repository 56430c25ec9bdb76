package io.registryreactive.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** {@code --debug}: what the default WARN level keeps quiet, network stack traces included. */
final class DebugLogging {
  private DebugLogging() {}

  static void enable() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.DEBUG);
      for (String name :
          new String[] {
            "reactor.netty",
            "io.netty",
            "io.registryreactive",
            "io.registryreactive.internal.prune.PruneExecutor"
          }) {
        ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
      }
    }
  }
}
