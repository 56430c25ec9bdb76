package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The CLI's logging ({@link CliLogging}), applied to a context of its own: the executor's abort
 * warning, which the CLI prints as its error, is not logged a second time; other warnings still
 * are, on stderr, redacted.
 */
class CliLoggingConfigTest {

  @Test
  void cliLogging_keepsTheAbortWarningQuietAndOtherWarningsOn() {
    LoggerContext context = configured();

    assertThat(
            context
                .getLogger("io.registryreactive.internal.prune.PruneExecutor")
                .getEffectiveLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getLogger("reactor.netty.http.client").getEffectiveLevel())
        .isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getLogger("io.registryreactive.ReactiveRegistryClient").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    context.stop();
  }

  @Test
  void cliLogging_writesToStderr_andRedactsEveryMessage() {
    LoggerContext context = configured();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    @SuppressWarnings("unchecked")
    ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> stderr =
        (ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("STDERR");

    assertThat(stderr).isNotNull();
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("io.registryreactive.Example"),
            Level.WARN,
            "request failed: Authorization: Basic dGVzdGVyOnNlY3JldA==",
            null,
            null);
    String line =
        new String(
            ((LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>) stderr.getEncoder())
                .encode(event),
            StandardCharsets.UTF_8);
    assertThat(line)
        .contains("WARN", "i.r.Example", "request failed")
        .doesNotContain("dGVzdGVyOnNlY3JldA==");
    context.stop();
  }

  @Test
  void theRunningCliLogging_isThisConfigurator_notAnXmlFile() {
    // No logback.xml ships with the CLI any more: the context the tests run in was set up by it.
    assertThat(CliLoggingConfigTest.class.getClassLoader().getResource("logback.xml")).isNull();
    assertThat(
            ((ch.qos.logback.classic.Logger)
                    LoggerFactory.getLogger("io.registryreactive.internal.prune.PruneExecutor"))
                .getEffectiveLevel())
        .isEqualTo(Level.ERROR);
  }

  private static LoggerContext configured() {
    LoggerContext context = new LoggerContext();
    CliLogging logging = new CliLogging();
    logging.setContext(context);
    assertThat(logging.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }
}
