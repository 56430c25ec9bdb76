package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A token realm the realm rule refuses: exit 3, and nothing reaches the realm. */
@Timeout(60)
class CliTokenRealmTest {

  @Test
  void httpRealmOnAnotherHost_exits3_andTheRealmSeesNoRequest() throws Exception {
    AtomicInteger realmRequests = new AtomicInteger();
    HttpServer realm =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    realm.createContext(
        "/",
        ex -> {
          realmRequests.incrementAndGet();
          ex.sendResponseHeaders(500, -1);
          ex.close();
        });
    HttpServer registry =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    // 127.0.0.1 registry, realm named 'localhost': another host name, over plain http.
    String challenge =
        "Bearer realm=\"http://localhost:"
            + realm.getAddress().getPort()
            + "/token\",service=\"r\"";
    registry.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().add("WWW-Authenticate", challenge);
          ex.sendResponseHeaders(401, -1);
          ex.close();
        });
    realm.start();
    registry.start();
    try {
      CliRun run =
          CliRun.withStdin(
              "realm-Pw-1234\n",
              "ls",
              "--registry",
              "http://127.0.0.1:" + registry.getAddress().getPort(),
              "-u",
              "ci",
              "--password-stdin");
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
      assertThat(run.err())
          .contains("refusing to send credentials to the token realm http://localhost:");
      assertThat(realmRequests).hasValue(0);
    } finally {
      registry.stop(0);
      realm.stop(0);
    }
  }
}
