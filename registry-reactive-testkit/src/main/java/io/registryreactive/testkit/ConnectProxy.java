package io.registryreactive.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP {@code CONNECT} proxy on loopback for tests: records each {@code CONNECT} request
 * (request line and headers), counts connections, and relays the tunnel's bytes both ways, keeping
 * the first bytes the client sent through each tunnel so tests can see what a proxy could read.
 * Requests other than {@code CONNECT} are recorded and answered 501. Blocking threads (test code).
 */
public final class ConnectProxy implements AutoCloseable {
  private static final int KEPT_TUNNEL_BYTES = 64 * 1024;

  private final ServerSocket server;
  private final List<String> connectRequests = new CopyOnWriteArrayList<>();
  private final List<String> otherRequests = new CopyOnWriteArrayList<>();
  private final List<ByteArrayOutputStream> tunnelUploads = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Starts the proxy on a free loopback port.
   *
   * @throws IOException if it cannot listen
   */
  public ConnectProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "connect-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * @return {@code http://127.0.0.1:PORT}
   */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * @return connections accepted so far
   */
  public int connections() {
    return connections.get();
  }

  /**
   * @return each CONNECT request's head (request line and headers), in arrival order
   */
  public List<String> connectRequests() {
    return List.copyOf(connectRequests);
  }

  /**
   * @return heads of requests that were not CONNECT
   */
  public List<String> otherRequests() {
    return List.copyOf(otherRequests);
  }

  /**
   * @return what clients sent inside the tunnels (first 64 KiB of each), as ISO-8859-1 text
   */
  public List<String> tunnelUploads() {
    List<String> out = new ArrayList<>();
    for (ByteArrayOutputStream b : tunnelUploads) {
      synchronized (b) {
        out.add(b.toString(StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        open.add(client);
        Thread t = new Thread(() -> handle(client), "connect-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      String requestLine = head.lines().findFirst().orElse("");
      if (!requestLine.startsWith("CONNECT ")) {
        otherRequests.add(head);
        client
            .getOutputStream()
            .write(
                "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        client.close();
        return;
      }
      connectRequests.add(head);
      String target = requestLine.split(" ")[1];
      int colon = target.lastIndexOf(':');
      Socket upstream = new Socket();
      upstream.connect(
          new InetSocketAddress(
              target.substring(0, colon).replace("[", "").replace("]", ""),
              Integer.parseInt(target.substring(colon + 1))),
          5000);
      open.add(upstream);
      client
          .getOutputStream()
          .write(
              "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      tunnelUploads.add(kept);
      Thread down = new Thread(() -> pipe(upstream, client, null), "connect-proxy-down");
      down.setDaemon(true);
      down.start();
      pipe(client, upstream, kept);
    } catch (IOException | RuntimeException e) {
      closeQuietly(client);
    }
  }

  private static void pipe(Socket from, Socket to, @Nullable ByteArrayOutputStream kept) {
    byte[] buf = new byte[8192];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) != -1) {
        if (kept != null) {
          synchronized (kept) {
            kept.write(buf, 0, Math.max(0, Math.min(n, KEPT_TUNNEL_BYTES - kept.size())));
          }
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side closed; the tunnel is over.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4 || head.size() > 64 * 1024) {
        break;
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    open.forEach(ConnectProxy::closeQuietly);
  }
}
