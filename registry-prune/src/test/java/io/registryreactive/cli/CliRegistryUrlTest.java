package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * {@code --registry} forms: user info refused without being repeated; plain http with credentials
 * warns.
 */
@Timeout(60)
class CliRegistryUrlTest {

  @Test
  void registryWithUserInfo_exits2WithoutRepeatingThePassword() {
    for (String url :
        new String[] {
          "user:hunter2@127.0.0.1:5670",
          "https://user:hunter2@127.0.0.1:5670",
          "http://user:hunter2@[bad"
        }) {
      CliRun run = CliRun.of("ls", "--registry", url);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.USAGE);
      assertThat(run.err())
          .as(run.toString())
          .doesNotContain("hunter2")
          .contains("--username")
          .contains("--password-stdin");
    }
  }

  @Test
  void credentialsOverPlainHttpToANonLoopbackHost_warnOnce() throws Exception {
    Logger logger =
        (Logger) LoggerFactory.getLogger("io.registryreactive.ReactiveRegistryClient.plainHttp");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try (EchoingRegistry registry = new EchoingRegistry()) {
      // 0.0.0.0 is not a loopback name: the warning is due before anything is sent (the
      // connection itself is refused, which does not matter here).
      String url = "http://0.0.0.0:" + registry.hostPort().split(":")[1];
      CliRun run =
          CliRun.withStdin(
              "pw-warn-1234\n", "ls", "--registry", url, "-u", "ci", "--password-stdin");
      assertThat(logs.list)
          .as(run.toString())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage())
                    .contains("sending registry credentials over plain http to 0.0.0.0:");
              });
      logs.list.clear();
      CliRun loopback =
          CliRun.withStdin(
              "pw-warn-1234\n", "ls", "--registry", registry.url(), "-u", "ci", "--password-stdin");
      assertThat(loopback.exitCode()).as(loopback.toString()).isEqualTo(CliRun.DENIED);
      assertThat(logs.list).isEmpty();
    } finally {
      logger.detachAppender(logs);
    }
  }
}
