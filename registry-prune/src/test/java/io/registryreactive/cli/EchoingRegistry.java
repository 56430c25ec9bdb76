package io.registryreactive.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry on loopback that asks for Basic auth and then answers every authenticated request with
 * an error whose JSON body echoes the {@code Authorization} header back, as careless registries and
 * proxies do. Records the {@code Authorization} of each request ("" when there was none).
 */
final class EchoingRegistry implements AutoCloseable {
  private final HttpServer server;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  EchoingRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    authorizations.add(auth == null ? "" : auth);
    if (auth == null) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"echo\"");
      send(
          ex,
          401,
          "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
      return;
    }
    String escaped = auth.replace("\"", "\\\"");
    send(
        ex,
        403,
        "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"you sent "
            + escaped
            + "\",\"detail\":\""
            + escaped
            + "\"}],\"token\":\""
            + escaped
            + "\"}");
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
