package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Expected network failures end in one line that says what to do, and nothing at the CLI's default
 * log level (WARN) carries a stack trace.
 */
@RealRegistry
@Timeout(120)
class CliConnectionErrorsIT {
  private final RegistryProcess registry;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  CliConnectionErrorsIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void stopCapture() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  private void assertNoStackTraceAtWarn() {
    assertThat(logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)))
        .as("log events at WARN or above")
        .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @Test
  void https_againstAPlainHttpRegistry_saysSoInOneLine() {
    String hostPort = registry.baseUrl().getAuthority();
    CliRun run = CliRun.of("ls", "--registry", "https://" + hostPort, "--insecure");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
    assertThat(run.err().lines())
        .as(run.toString())
        .hasSize(1)
        .first()
        .asString()
        .contains("answered plain HTTP")
        .contains("use http://" + hostPort);
    assertNoStackTraceAtWarn();
  }

  @Test
  void hostPortWithoutScheme_meansHttps_andSaysSoAgainstPlainHttp() {
    String hostPort = registry.baseUrl().getAuthority();
    CliRun run = CliRun.of("ls", "--registry", hostPort);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
    assertThat(run.err()).contains("answered plain HTTP").contains("use http://" + hostPort);
    assertNoStackTraceAtWarn();
  }

  @Test
  void connectionRefused_isOneLineWithoutStackTrace() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun run = CliRun.of("ls", "--registry", "http://127.0.0.1:" + port);
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
    assertThat(run.err().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).contains("Connection refused");
    assertNoStackTraceAtWarn();
  }

  @Test
  void debug_showsTheStackTraceOfTheNetworkFailure() {
    String hostPort = registry.baseUrl().getAuthority();
    try {
      CliRun run = CliRun.of("ls", "--registry", "https://" + hostPort, "--debug");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
      // DEBUG events keep coming from the event loop (pool clean-up); stop before reading the list.
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
      ((Logger) LoggerFactory.getLogger("reactor.netty")).setLevel(Level.ERROR);
      ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.ERROR);
      logs.stop();
      assertThat(List.copyOf(logs.list))
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(e.getThrowableProxy()).isNotNull();
              });
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
      ((Logger) LoggerFactory.getLogger("reactor.netty")).setLevel(Level.ERROR);
      ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.ERROR);
      ((Logger) LoggerFactory.getLogger("io.registryreactive")).setLevel(null);
    }
  }
}
