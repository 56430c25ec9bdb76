package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CLI's own logback.xml (tests run with logback-test.xml instead, so it is loaded here into a
 * context of its own): the executor's abort warning, which the CLI prints as its error, is not
 * logged a second time; other warnings still are.
 */
class CliLoggingConfigTest {

  @Test
  void cliLogging_keepsTheAbortWarningQuietAndOtherWarningsOn() throws Exception {
    URL config = Path.of("src/main/resources/logback.xml").toUri().toURL();
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);

    assertThat(
            context
                .getLogger("io.registryreactive.internal.prune.PruneExecutor")
                .getEffectiveLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.registryreactive.ReactiveRegistryClient").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    context.stop();
  }
}
