package io.registryreactive.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 reverse proxy on {@code 127.0.0.1} that forwards to one upstream (a real registry)
 * and fails a seeded random share of the requests in the ways networks, load balancers and busy
 * registries do. See {@link Fault} for the kinds; each failed request gets one, chosen uniformly
 * from the enabled kinds.
 *
 * <p>Forwarded requests keep method, path and query, headers (including {@code Authorization}) and
 * body; {@code Host} is set to the upstream, as nginx does by default. Responses are streamed back
 * with status and headers, re-framed with a {@code Content-Length}; {@code Location} and {@code
 * Link} headers naming the upstream are rewritten to name the proxy, so uploads and paging stay
 * behind it. Client connections are kept alive.
 *
 * <p>Blocking sockets on plain threads (one per client connection, one upstream connection per
 * forwarded request): this is test code, and blocking I/O gives exact control over resets, half
 * answers and stalls. Every read has a timeout, {@link #close()} closes every socket and stops
 * every thread, and nothing here outlives it.
 *
 * <pre>{@code
 * try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(registry.baseUrl()).seed(7).start()) {
 *   client = ReactiveRegistryClient.builder().baseUrl(proxy.baseUrl().toString())...
 * }
 * }</pre>
 */
public final class FaultInjectingProxy implements AutoCloseable {

  /** Default share of requests that fail: 0.3. */
  public static final double DEFAULT_FAILURE_PROBABILITY = 0.3;

  /** Default stall of a {@link Fault#DELAYED_RESPONSE}: 3 s. */
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(3);

