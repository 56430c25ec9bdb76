package io.registryreactive.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --registry} forms: user info refused without being repeated; plain http with credentials warns. */
@Timeout(60)
class CliRegistryUrlTest {

  @Test
  void registryWithUserInfo_exits2WithoutRepeatingThePassword() {
    for (String url : new String[] {"user:hunter2@127.0.0.1:5670", "https://user:hunter2@127.0.0.1:5670",
        "http://user:hunter2@[bad"}) {
      CliRun run = CliRun.of("ls", "--registry", url);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.USAGE);
      assertThat(run.err()).as(run.toString()).doesNotContain("hunter2")
          .contains("--username").contains("--password-stdin");
    }
  }

  @Test
  void credentialsOverPlainHttpToANonLoopbackHost_warnOnce() throws Exception {
    try (EchoingRegistry registry = new EchoingRegistry()) {
      // 0.0.0.0 reaches this machine's listeners, but is not a loopback name: the warning is due.
      String url = "http://0.0.0.0:" + registry.hostPort().split(":")[1];
      CliRun run = CliRun.withStdin("pw-warn-1234\n", "ls", "--registry", url, "-u", "ci", "--password-stdin");
      assertThat(run.err().lines().filter(l -> l.contains("plain http"))).as(run.toString()).hasSize(1);
      assertThat(run.err()).contains("warning: sending registry credentials over plain http to 0.0.0.0:");

      CliRun loopback = CliRun.withStdin("pw-warn-1234\n", "ls", "--registry", registry.url(), "-u", "ci",
          "--password-stdin");
      assertThat(loopback.err()).as(loopback.toString()).doesNotContain("plain http");
    }
  }
}
