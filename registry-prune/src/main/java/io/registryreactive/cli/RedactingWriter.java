package io.registryreactive.cli;

import io.registryreactive.internal.auth.Redactor;
import java.io.IOException;
import java.io.Writer;

/**
 * Passes each line through the SDK's {@link Redactor} before it reaches the terminal, so nothing
 * the CLI prints - errors, warnings, plans, JSON reports - can show a credential, whatever text a
 * registry put into it. Lines are held until their end (or a flush), so a secret split across two
 * writes is still seen whole.
 */
final class RedactingWriter extends Writer {
  private final Writer target;
  private final StringBuilder line = new StringBuilder();

  RedactingWriter(Writer target) {
    this.target = target;
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      line.append(buf[i]);
      if (buf[i] == '\n') {
        emit();
      }
    }
  }

  private void emit() throws IOException {
    if (line.length() > 0) {
      target.write(Redactor.redact(line.toString()));
      line.setLength(0);
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    emit();
    target.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    flush();
  }
}
