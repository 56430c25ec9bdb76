package io.registryreactive.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The CLI's logging, set up in code (logback finds it through {@code META-INF/services}) rather
 * than from a {@code logback.xml}: parsing XML would load an XML parser and logback's configuration
 * model, about a tenth of a second on every run before its first request.
 *
 * <ul>
 *   <li>Logs go to stderr, so that JSON output leaves stdout to the JSON alone.
 *   <li>Every line passes the SDK's redaction ({@link RedactedMessageConverter}), so no credential
 *       reaches the terminal.
 *   <li>Level WARN; Reactor Netty and Netty at ERROR (they log every failed connection at WARN with
 *       its stack trace, which the SDK turns into one exception the CLI prints as one line); the
 *       executor at ERROR (its only warning is why a prune aborted, which the CLI prints itself as
 *       the run's error). {@code --debug} turns all of them to DEBUG ({@link DebugLogging}).
 * </ul>
 *
 * <p>A {@code logback.configurationFile} system property, or a {@code logback-test.xml} or {@code
 * logback.xml} on the class path, wins: this configurator then steps aside for logback's own.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {

  /** The layout of a log line; {@code %redactedMsg} is the message after redaction. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %redactedMsg%n";

  /** Loggers below the root's WARN, by name. */
  static final String[] QUIET =
      new String[] {
        "reactor.netty", "io.netty", "io.registryreactive.internal.prune.PruneExecutor"
      };

  /** Creates the configurator; logback instantiates it. */
  public CliLogging() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = CliLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("redactedMsg", RedactedMessageConverter::new);
    layout.setPattern(PATTERN);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.ERROR);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