  private static final int SOCKET_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 256;
  private static final int MAX_BODY = 64 * 1024 * 1024;
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "content-length",
          "host",
          "expect");

  /** How a failed request fails. */
  public enum Fault {
    /**
     * (a) Closes the connection (FIN, or RST half the time) before forwarding: not applied, no
     * answer.
     */
    RESET_BEFORE_FORWARD("a"),
    /** (b) Forwards, then closes (FIN or RST) instead of answering: applied, answer lost. */
    DROP_AFTER_FORWARD("b"),
    /** (c) Answers 503 with an HTML body without forwarding. */
    SERVICE_UNAVAILABLE("c"),
    /** (d) Answers 429 with {@code Retry-After: 0} without forwarding. */
    TOO_MANY_REQUESTS("d"),
    /** (e) Answers 502 with an HTML "Bad Gateway" page without forwarding. */
    BAD_GATEWAY("e"),
    /**
     * (f) Without forwarding, sends a response that breaks off (headers promising 1000 bytes, then
     * 10 bytes), a garbled status line, or binary noise, then closes.
     */
    GARBAGE_RESPONSE("f"),
    /** (g) Forwards, then holds the answer back for the configured delay: applied, answer late. */
    DELAYED_RESPONSE("g");

    private final String letter;

    Fault(String letter) {
      this.letter = letter;
    }

    /**
     * @return the letter the brief and the stats line use, (a) to (g)
     */
    public String letter() {
      return letter;
    }
  }

  /**
   * What the proxy has seen so far.
   *
   * @param requests requests read from clients
   * @param forwarded requests sent to the upstream (including those whose answer was then dropped
   *     or delayed)
   * @param faults failed requests by kind; every kind is present
   */
  public record Stats(long requests, long forwarded, Map<Fault, Long> faults) {

    /**
     * Canonical constructor; copies the map.
     *
     * @param requests requests read from clients
     * @param forwarded requests sent to the upstream (including those whose answer was then dropped
     *     or delayed)
     * @param faults failed requests by kind; every kind is present
     */
    public Stats {
      faults = Collections.unmodifiableMap(new EnumMap<>(faults));
    }

    /**
     * @return failed requests, all kinds
     */
    public long faultCount() {
      return faults.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
      StringBuilder kinds = new StringBuilder();
      faults.forEach(
          (k, v) ->
              kinds
                  .append(kinds.length() == 0 ? "" : " ")
                  .append(k.letter())
                  .append('=')
                  .append(v));
      return "requests="
          + requests
          + " forwarded="
          + forwarded
          + " faults="
          + faultCount()
          + " ("
          + kinds
          + ")";
    }
  }

  private final InetSocketAddress upstream;
  private final String upstreamAuthority;
  private final double failureProbability;
  private final Duration delay;
  private final List<Fault> enabled;
  private final Random random;
  private final ServerSocket server;
  private final String authority;
  private final ExecutorService threads;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final LongAdder requests = new LongAdder();
  private final LongAdder forwarded = new LongAdder();
  private final Map<Fault, LongAdder> faults = new EnumMap<>(Fault.class);
  private volatile boolean closed;

  private FaultInjectingProxy(Builder b) throws IOException {
    String host = Objects.requireNonNull(b.upstream.getHost(), "upstream host");
    int port = b.upstream.getPort() == -1 ? 80 : b.upstream.getPort();
    this.upstream = new InetSocketAddress(host, port);
    this.upstreamAuthority = host + ":" + port;
    this.failureProbability = b.failureProbability;
    this.delay = b.delay;
    this.enabled = List.copyOf(b.faults);
    this.random = new Random(b.seed);
    for (Fault f : Fault.values()) {
      faults.put(f, new LongAdder());
    }
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.authority = "127.0.0.1:" + server.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-proxy-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts configuring a proxy: every fault kind enabled, failure probability {@link
   * #DEFAULT_FAILURE_PROBABILITY}, delay {@link #DEFAULT_DELAY}, seed 0.
   *
   * @param upstream the server to forward to, {@code http://host:port}
   * @return a builder
   */
  public static Builder builder(URI upstream) {
    return new Builder(upstream);
  }

  /**
   * @return {@code http://127.0.0.1:PORT} of the proxy
   */
  public URI baseUrl() {
    return URI.create("http://" + authority);
  }

  /**
   * @return a snapshot of the counters
   */
  public Stats stats() {
    Map<Fault, Long> byKind = new EnumMap<>(Fault.class);
    faults.forEach((k, v) -> byKind.put(k, v.sum()));
    return new Stats(requests.sum(), forwarded.sum(), byKind);
  }

  /** Closes the listening socket and every connection, and stops every thread (waits up to 5 s). */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(FaultInjectingProxy::closeQuietly);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FaultInjectingProxy["
        + authority
        + " -> "
        + upstreamAuthority
        + ", p="
        + failureProbability
        + "]";
  }

  // --- connections ---------------------------------------------------------------------------

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      if (closed) { // close() may have run between accept and add
        closeQuietly(client);
        return;
      }
      try {
        threads.execute(() -> serve(client));
      } catch (RuntimeException e) { // rejected: shutting down
        closeQuietly(client);
        sockets.remove(client);
      }
    }
  }

  private void serve(Socket client) {
    try {
      client.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      client.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      while (!closed) {
        Optional<Request> read = Request.read(in, out);
        if (read.isEmpty()) {
          return; // the client closed its connection
        }
        if (!handle(read.get(), client, out)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // A client that gave up (timeout) or a proxy shutting down: nothing to answer any more.
    } finally {
      closeQuietly(client);
      sockets.remove(client);
    }
  }

  /** Handles one request; returns whether the connection stays open for the next. */
  private boolean handle(Request request, Socket client, OutputStream out) throws IOException {
    requests.increment();
    Decision decision = decide();
    decision.fault().ifPresent(f -> faults.get(f).increment());
    if (decision.fault().isEmpty()) {
      Response response = forward(request);
      write(out, response, request);
      return !request.wantsClose();
    }
    switch (decision.fault().get()) {
      case RESET_BEFORE_FORWARD:
        abort(client, decision.reset());
        return false;
      case DROP_AFTER_FORWARD:
        forward(request);
        abort(client, decision.reset());
        return false;
      case SERVICE_UNAVAILABLE:
        write(out, html(503, "Service Temporarily Unavailable", List.of()), request);
        return true;
      case TOO_MANY_REQUESTS:
        write(
            out, html(429, "Too Many Requests", List.of(new Header("Retry-After", "0"))), request);
        return true;
      case BAD_GATEWAY:
        write(out, html(502, "Bad Gateway", List.of()), request);
        return true;
      case GARBAGE_RESPONSE:
        out.write(garbage(decision.variant()));
        out.flush();
        client.shutdownOutput();
        return false;
      case DELAYED_RESPONSE:
        Response late = forward(request);
        sleep(delay);
        write(out, late, request);
        return !request.wantsClose();
      default:
        throw new IllegalStateException("unknown fault " + decision.fault());
    }
  }

  private Decision decide() {
    synchronized (random) {
      if (enabled.isEmpty() || random.nextDouble() >= failureProbability) {
        return new Decision(Optional.empty(), false, 0);
      }
      Fault fault = enabled.get(random.nextInt(enabled.size()));
      return new Decision(Optional.of(fault), random.nextBoolean(), random.nextInt(3));
    }
  }

  private record Decision(Optional<Fault> fault, boolean reset, int variant) {}

  private static void abort(Socket client, boolean reset) throws IOException {
    if (reset) {
      client.setSoLinger(true, 0); // close() now sends RST
    } else {
      client.shutdownOutput();
    }
    client.close();
  }

  private static byte[] garbage(int variant) {
    switch (variant) {
      case 0:
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
                + "Docker-Distribution-Api-Version: registry/2.0\r\n\r\n{\"reposito")
            .getBytes(StandardCharsets.US_ASCII);
      case 1:
        return "HTTP/1.1 2O0 0K\r\nContent-Length: 5\r\n\r\nhello"
            .getBytes(StandardCharsets.US_ASCII);
      default:
        byte[] noise = new byte[64];
        new Random(64).nextBytes(noise);
        return noise;
    }
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("proxy closing", e);
    }
  }

  // --- forwarding ------------------------------------------------------------------------------

  private Response forward(Request request) throws IOException {
    forwarded.increment();
    try (Socket up = new Socket()) {
      sockets.add(up);
      try {
        if (closed) {
          throw new IOException("proxy closing");
        }
        up.connect(upstream, 5_000);
        up.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        OutputStream out = new BufferedOutputStream(up.getOutputStream());
        StringBuilder head =
            new StringBuilder(request.method())
                .append(' ')
                .append(request.target())
                .append(" HTTP/1.1\r\n");
        head.append("Host: ").append(upstreamAuthority).append("\r\n");
        for (Header h : request.headers()) {
          if (!HOP_BY_HOP.contains(h.lowerName())) {
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
          }
        }
        if (request.body().length > 0 || request.hadContentLength()) {
          head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(request.body());
        out.flush();
        return Response.read(
            new BufferedInputStream(up.getInputStream()), request.method().equals("HEAD"));
      } finally {
        sockets.remove(up);
      }
    }
  }

  private void write(OutputStream out, Response response, Request request) throws IOException {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(response.status())
            .append(' ')
            .append(response.reason())
            .append("\r\n");
    for (Header h : response.headers()) {
      if (HOP_BY_HOP.contains(h.lowerName())) {
        continue;
      }
      String value =
          h.lowerName().equals("location") || h.lowerName().equals("link")
              ? h.value().replace("//" + upstreamAuthority, "//" + authority)
              : h.value();
      head.append(h.name()).append(": ").append(value).append("\r\n");
    }
    if (request.method().equals("HEAD")) {
      // A HEAD answer carries the length the GET body would have, and no body.
      response
          .header("content-length")
          .ifPresent(v -> head.append("Content-Length: ").append(v).append("\r\n"));
    } else if (response.status() != 204 && response.status() != 304) {
      head.append("Content-Length: ").append(response.body().length).append("\r\n");
    }
    if (request.wantsClose()) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!request.method().equals("HEAD")) {
      out.write(response.body());
    }
    out.flush();
  }

  private static Response html(int status, String reason, List<Header> extra) {
    String body =
        "<html>\r\n<head><title>"
            + status
            + " "
            + reason
            + "</title></head>\r\n<body>\r\n<center><h1>"
            + status
            + " "
            + reason
            + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    List<Header> headers = new ArrayList<>(extra);
    headers.add(new Header("Content-Type", "text/html"));
    headers.add(new Header("Server", "nginx"));
    return new Response(status, reason, headers, body.getBytes(StandardCharsets.US_ASCII));
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }

  // --- HTTP/1.1 messages -----------------------------------------------------------------------

  private record Header(String name, String value) {
    String lowerName() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  private record Request(
      String method,
      String target,
      List<Header> headers,
      byte[] body,
      boolean hadContentLength,
      boolean wantsClose) {

    /**
     * Reads one request; empty when the connection ends cleanly before one starts. Answers {@code
     * Expect: 100-continue} itself (the upstream never sees it).
     */
    static Optional<Request> read(InputStream in, OutputStream out) throws IOException {
      String line = readLineOrEnd(in);
      if (line == null) {
        return Optional.empty();
      }
      String[] parts = line.split(" ");
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        throw new IOException("malformed request line: " + line);
      }
      List<Header> headers = readHeaders(in);
      if (find(headers, "expect").map(v -> v.equalsIgnoreCase("100-continue")).orElse(false)) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      Optional<String> length = find(headers, "content-length");
      boolean chunked =
          find(headers, "transfer-encoding")
              .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
              .orElse(false);
      byte[] body =
          chunked
              ? readChunked(in)
              : length.isPresent() ? readFixed(in, parseLength(length.get())) : new byte[0];
      boolean close =
          find(headers, "connection").map(v -> v.equalsIgnoreCase("close")).orElse(false)
              || parts[2].equals("HTTP/1.0");
      return Optional.of(new Request(parts[0], parts[1], headers, body, length.isPresent(), close));
    }
  }

  private record Response(int status, String reason, List<Header> headers, byte[] body) {

    /**
     * Reads one response from an upstream connection that closes after it, skipping 1xx answers.
     */
    static Response read(InputStream in, boolean head) throws IOException {
      for (int interim = 0; interim < 10; interim++) {
        String line = readLine(in);
        String[] parts = line.split(" ", 3);
        int status;
        try {
          status =
              parts.length >= 2 && parts[0].startsWith("HTTP/1.") ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
          status = -1;
        }
        if (status < 100 || status > 999) {
          throw new IOException("malformed status line from upstream: " + line);
        }
        List<Header> headers = readHeaders(in);
        if (status / 100 != 1) {
          return new Response(
              status,
              parts.length > 2 ? parts[2] : "",
              headers,
              readBody(in, head, status, headers));
        }
      }
      throw new IOException("more than 10 interim responses from upstream");
    }

    private static byte[] readBody(InputStream in, boolean head, int status, List<Header> headers)
        throws IOException {
      if (head || status == 204 || status == 304) {
        return new byte[0];
      }
      if (find(headers, "transfer-encoding")
          .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
          .orElse(false)) {
        return readChunked(in);
      }
      Optional<String> length = find(headers, "content-length");
      return length.isPresent() ? readFixed(in, parseLength(length.get())) : readToEnd(in);
    }

    Optional<String> header(String lowerName) {
      return find(headers, lowerName);
    }
  }

  private static Optional<String> find(List<Header> headers, String lowerName) {
    return headers.stream()
        .filter(h -> h.lowerName().equals(lowerName))
        .map(Header::value)
        .findFirst();
  }

  private static List<Header> readHeaders(InputStream in) throws IOException {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i <= MAX_HEADERS; i++) {
      String line = readLine(in);
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line");
      }
      headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
    }
    throw new IOException("more than " + MAX_HEADERS + " headers");
  }

  /** Reads a CRLF- (or LF-) terminated line; the end of the stream is an error. */
  private static String readLine(InputStream in) throws IOException {
    String line = readLineOrEnd(in);
    if (line == null) {
      throw new EOFException("connection ended before a line");
    }
    return line;
  }

  /**
   * Reads a CRLF- (or LF-) terminated line, or {@code null} when the stream ends before its first
   * byte.
   */
  private static @Nullable String readLineOrEnd(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (line.size() <= MAX_LINE) {
      int b = in.read();
      if (b == -1) {
        if (line.size() == 0) {
          return null;
        }
        throw new EOFException("connection ended inside a line");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    throw new IOException("line longer than " + MAX_LINE + " bytes");
  }

  private static int parseLength(String value) throws IOException {
    try {
      long n = Long.parseLong(value.strip());
      if (n < 0 || n > MAX_BODY) {
        throw new IOException("unsupported Content-Length " + value);
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new IOException("malformed Content-Length " + value, e);
    }
  }

  private static byte[] readFixed(InputStream in, int length) throws IOException {
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size", e);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new IOException("chunked body too large");
      }
      if (size == 0) {
        readHeaders(in); // trailers, up to the empty line
        return body.toByteArray();
      }
      body.write(readFixed(in, size));
      readLine(in); // CRLF after the chunk
    }
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new IOException("body too large");
    }
    return body;
  }

  /** Configures a {@link FaultInjectingProxy}; every setter returns this builder. */
  public static final class Builder {
    private final URI upstream;
    private long seed;
    private double failureProbability = DEFAULT_FAILURE_PROBABILITY;
    private Duration delay = DEFAULT_DELAY;
    private Set<Fault> faults = EnumSet.allOf(Fault.class);

    private Builder(URI upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /**
     * @param seed seeds the random choice of which requests fail and how; default 0
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @param p share of requests that fail, 0 to 1; default {@link #DEFAULT_FAILURE_PROBABILITY}
     * @return this builder
     */
    public Builder failureProbability(double p) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("failure probability must be 0 to 1, was " + p);
      }
      this.failureProbability = p;
      return this;
    }

    /**
     * @param d how long a {@link Fault#DELAYED_RESPONSE} holds the answer; default {@link
     *     #DEFAULT_DELAY}
     * @return this builder
     */
    public Builder delay(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative");
      }
      this.delay = d;
      return this;
    }

    /**
     * @param kinds the fault kinds to choose from; default all. Empty: a transparent proxy.
     * @return this builder
     */
    public Builder faults(Set<Fault> kinds) {
      this.faults = kinds.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(kinds);
      return this;
    }

    /**
     * Binds a free loopback port and starts accepting.
     *
     * @return the running proxy
     * @throws UncheckedIOException if no port can be bound
     */
    public FaultInjectingProxy start() {
      try {
        return new FaultInjectingProxy(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
