package io.registryreactive.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * An in-process stand-in for a registry on {@code 127.0.0.1} (a free port), cheap enough that a
 * benchmark measures the client rather than the server.
 *
 * <p>Routes, answered like distribution 2.8 does:
 *
 * <ul>
 *   <li>{@code GET /v2/} - 200 {@code {}};
 *   <li>{@code GET /v2/_catalog?n=&last=} - {@code {"repositories":[...]}}, paged with {@code Link:
 *       </v2/_catalog?n=N&last=X>; rel="next"} (relative, as distribution sends it);
 *   <li>{@code GET /v2/<name>/tags/list?n=&last=} - {@code {"name":..,"tags":[...]}}, paged the
 *       same way, or all tags in one page without {@code Link} in {@link Builder#tagsInOnePage
 *       one-page mode} (distribution ignores {@code n} for tags);
 *   <li>{@code HEAD|GET /v2/<name>/manifests/<ref>} - one fixed OCI image manifest with {@code
 *       Docker-Content-Digest}, {@code Content-Type}, {@code Content-Length}; in {@link
 *       Builder#distinctManifests() distinct mode}, a manifest of its own for every repository and
 *       tag (its config digest derived from both, its two layers shared by all), built per request,
 *       and 404 {@code MANIFEST_UNKNOWN} for a reference by digest (the stub keeps no table to look
 *       a digest up in);
 *   <li>{@code DELETE /v2/<name>/manifests/<digest>} - 202 (nothing is really deleted, so a
 *       benchmark can delete the same digest forever); a tag in place of a digest is 400.
 * </ul>
 *
 * <p>Any repository name is accepted. Names are {@code tag-0000042} / {@code repo-0000042},
 * zero-padded so their order is their index: {@code last} is turned back into an index without a
 * lookup table. Each page body is generated on its first request and cached as a read-only
 * <em>direct</em> buffer, so later requests cost a map lookup and a write, and the cache does not
 * count against the heap of the JVM under test (which matters for {@code -Xmx128m} runs).
 *
 * <p>The server runs on its own event loop threads named {@code stub-...} ({@link
 * #THREAD_NAME_PREFIX}), apart from the client's {@code reactor-http-...} loops, so its CPU time
 * can be told apart (see {@link ThreadCpuProfiler}).
 */
public final class StubRegistryServer implements AutoCloseable {

  /** Prefix of the stub's event loop thread names. */
  public static final String THREAD_NAME_PREFIX = "stub";

  /** The repository the benchmarks use; any other name is answered alike. */
  public static final String REPOSITORY = "bench/app";

  /** Media type of the manifest served. */
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

  /** What the stub answered, for counting. */
  public enum Route {
    /** {@code GET /v2/}. */
    API_VERSION,
    /** {@code GET /v2/_catalog}. */
    CATALOG,
    /** {@code GET /v2/<name>/tags/list}. */
    TAGS,
    /** {@code HEAD /v2/<name>/manifests/<ref>}. */
    MANIFEST_HEAD,
    /** {@code GET /v2/<name>/manifests/<ref>}. */
    MANIFEST_GET,
    /** {@code DELETE /v2/<name>/manifests/<digest>}. */
    MANIFEST_DELETE,
    /** Any other request. */
    OTHER
  }

  private static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
  private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
  private static final AsciiString DIGEST = AsciiString.cached("Docker-Content-Digest");
  private static final AsciiString API_VERSION =
      AsciiString.cached("Docker-Distribution-API-Version");
  private static final AsciiString LINK = AsciiString.cached("Link");
  private static final AsciiString JSON = AsciiString.cached("application/json; charset=utf-8");
  private static final AsciiString REGISTRY_2 = AsciiString.cached("registry/2.0");

  private final Builder config;
  private final int tagWidth;
  private final int repoWidth;
  private final byte[] manifest;
  private final String manifestDigest;
  private final AsciiString manifestLength;
  private final ByteBuf manifestBody;
  private final ByteBuf emptyObject;
  private final ConcurrentHashMap<PageKey, CachedPage> pages = new ConcurrentHashMap<>();
  private final Map<Route, LongAdder> served = new EnumMap<>(Route.class);
  private final LongAdder connections = new LongAdder();
  private final LoopResources loops;
  private final DisposableServer server;

  private StubRegistryServer(Builder config) {
    this.config = config;
    this.tagWidth = width(config.tagCount);
    this.repoWidth = width(config.catalogCount);
    this.manifest = manifestJson().getBytes(StandardCharsets.UTF_8);
    this.manifestDigest = "sha256:" + sha256Hex(manifest);
    this.manifestLength = AsciiString.of(Integer.toString(manifest.length));
    this.manifestBody =
        Unpooled.unreleasableBuffer(Unpooled.directBuffer(manifest.length).writeBytes(manifest));
    this.emptyObject =
        Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeBytes(new byte[] {'{', '}'}));
    for (Route r : Route.values()) {
      served.put(r, new LongAdder());
    }
    this.loops = LoopResources.create(THREAD_NAME_PREFIX, config.eventLoopThreads, true);
    this.server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .runOn(loops)
            // Per channel: doOnConnection would fire for every request of a kept-alive connection.
            .doOnChannelInit((observer, channel, address) -> connections.increment())
            .handle(this::handle)
            .bindNow(Duration.ofSeconds(10));
  }

  /**
   * Runs a stub until the process is killed, printing its base URL, for whole processes (the {@code
   * registry-prune} CLI) to be measured against it: {@code --tags N} per repository (default
   * 3,000), {@code --repositories N} (default 1), {@code --page-size N} (default 1,000), {@code
   * --distinct} ({@link Builder#distinctManifests()}), {@code --threads N} (event loops, default
   * 1).
   *
   * @param args see above
   * @throws InterruptedException never: it waits until killed
   */
  public static void main(String[] args) throws InterruptedException {
    Builder b = builder();
    int tags = 3_000;
    int repositories = 1;
    int pageSize = 1_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tags" -> tags = Integer.parseInt(args[++i]);
        case "--repositories" -> repositories = Integer.parseInt(args[++i]);
        case "--page-size" -> pageSize = Integer.parseInt(args[++i]);
        case "--distinct" -> b.distinctManifests();
        case "--threads" -> b.eventLoopThreads(Integer.parseInt(args[++i]));
        default -> {
          System.err.println(
              "usage: StubRegistryServer [--tags N] [--repositories N] [--page-size N]"
                  + " [--distinct] [--threads N]");
          System.exit(2);
        }
      }
    }
    StubRegistryServer stub =
        b.tags(tags, pageSize).catalog(repositories, Math.min(repositories, 1_000)).start();
    System.out.println(stub.baseUrl());
    Thread.currentThread().join();
  }

  /**
   * @return a builder: 10,000 tags in pages of 1,000, 1,000 repositories in pages of 100, one event
   *     loop
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return {@code http://127.0.0.1:<port>}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /**
   * @return the base URL as a URI
   */
  public URI baseUri() {
    return URI.create(baseUrl());
  }

  /**
   * @return tags served per repository
   */
  public int tagCount() {
    return config.tagCount;
  }

  /**
   * @return repositories in the catalog
   */
  public int catalogCount() {
    return config.catalogCount;
  }

  /**
   * @param index 0 to {@link #tagCount()} - 1
   * @return the tag at that position of the listing
   */
  public String tag(int index) {
    return name("tag-", index, tagWidth);
  }

  /**
   * @param index 0 to {@link #catalogCount()} - 1
   * @return the repository at that position of the catalog
   */
  public String repository(int index) {
    return name("repo-", index, repoWidth);
  }

  /**
   * @return the digest every manifest request answers with
   */
  public String manifestDigest() {
    return manifestDigest;
  }

  /**
   * @return the manifest size in bytes
   */
  public int manifestSize() {
    return manifest.length;
  }

  /**
   * @return requests answered since start, all routes
   */
  public long requestsServed() {
    return served.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * @param route a route
   * @return requests answered on that route since start
   */
  public long requestsServed(Route route) {
    return served.get(route).sum();
  }

  /**
   * @return TCP connections accepted since start: far fewer than requests when keep-alive works
   */
  public long connectionsAccepted() {
    return connections.sum();
  }

  /**
   * @return bytes held by the page cache (direct memory, off-heap)
   */
  public long cachedPageBytes() {
    return pages.values().stream().mapToLong(p -> p.body.readableBytes()).sum();
  }

  @Override
  public void close() {
    server.disposeNow(Duration.ofSeconds(5));
    loops.disposeLater().block(Duration.ofSeconds(5));
    pages.values().forEach(p -> p.body.release());
    pages.clear();
  }

  private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    HttpMethod method = req.method();
    boolean get = method == HttpMethod.GET;
    boolean head = method == HttpMethod.HEAD;

    if (path.equals("/v2/") || path.equals("/v2")) {
      count(Route.API_VERSION);
      return res.header(API_VERSION, REGISTRY_2)
          .header(CONTENT_TYPE, JSON)
          .header(CONTENT_LENGTH, "2")
          .send(head ? Mono.empty() : Mono.just(emptyObject.duplicate()));
    }
    if (!path.startsWith("/v2/")) {
      return notFound(res);
    }
    if (get && path.equals("/v2/_catalog")) {
      count(Route.CATALOG);
      return listing(res, "", query, config.catalogCount, config.catalogPageSize, false);
    }
    if (get && path.endsWith("/tags/list")) {
      count(Route.TAGS);
      String name = path.substring(4, path.length() - "/tags/list".length());
      return listing(res, name, query, config.tagCount, config.tagPageSize, config.tagsInOnePage);
    }
    int m = path.lastIndexOf("/manifests/");
    if (m > 4) {
      String reference = path.substring(m + "/manifests/".length());
      if (head || get) {
        count(head ? Route.MANIFEST_HEAD : Route.MANIFEST_GET);
        if (!config.distinctManifests) {
          res.header(DIGEST, manifestDigest)
              .header(CONTENT_TYPE, MANIFEST_MEDIA_TYPE)
              .header(CONTENT_LENGTH, manifestLength);
          return head ? res.send() : res.send(Mono.just(manifestBody.duplicate()));
        }
        if (reference.indexOf(':') >= 0) {
          return error(
              res,
              HttpResponseStatus.NOT_FOUND,
              "MANIFEST_UNKNOWN",
              "manifest unknown to the stub (distinct mode answers tags only)");
        }
        byte[] body =
            distinctManifestJson(path.substring(4, m), reference).getBytes(StandardCharsets.UTF_8);
        res.header(DIGEST, "sha256:" + sha256Hex(body))
            .header(CONTENT_TYPE, MANIFEST_MEDIA_TYPE)
            .header(CONTENT_LENGTH, Integer.toString(body.length));
        return head ? res.send() : res.send(Mono.just(Unpooled.wrappedBuffer(body)));
      }
      if (method == HttpMethod.DELETE) {
        count(Route.MANIFEST_DELETE);
        if (reference.indexOf(':') < 0) {
          return error(
              res,
              HttpResponseStatus.BAD_REQUEST,
              "DIGEST_INVALID",
              "provided digest did not match uploaded content");
        }
        return res.status(HttpResponseStatus.ACCEPTED).header(CONTENT_LENGTH, "0").send();
      }
    }
    return notFound(res);
  }

  private Publisher<Void> listing(
      HttpServerResponse res,
      String name,
      String query,
      int total,
      int defaultSize,
      boolean onePage) {
    boolean catalog = name.isEmpty();
    String prefix = catalog ? "repo-" : "tag-";
    int size = onePage ? Math.max(total, 1) : pageSize(param(query, "n"), defaultSize);
    if (size < 0) {
      return error(
          res,
          HttpResponseStatus.BAD_REQUEST,
          "PAGINATION_NUMBER_INVALID",
          "invalid number of results requested");
    }
    int start = 0;
    String last = param(query, "last");
    if (!onePage && !last.isEmpty()) {
      start = indexOf(last, prefix) + 1;
      if (start <= 0) {
        return error(
            res,
            HttpResponseStatus.BAD_REQUEST,
            "PAGINATION_NUMBER_INVALID",
            "unknown 'last': " + last);
      }
    }
    CachedPage page =
        pages.computeIfAbsent(new PageKey(name, start, size), k -> render(k, total, onePage));
    res.header(CONTENT_TYPE, JSON).header(CONTENT_LENGTH, page.length);
    if (page.link != null) {
      res.header(LINK, page.link);
    }
    return res.send(Mono.just(page.body.retainedDuplicate()));
  }

  private CachedPage render(PageKey key, int total, boolean onePage) {
    boolean catalog = key.name.isEmpty();
    int end = (int) Math.min(total, (long) key.start + key.size);
    StringBuilder head = new StringBuilder(64);
    head.append(catalog ? "{\"repositories\":[" : "{\"name\":\"" + key.name + "\",\"tags\":[");
    int width = catalog ? repoWidth : tagWidth;
    String prefix = catalog ? "repo-" : "tag-";
    int itemBytes = prefix.length() + width + 3;
    ByteBuf body =
        Unpooled.directBuffer(head.length() + 2 + Math.max(0, end - key.start) * itemBytes);
    body.writeCharSequence(head, StandardCharsets.UTF_8);
    for (int i = key.start; i < end; i++) {
      if (i > key.start) {
        body.writeByte(',');
      }
      body.writeByte('"');
      body.writeCharSequence(name(prefix, i, width), StandardCharsets.US_ASCII);
      body.writeByte('"');
    }
    body.writeCharSequence("]}", StandardCharsets.US_ASCII);
    String link = null;
    if (!onePage && end < total) {
      String route = catalog ? "/v2/_catalog" : "/v2/" + key.name + "/tags/list";
      link =
          "<"
              + route
              + "?n="
              + key.size
              + "&last="
              + name(prefix, end - 1, width)
              + ">; rel=\"next\"";
    }
    return new CachedPage(
        body.asReadOnly(), AsciiString.of(Integer.toString(body.readableBytes())), link);
  }

  private Publisher<Void> notFound(HttpServerResponse res) {
    count(Route.OTHER);
    return error(
        res, HttpResponseStatus.NOT_FOUND, "NAME_UNKNOWN", "repository name not known to registry");
  }

  private static Publisher<Void> error(
      HttpServerResponse res, HttpResponseStatus status, String code, String message) {
    byte[] body =
        ("{\"errors\":[{\"code\":\""
                + code
                + "\",\"message\":\""
                + message
                + "\",\"detail\":null}]}")
            .getBytes(StandardCharsets.UTF_8);
    return res.status(status)
        .header(CONTENT_TYPE, JSON)
        .header(CONTENT_LENGTH, Integer.toString(body.length))
        .send(Mono.just(Unpooled.wrappedBuffer(body)));
  }

  private void count(Route route) {
    served.get(route).increment();
  }

  /**
   * @return n, the default when absent, or -1 when malformed or not positive
   */
  private static int pageSize(String n, int defaultSize) {
    if (n.isEmpty()) {
      return defaultSize;
    }
    try {
      int v = Integer.parseInt(n);
      return v > 0 ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @return the index encoded in a generated name, or -1
   */
  private static int indexOf(String name, String prefix) {
    if (!name.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(name, prefix.length(), name.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String param(String query, String key) {
    int i = 0;
    while (i < query.length()) {
      int amp = query.indexOf('&', i);
      int end = amp < 0 ? query.length() : amp;
      if (query.startsWith(key, i)
          && i + key.length() < end
          && query.charAt(i + key.length()) == '=') {
        return query.substring(i + key.length() + 1, end);
      }
      i = end + 1;
    }
    return "";
  }

  private static String name(String prefix, int index, int width) {
    String digits = Integer.toString(index);
    StringBuilder sb =
        new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
    for (int i = digits.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  private static int width(int count) {
    return Math.max(7, Integer.toString(Math.max(0, count - 1)).length());
  }

  private static String manifestJson() {
    return "{\"schemaVersion\":2,\"mediaType\":\""
        + MANIFEST_MEDIA_TYPE
        + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"digest\":\"sha256:"
        + sha256Hex("config".getBytes(StandardCharsets.UTF_8))
        + "\",\"size\":1469},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"sha256:"
        + sha256Hex("layer".getBytes(StandardCharsets.UTF_8))
        + "\",\"size\":3623807}]}";
  }

  /** The layers every distinct manifest shares. */
  private static final String SHARED_LAYERS =
      "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
          + "\"digest\":\"sha256:"
          + sha256Hex("layer".getBytes(StandardCharsets.UTF_8))
          + "\",\"size\":3623807},"
          + "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
          + "\"digest\":\"sha256:"
          + sha256Hex("layer 2".getBytes(StandardCharsets.UTF_8))
          + "\",\"size\":1048576}]}";

  /** An image of its own for a repository and tag: a config blob named after both. */
  private static String distinctManifestJson(String repository, String tag) {
    return "{\"schemaVersion\":2,\"mediaType\":\""
        + MANIFEST_MEDIA_TYPE
        + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"digest\":\"sha256:"
        + sha256Hex(("config " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8))
        + "\",\"size\":1469},"
        + SHARED_LAYERS;
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private record PageKey(String name, int start, int size) {}

  private record CachedPage(ByteBuf body, AsciiString length, String link) {}

  /** Configures a {@link StubRegistryServer}; every setter returns this builder. */
  public static final class Builder {
    private int tagCount = 10_000;
    private int tagPageSize = 1_000;
    private boolean tagsInOnePage;
    private int catalogCount = 1_000;
    private int catalogPageSize = 100;
    private int eventLoopThreads = 1;
    private boolean distinctManifests;

    private Builder() {}

    /**
     * Every repository and tag answers with a manifest of its own (as CI pushes a new image per
     * build), built per request; references by digest are answered 404.
     *
     * @return this builder
     */
    public Builder distinctManifests() {
      this.distinctManifests = true;
      return this;
    }

    /**
     * Tags of every repository, paged by {@code Link}.
     *
     * @param count tags per repository
     * @param defaultPageSize page size when the request has no {@code n} (an {@code n} is honoured)
     * @return this builder
     */
    public Builder tags(int count, int defaultPageSize) {
      this.tagCount = nonNegative(count, "count");
      this.tagPageSize = positive(defaultPageSize, "defaultPageSize");
      this.tagsInOnePage = false;
      return this;
    }

    /**
     * Tags of every repository, all in one page whatever {@code n} says (as distribution does).
     *
     * @param count tags per repository
     * @return this builder
     */
    public Builder tagsInOnePage(int count) {
      this.tagCount = nonNegative(count, "count");
      this.tagsInOnePage = true;
      return this;
    }

    /**
     * The catalog, paged by {@code Link}.
     *
     * @param count repositories
     * @param defaultPageSize page size when the request has no {@code n}
     * @return this builder
     */
    public Builder catalog(int count, int defaultPageSize) {
      this.catalogCount = nonNegative(count, "count");
      this.catalogPageSize = positive(defaultPageSize, "defaultPageSize");
      return this;
    }

    /**
     * @param threads event loop threads of the server; default 1
     * @return this builder
     */
    public Builder eventLoopThreads(int threads) {
      this.eventLoopThreads = positive(threads, "threads");
      return this;
    }

    /**
     * @return a started server; close it
     */
    public StubRegistryServer start() {
      return new StubRegistryServer(this);
    }

    private static int positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException("'" + name + "' must be positive, was " + v);
      }
      return v;
    }

    private static int nonNegative(int v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException("'" + name + "' must not be negative, was " + v);
      }
      return v;
    }
  }
}
