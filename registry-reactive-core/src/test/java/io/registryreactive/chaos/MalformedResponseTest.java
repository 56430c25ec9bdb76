package io.registryreactive.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.FaultInjectingProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * A response that is not HTTP (what {@link FaultInjectingProxy.Fault#GARBAGE_RESPONSE} sends) is a
 * transport failure: retried like a reset, not reported as the registry's final word. Netty signals
 * some of these with a bare {@link NumberFormatException}, which once escaped as a non-retryable
 * protocol error.
 */
class MalformedResponseTest {
  private static final String GARBLED_STATUS_LINE =
      "HTTP/1.1 2O0 0K\r\nContent-Length: 5\r\n\r\nhello";
  private static final String BAD_CHUNK_SIZE =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
  private static final String OK =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
          + "Docker-Distribution-Api-Version: registry/2.0\r\nConnection: close\r\n\r\n{}";

  private ScriptedServer server;
  private ReactiveRegistryClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status line", "chunk size"})
  void checkAuth_whenFirstAnswerIsMalformed_retriesAndSucceeds(String broken) throws IOException {
    server = new ScriptedServer(List.of(malformed(broken), OK));
    client = client(RetryOptions.builder().maxAttempts(3).initialBackoff(Duration.ZERO).build());

    StepVerifier.create(client.checkAuth()).expectComplete().verify(Duration.ofSeconds(10));

    assertThat(server.served()).isEqualTo(2);
    assertThat(client.metrics().retriesByReason()).containsOnlyKeys("connection: DecoderException");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"status line", "chunk size"})
  void checkAuth_whenAnswerIsMalformedAndRetryIsOff_failsWithRetryableConnectionException(
      String broken) throws IOException {
    server = new ScriptedServer(List.of(malformed(broken)));
    client = client(RetryOptions.disabled());

    StepVerifier.create(client.checkAuth())
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(RegistryConnectionException.class)
                    .hasMessageContaining("malformed HTTP response")
                    .satisfies(
                        c -> assertThat(((RegistryConnectionException) c).isRetryable()).isTrue()))
        .verify(Duration.ofSeconds(10));
  }

  private static String malformed(String broken) {
    return broken.equals("status line") ? GARBLED_STATUS_LINE : BAD_CHUNK_SIZE;
  }

  private ReactiveRegistryClient client(RetryOptions retry) {
    return ReactiveRegistryClient.builder()
        .baseUrl(server.baseUrl())
        .retry(retry)
        .responseTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Answers the n-th connection with the n-th scripted bytes, then closes it; 503 once the script
   * ends.
   */
  private static final class ScriptedServer implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    private final List<String> script;
    private final AtomicInteger served = new AtomicInteger();
    private final Thread thread;

    ScriptedServer(List<String> script) throws IOException {
      this.script = script;
      this.thread = new Thread(this::serve, "scripted-server");
      thread.setDaemon(true);
      thread.start();
    }

    URI baseUrl() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    int served() {
      return served.get();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket c = socket.accept()) {
          c.setSoTimeout(5_000);
          readHead(c.getInputStream());
          int n = served.getAndIncrement();
          String answer =
              n < script.size()
                  ? script.get(n)
                  : "HTTP/1.1 503 Script Ended\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
          c.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
          c.getOutputStream().flush();
          c.shutdownOutput();
        } catch (IOException e) {
          // closed, or a client that went away: next connection
        }
      }
    }

    private static void readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (head.size() < 64 * 1024) {
        int b = in.read();
        if (b == -1) {
          return;
        }
        head.write(b);
        String s = head.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r\n\r\n")) {
          return;
        }
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
        thread.join(5_000);
      } catch (IOException e) {
        // closing anyway
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
