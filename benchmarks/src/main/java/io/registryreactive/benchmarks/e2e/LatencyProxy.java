package io.registryreactive.benchmarks.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A TCP forwarder on {@code 127.0.0.1} that adds latency the way {@code tc netem delay} does: every
 * chunk read from one side is written to the other {@code oneWayDelay} after it arrived, in both
 * directions, so a request/response exchange gains twice the delay while chunks in flight still
 * overlap (throughput is not capped, only latency is added). The end of a stream is delayed too.
 *
 * <p>TCP handshakes are not delayed: the kernel accepts the client's connection at once. That
 * favours clients that open a new connection per call (skopeo runs one process per call); the
 * report says so.
 *
 * <p>Bounded: at most {@value #MAX_CONNECTIONS} connections at once (more are closed at once), a
 * connection idle for {@value #IDLE_TIMEOUT_SECONDS} s is closed, and the whole proxy closes itself
 * after {@code maxLifetime} if {@link #close()} was not called first. All threads are daemons.
 */
final class LatencyProxy implements AutoCloseable {
  static final int MAX_CONNECTIONS = 256;
  static final int IDLE_TIMEOUT_SECONDS = 120;
  private static final int READ_BUFFER_BYTES = 16 * 1024;
  // Bounds the bytes held per direction; a full queue makes the reader wait, which is TCP
  // backpressure.
  private static final int QUEUED_CHUNKS = 256;

  private final ServerSocket server;
  private final int upstreamPort;
  private final long delayNanos;
  private final ExecutorService threads;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;

  private LatencyProxy(ServerSocket server, int upstreamPort, Duration oneWayDelay) {
    this.server = server;
    this.upstreamPort = upstreamPort;
    this.delayNanos = oneWayDelay.toNanos();
    AtomicInteger threadNumber = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "latency-proxy-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts forwarding from a free port on {@code 127.0.0.1} to {@code 127.0.0.1:upstreamPort}.
   *
   * @param upstreamPort the port to forward to, on {@code 127.0.0.1}
   * @param oneWayDelay the delay added to each direction (round trip gains twice this)
   * @param maxLifetime the proxy closes itself after this long
   * @return the running proxy
   */
  static LatencyProxy start(int upstreamPort, Duration oneWayDelay, Duration maxLifetime) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      LatencyProxy proxy = new LatencyProxy(server, upstreamPort, oneWayDelay);
      proxy.threads.execute(proxy::acceptLoop);
      proxy.threads.execute(
          () -> {
            // Stops by itself even if the harness forgets to close it.
            LockSupport.parkNanos(maxLifetime.toNanos());
            proxy.close();
          });
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the latency proxy", e);
    }
  }

  /**
   * @return the local port clients connect to
   */
  int port() {
    return server.getLocalPort();
  }

  /**
   * @return connections accepted so far
   */
  long connectionsAccepted() {
    return accepted.get();
  }

  /**
   * @return connections open now
   */
  int openConnections() {
    return open.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(server);
    sockets.forEach(LatencyProxy::closeQuietly);
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (open.incrementAndGet() > MAX_CONNECTIONS) {
        open.decrementAndGet();
        closeQuietly(client);
        continue;
      }
      try {
        threads.execute(() -> connect(client));
      } catch (RuntimeException e) {
        open.decrementAndGet();
        closeQuietly(client);
      }
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
      for (Socket s : new Socket[] {client, upstream}) {
        s.setTcpNoDelay(true);
        s.setSoTimeout(IDLE_TIMEOUT_SECONDS * 1000);
        sockets.add(s);
      }
      Connection connection = new Connection(client, upstream);
      connection.pipe(client, upstream);
      connection.pipe(upstream, client);
    } catch (IOException | RuntimeException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      open.decrementAndGet();
    }
  }

  /** One client connection and its upstream; closed when both directions have ended. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private final AtomicInteger directionsLeft = new AtomicInteger(2);
    private volatile boolean failed;

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void pipe(Socket from, Socket to) {
      BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
      threads.execute(() -> read(from, queue));
      threads.execute(() -> write(queue, to));
    }

    private void read(Socket from, BlockingQueue<Chunk> queue) {
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      try {
        InputStream in = from.getInputStream();
        while (!failed) {
          int n = in.read(buffer);
          long due = System.nanoTime() + delayNanos;
          Chunk chunk = n < 0 ? new Chunk(due, null) : new Chunk(due, Arrays.copyOf(buffer, n));
          while (!failed && !queue.offer(chunk, 1, TimeUnit.SECONDS)) {
            // The writer is behind (or gone): wait, but notice a failure.
          }
          if (n < 0) {
            return;
          }
        }
      } catch (SocketTimeoutException e) {
        fail(); // idle too long
      } catch (IOException e) {
        fail();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail();
      }
    }

    private void write(BlockingQueue<Chunk> queue, Socket to) {
      try {
        OutputStream out = to.getOutputStream();
        while (!failed) {
          Chunk chunk = queue.poll(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          if (chunk == null) {
            fail();
            return;
          }
          for (long wait = chunk.due() - System.nanoTime();
              wait > 0;
              wait = chunk.due() - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
              throw new InterruptedException();
            }
          }
          byte[] bytes = chunk.bytes();
          if (bytes == null) {
            to.shutdownOutput();
            directionDone();
            return;
          }
          out.write(bytes);
          out.flush();
        }
      } catch (IOException e) {
        fail();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail();
      }
    }

    private void directionDone() {
      if (directionsLeft.decrementAndGet() == 0) {
        release();
      }
    }

    private void fail() {
      if (!failed) {
        failed = true;
        release();
      }
    }

    private synchronized void release() {
      if (sockets.remove(client) | sockets.remove(upstream)) {
        closeQuietly(client);
        closeQuietly(upstream);
        open.decrementAndGet();
      }
    }
  }

  /**
   * Bytes to forward at {@code due} ({@link System#nanoTime()}); no bytes marks the end of the
   * stream.
   */
  private record Chunk(long due, byte @Nullable [] bytes) {}

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing is best effort.
    }
  }
}
