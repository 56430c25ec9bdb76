package io.registryreactive.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.AsciiString;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends one {@link RegistryRequest} over Reactor Netty and reads the whole (capped) body. Knows
 * nothing of auth, redirects or retries: those are layered above. Never logs header values, so an
 * {@code Authorization} header cannot leak into logs.
 */
public final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  /**
   * Context key of the per-request headers of a request sent through {@link #fastSenders}: the hook
   * installed by {@link #withRequestHeaders} reads them there instead of each request copying the
   * client's configuration to add its own headers.
   */
  private static final Object REQUEST_HEADERS = new Object();

  private final HttpClient client;
  private final ConnectionProvider provider;

  /**
   * Per-method senders for requests without a body and without a {@code Content-Length} of their
   * own (GET, HEAD, DELETE), built once: each such request costs one configuration copy (its URI)
   * instead of four (headers, method, URI, each a copy of Reactor Netty's client configuration).
   */
  private final Map<String, HttpClient.RequestSender> fastSenders;

  /**
   * Creates the transport and its connection pool.
   *
   * @param options timeouts, pool size, user agent, TLS
   */
  public HttpTransport(TransportOptions options) {
    this.provider =
        ConnectionProvider.builder("registry-reactive")
            .maxConnections(options.maxConnections())
            .pendingAcquireMaxCount(options.pendingAcquireMaxCount())
            .pendingAcquireTimeout(options.pendingAcquireTimeout())
            .maxIdleTime(Duration.ofSeconds(30))
            .build();
    HttpClient c =
        HttpClient.create(provider)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
            .responseTimeout(options.responseTimeout())
            .followRedirect(false)
            .keepAlive(true)
            .doOnChannelInit(
                (observer, channel, address) -> {
                  if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                    channel
                        .pipeline()
                        .addAfter(
                            NettyPipeline.HttpCodec,
                            MalformedResponse.NAME,
                            MalformedResponse.INSTANCE);
                  }
                })
            .headers(h -> h.set(HttpHeaderNames.USER_AGENT, options.userAgent()))
            .doOnRequest(HttpTransport::withRequestHeaders);
    if (options.insecureTls() || options.tls().isCustom()) {
      reactor.netty.http.Http11SslContextSpec ssl =
          TlsContexts.forClient(options.insecureTls(), options.tls());
      c =
          c.secure(
              spec ->
                  spec.sslContext((reactor.netty.tcp.SslProvider.GenericSslContextSpec<?>) ssl));
    }
    if (options.proxy().isPresent()) {
      c = ProxySettings.apply(c, options.proxy().get());
    }
    if (options.connectionMetrics()) {
      // Reactor Netty's meters (connection pool, connect, TLS handshake, data sent and received)
      // go to Micrometer's global registry. The URI tag is the route kind only: the raw path
      // holds repository names and digests, unbounded as tag values.
      c =
          c.metrics(
              true,
              uri ->
                  RequestObserver.endpointOf(
                      java.net.URI.create(
                          uri.startsWith("/") || uri.contains("://") ? uri : "/" + uri)));
    }
    this.client = c;
    Map<String, HttpClient.RequestSender> senders = new HashMap<>();
    for (String method : new String[] {"GET", "HEAD", "DELETE"}) {
      senders.put(method, c.request(HttpMethod.valueOf(method)));
    }
    this.fastSenders = Map.copyOf(senders);
  }

  /**
   * Sets a request's own headers, carried in the subscriber context, on the Netty request just
   * before it is written (Reactor Netty calls this once the request is prepared, after its default
   * headers and before the first byte goes out, and again for its own one-off resend on a reset
   * connection).
   */
  private static void withRequestHeaders(
      reactor.netty.http.client.HttpClientRequest req, reactor.netty.Connection connection) {
    RequestHeaders own = req.currentContextView().getOrDefault(REQUEST_HEADERS, null);
    if (own != null) {
      HttpHeaders h = req.requestHeaders();
      own.request.headers().forEach(h::set);
      own.authorization.ifPresent(a -> h.set(HttpHeaderNames.AUTHORIZATION, a));
    }
  }

  /** What {@link #withRequestHeaders} adds to one request. */
  private record RequestHeaders(RegistryRequest request, Optional<String> authorization) {
    @Override
    public String toString() {
      // Never the Authorization value.
      return "RequestHeaders[" + request + "]";
    }
  }

  /**
   * Sends a request and buffers the response body up to the request's cap.
   *
   * @param request what to send
   * @param authorization the {@code Authorization} header value, if any
   * @return the response; errors are {@link RegistryConnectionException} for transport failures and
   *     {@link RegistryProtocolException} for an oversized body
   */
  public Mono<RegistryResponse> send(RegistryRequest request, Optional<String> authorization) {
    return Mono.defer(
        () -> {
          long started = System.nanoTime();
          HttpClient.RequestSender fast =
              request.hasBody() || needsContentLength(request.method())
                  ? null
                  : fastSenders.get(request.method());
          HttpClient.ResponseReceiver<?> receiver;
          if (fast != null) {
            // Its headers travel in the context, see withRequestHeaders.
            receiver = fast.uri(request.uri());
          } else {
            // A body or a Content-Length must be known before Reactor Netty prepares the request
            // (it picks chunked transfer then), so these requests set their headers up front.
            HttpClient.RequestSender sender =
                client
                    .headers(
                        h -> {
                          request.headers().forEach(h::set);
                          authorization.ifPresent(a -> h.set(HttpHeaderNames.AUTHORIZATION, a));
                          if (request.hasBody() || needsContentLength(request.method())) {
                            h.set(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
                          }
                        })
                    .request(HttpMethod.valueOf(request.method()))
                    .uri(request.uri());
            receiver =
                request.hasBody()
                    ? sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())))
                    : sender;
          }
          Mono<RegistryResponse> exchange = receive(receiver, request);
          RequestHeaders own = fast != null ? new RequestHeaders(request, authorization) : null;
          exchange =
              exchange.contextWrite(
                  ctx -> own != null ? ctx.put(REQUEST_HEADERS, own) : ctx.delete(REQUEST_HEADERS));
          if (LOG.isDebugEnabled()) {
            exchange =
                exchange.doOnNext(
                    r ->
                        LOG.debug(
                            "{} {} -> {} ({} bytes, {} ms)",
                            request.operation(),
                            request.describe(),
                            r.status(),
                            r.body().length,
                            (System.nanoTime() - started) / 1_000_000));
          }
          return exchange.onErrorMap(
              e -> !(e instanceof RegistryException),
              e -> {
                // Expected network failures become one exception; the stack trace stays at
                // DEBUG.
                LOG.debug("{} {} failed", request.operation(), request.describe(), e);
                return mapTransportError(request, e);
              });
        });
  }

  private static Mono<RegistryResponse> receive(
      HttpClient.ResponseReceiver<?> receiver, RegistryRequest request) {
    return receiver
        .response(
            (res, content) ->
                content
                    .asByteArray()
                    .reduceWith(
                        () -> new BodyBuffer(request, res.status().code()), BodyBuffer::append)
                    .defaultIfEmpty(new BodyBuffer(request, res.status().code()))
                    .map(buf -> buf.response(res.status().code(), copy(res.responseHeaders()))))
        .single();
  }

  private static boolean needsContentLength(String method) {
    return method.equals("PUT") || method.equals("POST") || method.equals("PATCH");
  }

  static RegistryException mapTransportError(RegistryRequest request, Throwable e) {
    String what = request.operation() + " (" + request.describe() + ")";
    Optional<RegistryException> tls = TlsFailures.describe(request.uri(), e);
    if (tls.isPresent()) {
      return tls.get();
    }
    if (e instanceof TimeoutException
        || e instanceof io.netty.handler.timeout.ReadTimeoutException) {
      return new RegistryConnectionException(what + " timed out", e);
    }
    if (e instanceof PrematureCloseException) {
      return new RegistryConnectionException(
          what + ": connection closed before the response was complete", e);
    }
    if (e instanceof IOException
        || e instanceof io.netty.channel.ChannelException
        || e instanceof io.netty.handler.codec.DecoderException) {
      return new RegistryConnectionException(
          what
              + " failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    }
    if (e instanceof IllegalArgumentException) {
      // Netty refuses a request it cannot encode (an invalid header value) this way; responses it
      // cannot parse arrive as DecoderException (see MalformedResponse) and are retried above.
      return new RegistryProtocolException(what + ": invalid request: " + e.getMessage(), e);
    }
    return new RegistryConnectionException(what + " failed: " + e, e);
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array of entries for Map.ofEntries
  private static Map<String, List<String>> copy(HttpHeaders headers) {
    // Built as an immutable map from the start, so that RegistryResponse's defensive copy keeps it
    // as it is; a name that repeats (Link, WWW-Authenticate) collects its values in order.
    if (headers.size() > 32) {
      return copyMany(headers);
    }
    Map.Entry<String, List<String>>[] entries = new Map.Entry[headers.size()];
    int n = 0;
    // Netty's own names are lower-case AsciiStrings that convert to String without a copy; walking
    // the CharSequence form avoids the String entry view building a new name and value per header.
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      CharSequence name = e.getKey();
      String key =
          name instanceof AsciiString a
              ? a.toLowerCase().toString()
              : name.toString().toLowerCase(Locale.ROOT);
      String value = e.getValue().toString();
      int found = -1;
      for (int k = 0; k < n; k++) {
        if (entries[k].getKey().equals(key)) {
          found = k;
          break;
        }
      }
      if (found < 0) {
        entries[n++] = Map.entry(key, List.of(value));
      } else {
        List<String> values = new ArrayList<>(entries[found].getValue());
        values.add(value);
        entries[found] = Map.entry(key, List.copyOf(values));
      }
    }
    return Map.ofEntries(n == entries.length ? entries : java.util.Arrays.copyOf(entries, n));
  }

  /** The same for a response with many headers, without the quadratic search for repeats. */
  private static Map<String, List<String>> copyMany(HttpHeaders headers) {
    Map<String, List<String>> out = new HashMap<>();
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      out.computeIfAbsent(e.getKey().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
          .add(e.getValue().toString());
    }
    return out;
  }

  /** Releases the connection pool without blocking. */
  public Mono<Void> close() {
    return provider.disposeLater();
  }

  /**
   * Netty reports a response it cannot parse (a garbled status line, a bad chunk size) with the
   * bare parse error, often an {@link IllegalArgumentException} such as {@link
   * NumberFormatException}, which is indistinguishable from our own request being refused while it
   * is built. Wrapped in a {@link DecoderException} it is read as what it is: the connection
   * delivered bytes that are not HTTP, a transport failure worth retrying like a reset.
   */
  @ChannelHandler.Sharable
  private static final class MalformedResponse extends ChannelInboundHandlerAdapter {
    static final String NAME = "registry-reactive.malformedResponse";
    static final MalformedResponse INSTANCE = new MalformedResponse();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpObject o
          && o.decoderResult().isFailure()
          && !(o.decoderResult().cause() instanceof DecoderException)) {
        Throwable cause = o.decoderResult().cause();
        o.setDecoderResult(
            DecoderResult.failure(
                new DecoderException("malformed HTTP response: " + cause, cause)));
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Collects body chunks, or hands them to the request's decoder as they arrive, and fails as soon
   * as the cap is passed, before holding more.
   */
  private static final class BodyBuffer {
    private static final byte[] EMPTY = new byte[0];
    private final RegistryRequest request;
    private final BodyDecoder.@Nullable Decoding decoding;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long received;

    BodyBuffer(RegistryRequest request, int status) {
      this.request = request;
      BodyDecoder decoder = request.decoder();
      this.decoding = decoder == null ? null : decoder.start(status).orElse(null);
    }

    BodyBuffer append(byte[] chunk) {
      received += chunk.length;
      if (received > request.maxResponseBytes()) {
        throw new RegistryProtocolException(
            request.operation()
                + " ("
                + request.describe()
                + "): response body exceeds the limit of "
                + request.maxResponseBytes()
                + " bytes",
            null);
      }
      if (decoding != null) {
        decoding.append(chunk);
      } else {
        out.write(chunk, 0, chunk.length);
      }
      return this;
    }

    RegistryResponse response(int status, Map<String, List<String>> headers) {
      if (decoding != null) {
        return new RegistryResponse(request, status, headers, EMPTY, 1, false, decoding.finish());
      }
      return new RegistryResponse(request, status, headers, out.toByteArray());
    }
  }
}
