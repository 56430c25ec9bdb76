package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.ConnectProxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CLI reads HTTP(S)_PROXY and NO_PROXY from its environment; credentials stay out of CONNECT.
 */
@Timeout(60)
class CliProxyTest {

  @Test
  void httpProxyFromTheEnvironment_isUsed_andSeesNoCredentialsInConnect() throws Exception {
    try (EchoingRegistry registry = new EchoingRegistry();
        ConnectProxy proxy = new ConnectProxy()) {
      CliRun run =
          withStdin(
              "pw-proxy-1234\n",
              Map.of("http_proxy", proxy.url()),
              "ls",
              "--registry",
              registry.url(),
              "-u",
              "ci",
              "--password-stdin");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
      assertThat(proxy.connectRequests())
          .isNotEmpty()
          .allSatisfy(
              head ->
                  assertThat(head)
                      .startsWith("CONNECT " + registry.hostPort())
                      .doesNotContainIgnoringCase("authorization"));
      assertThat(registry.authorizations).anyMatch(a -> a.startsWith("Basic "));
    }
  }

  @Test
  void noProxy_sendsTheRegistryDirect() throws Exception {
    try (EchoingRegistry registry = new EchoingRegistry();
        ConnectProxy proxy = new ConnectProxy()) {
      CliRun run =
          withStdin(
              "pw-proxy-1234\n",
              Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "127.0.0.1"),
              "ls",
              "--registry",
              registry.url(),
              "-u",
              "ci",
              "--password-stdin");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
      assertThat(proxy.connections()).isZero();
    }
  }

  private static CliRun withStdin(String stdin, Map<String, String> env, String... args) {
    java.io.InputStream original = System.in;
    System.setIn(
        new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      return CliRun.withEnvironment(env, args);
    } finally {
      System.setIn(original);
    }
  }
}
