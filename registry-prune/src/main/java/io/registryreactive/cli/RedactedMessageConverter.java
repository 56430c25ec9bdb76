package io.registryreactive.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.registryreactive.internal.auth.Redactor;

/**
 * Logback's {@code %msg} through the SDK's {@link Redactor}: the CLI's logs, including those of
 * Reactor Netty at DEBUG, never show a credential. Configured by {@link CliLogging} as {@code
 * %redactedMsg}.
 */
public final class RedactedMessageConverter extends MessageConverter {

  /** Creates the converter; logback instantiates it. */
  public RedactedMessageConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.redact(super.convert(event));
  }
}
