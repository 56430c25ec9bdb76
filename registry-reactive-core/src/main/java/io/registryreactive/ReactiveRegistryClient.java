package io.registryreactive;

import io.registryreactive.internal.auth.Authenticator;
import io.registryreactive.internal.auth.PlainHttp;
import io.registryreactive.internal.auth.Redactor;
import io.registryreactive.internal.auth.ResolvedCredentials;
import io.registryreactive.internal.auth.TokenService;
import io.registryreactive.internal.endpoint.RegistryEndpoints;
import io.registryreactive.internal.http.HttpTransport;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RequestCounters;
import io.registryreactive.internal.http.RequestObserver;
import io.registryreactive.internal.http.ResiliencePolicy;
import io.registryreactive.internal.http.TlsSettings;
import io.registryreactive.internal.http.TransportOptions;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.ImageReference;
import io.registryreactive.model.Manifest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A non-blocking client for one registry speaking the Docker Registry HTTP API v2 / OCI
 * Distribution API.
 *
 * <p>Immutable and thread-safe: build one per registry with {@link #builder()} and share it. It
 * owns a connection pool; {@link #close()} releases it. Every method returns a cold publisher:
 * nothing is sent until subscription, every subscription sends afresh, and invalid arguments are
 * signalled as errors ({@link InvalidReferenceException}, {@link NullPointerException}) before any
 * request.
 *
 * <pre>{@code
 * try (ReactiveRegistryClient client = ReactiveRegistryClient.builder()
 *     .baseUrl("https://registry.example.com")
 *     .credentials(RegistryCredentials.basic("ci", System.getenv("REGISTRY_PASSWORD")))
 *     .build()) {
 *   client.tags("team/app").filter(t -> t.startsWith("pr-")).subscribe(System.out::println);
 * }
 * }</pre>
 */
public final class ReactiveRegistryClient implements AutoCloseable {

  /** Default TCP connect timeout: 10 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default time to wait for response headers and between body reads: 60 seconds. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Default cap on requests in flight, client-wide: 16. Fan-out above it (a {@code flatMap} with
   * higher concurrency) queues instead of opening more connections.
   */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;

  /** Default cap on a manifest body: 8 MiB. */
  public static final long DEFAULT_MAX_MANIFEST_BYTES = 8L * 1024 * 1024;

  /**
   * Default cap on one listing page: 64 MiB of JSON, some three million tags (distribution returns
   * all tags of a repository in one page). Pages are parsed while they arrive and only the names
   * are held, about 60 bytes each.
   */
  public static final long DEFAULT_MAX_LIST_PAGE_BYTES = 64L * 1024 * 1024;

  /**
   * Default cap on the pages of one listing: 100,000. A registry whose {@code Link} headers never
   * end (each page naming a new next page) would otherwise be listed forever.
   */
  public static final int DEFAULT_MAX_LISTING_PAGES = 100_000;

  /** Default cap on a blob read into memory (image configs): 16 MiB. */
  public static final long DEFAULT_MAX_BLOB_BYTES = 16L * 1024 * 1024;

  /** Default {@code User-Agent}. */
  public static final String DEFAULT_USER_AGENT = "registry-reactive/0.1";

  /** Its own logger, so that a program printing its own warning (the CLI) can silence this one. */
  private static final Logger PLAIN_HTTP_LOG =
      LoggerFactory.getLogger(ReactiveRegistryClient.class.getName() + ".plainHttp");

  private final URI baseUrl;
  private final AtomicBoolean plainHttpWarned = new AtomicBoolean();
  private final HttpTransport transport;
  private final ResiliencePolicy resilience;
  private final RegistryEndpoints endpoints;
  private final int maxListingPages;
  private final RegistryListener listener;

  private ReactiveRegistryClient(Builder b) {
    this.baseUrl = b.baseUrl;
    // The in-flight cap queues requests before they reach the pool, so the pool needs one
    // connection per permit (plus token requests, which run while a permit is held) and a short
    // queue.
    this.transport =
        new HttpTransport(
            new TransportOptions(
                b.maxConcurrentRequests + 2,
                1024,
                b.responseTimeout.plus(b.connectTimeout),
                b.connectTimeout,
                b.responseTimeout,
                b.userAgent,
                b.insecureTls,
                new TlsSettings(
                    Optional.ofNullable(b.trustedCertificates),
                    Optional.ofNullable(b.clientCertificate),
                    Optional.ofNullable(b.clientKey)),
                b.proxy.settingsFor(baseUrl),
                b.connectionMetrics));
    this.listener = b.listener;
    RequestObserver observer = new RequestObserver(b.listener);
    AtomicReference<String> missingCredentials = new AtomicReference<>("no credentials configured");
    Mono<Optional<ResolvedCredentials>> creds =
        b.credentials
            .resolve(hostPort(baseUrl), missingCredentials::set)
            .doOnNext(c -> c.ifPresent(present -> warnIfPlainHttp()))
            .cache();
    if (b.credentials.isExplicit()) {
      warnIfPlainHttp();
    }
    TokenService tokens =
        new TokenService(transport, baseUrl, b.clock, b.oauth2PasswordGrant, observer);
    this.resilience =
        new ResiliencePolicy(
            b.retryOptions,
            b.rateLimitOptions,
            b.maxConcurrentRequests,
            b.clock,
            new RequestCounters(b.listener));
    RegistryHttp http =
        new RegistryHttp(
            transport,
            new Authenticator(creds, tokens, missingCredentials::get),
            baseUrl,
            resilience,
            Optional.ofNullable(b.requestDeadline),
            observer);
    this.endpoints = new RegistryEndpoints(http, baseUrl, b.maxManifestBytes, b.maxListPageBytes);
    this.maxListingPages = b.maxListingPages;
  }

  /**
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The listener given to the builder; {@link io.registryreactive.prune.Pruner} reports its plan
   * and deletions to it too.
   *
   * @return the listener, {@link RegistryListener#NONE} by default
   */
  public RegistryListener listener() {
    return listener;
  }

  /**
   * @return the registry base URL this client talks to
   */
  public URI baseUrl() {
    return baseUrl;
  }

  /**
   * @return {@code host[:port]} of the registry, as references name it
   */
  public String registryHost() {
    return hostPort(baseUrl);
  }

  /**
   * Checks that the registry speaks the v2 API and accepts the credentials ({@code GET /v2/}).
   *
   * @return completes empty on success; errors with {@link AuthenticationException} when the
   *     credentials are refused, {@link RegistryProtocolException} when the URL serves no v2 API
   */
  public Mono<Void> checkAuth() {
    return endpoints.checkApiVersion();
  }

  /**
   * All repositories, with the registry's default page size.
   *
   * @return a lazy listing (needs {@code registry:catalog:*} on token-auth registries)
   */
  public PagedFlux<String> catalog() {
    return catalog(0);
  }

  /**
   * All repositories, asking for pages of {@code pageSize}.
   *
   * @param pageSize the {@code n} parameter, 1 to 10000 (distribution accepts at most 1000); 0 for
   *     the registry's default
   * @return a lazy listing
   * @throws IllegalArgumentException (signalled) if the page size is out of range
   */
  public PagedFlux<String> catalog(int pageSize) {
    return new PagedFlux<>(
        token -> checkPageSize(pageSize).then(endpoints.catalogPage(pageSize, token)),
        maxListingPages);
  }

  /**
   * All tags of a repository, with the registry's default page size.
   *
   * @param repository the repository name, without registry host
   * @return a lazy listing; errors with {@link NotFoundException} for an unknown repository
   */
  public PagedFlux<String> tags(String repository) {
    return tags(repository, 0);
  }

  /**
   * All tags of a repository, asking for pages of {@code pageSize}.
   *
   * @param repository the repository name, without registry host
   * @param pageSize the {@code n} parameter, 1 to 10000; 0 for the registry's default
   * @return a lazy listing; a repository whose tags were all deleted yields no tags
   * @throws InvalidReferenceException (signalled) for a malformed repository name
   */
  public PagedFlux<String> tags(String repository, int pageSize) {
    return new PagedFlux<>(
        token ->
            checkPageSize(pageSize)
                .then(
                    Mono.defer(
                        () -> {
                          String repo =
                              ImageReference.requireValidRepository(
                                  requireArg(repository, "repository"));
                          return endpoints.tagsPage(repo, pageSize, token);
                        })),
        maxListingPages);
  }

  /**
   * Digest, media type and size of an image, with a {@code HEAD} request.
   *
   * @param reference {@code repository[:tag]} or {@code repository@digest}; a registry host, if
   *     given, must be this client's
   * @return the metadata; errors with {@link NotFoundException} for an unknown image
   * @throws InvalidReferenceException (signalled) for a malformed reference
   */
  public Mono<ImageMetadata> metadata(String reference) {
    // One deferral for the whole look-up: this is the hottest call of a prune plan.
    return Mono.defer(
        () -> {
          ImageReference ref = checkRegistry(parse(reference));
          return endpoints.resolve(ref.repository(), ref.tagOrDigest());
        });
  }

  /**
   * Digest, media type and size of an image, with a {@code HEAD} request.
   *
   * @param reference the image
   * @return the metadata
   */
  public Mono<ImageMetadata> metadata(ImageReference reference) {
    return Mono.defer(
        () -> {
          ImageReference ref = checkRegistry(requireArg(reference, "reference"));
          return endpoints.resolve(ref.repository(), ref.tagOrDigest());
        });
  }

  /**
   * Fetches and parses a manifest: Docker v2 manifest or manifest list, OCI manifest or index.
   *
   * @param reference {@code repository[:tag]} or {@code repository@digest}
   * @return the manifest, verified against its digest
   * @throws InvalidReferenceException (signalled) for a malformed reference
   */
  public Mono<Manifest> manifest(String reference) {
    return Mono.defer(() -> manifest(parse(reference)));
  }

  /**
   * Fetches and parses a manifest.
   *
   * @param reference the image
   * @return the manifest, verified against its digest
   */
  public Mono<Manifest> manifest(ImageReference reference) {
    return Mono.defer(
        () -> {
          ImageReference ref = checkRegistry(requireArg(reference, "reference"));
          return endpoints.manifest(ref.repository(), ref.tagOrDigest());
        });
  }

  /**
   * Reads a small blob (an image config) into memory, following redirects to storage without the
   * registry's credentials.
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return the blob bytes, verified against the digest; at most {@link #DEFAULT_MAX_BLOB_BYTES}
   */
  public Mono<byte[]> blob(String repository, String digest) {
    return Mono.defer(
        () ->
            endpoints.blob(
                ImageReference.requireValidRepository(requireArg(repository, "repository")),
                ImageReference.requireValidDigest(requireArg(digest, "digest")),
                DEFAULT_MAX_BLOB_BYTES));
  }

  /**
   * Whether a repository holds a blob, with a {@code HEAD} request (nothing is downloaded).
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return {@code true} on 200, {@code false} on 404 (never pushed there, or removed by garbage
   *     collection); any other answer is an error
   * @throws InvalidReferenceException (signalled) for a malformed repository or digest
   */
  public Mono<Boolean> blobExists(String repository, String digest) {
    return Mono.defer(
        () ->
            endpoints.blobExists(
                ImageReference.requireValidRepository(requireArg(repository, "repository")),
                ImageReference.requireValidDigest(requireArg(digest, "digest"))));
  }

  /**
   * The manifests that name a digest as their subject (signatures, attestations, SBOMs), from the
   * OCI 1.1 referrers API. Registries without it (distribution 2.8) fail with {@link
   * NotFoundException}; their artifacts are found by the {@code sha256-<hex>} tag scheme instead.
   *
   * @param repository the repository
   * @param digest the subject digest
   * @return a lazy listing of referrer descriptors
   */
  public PagedFlux<Descriptor> referrers(String repository, String digest) {
    return new PagedFlux<>(
        token ->
            Mono.defer(
                () ->
                    endpoints.referrersPage(
                        ImageReference.requireValidRepository(requireArg(repository, "repository")),
                        ImageReference.requireValidDigest(requireArg(digest, "digest")),
                        token)),
        maxListingPages);
  }

  /**
   * Deletes the manifest an earlier {@link #metadata} call resolved. Deleting a digest removes
   * every tag that points at it.
   *
   * @param metadata the image, by its digest
   * @return {@code DELETED}, or {@code ALREADY_ABSENT} when the registry no longer had it; errors
   *     with {@link DeletionDisabledException} when the registry refuses deletes
   */
  public Mono<DeleteResult> delete(ImageMetadata metadata) {
    return Mono.defer(
        () -> deleteManifest(requireArg(metadata, "metadata").repository(), metadata.digest()));
  }

  /**
   * Deletes a manifest by digest. Deleting a digest removes every tag that points at it.
   *
   * @param repository the repository
   * @param digest the manifest digest (a tag is refused: resolve it with {@link #metadata} first)
   * @return {@code DELETED} or {@code ALREADY_ABSENT}
   * @throws InvalidReferenceException (signalled) for a malformed repository or a tag in place of a
   *     digest
   */
  public Mono<DeleteResult> deleteManifest(String repository, String digest) {
    return Mono.defer(
        () -> {
          String repo = ImageReference.requireValidRepository(requireArg(repository, "repository"));
          String d = requireArg(digest, "digest");
          if (!d.contains(":")) {
            throw new InvalidReferenceException(
                "deleteManifest needs a digest, not the tag '"
                    + d
                    + "'; resolve the tag with metadata() and delete its digest (which removes every tag on it)");
          }
          return endpoints.deleteManifest(repo, ImageReference.requireValidDigest(d));
        });
  }

  /**
   * The original client's call: deletes every tag in the registry that is not on the whitelist.
   * Decisions are per digest, so a non-whitelisted tag that shares its digest with a whitelisted
   * one survives, and children of kept indexes are kept; see {@link
   * io.registryreactive.prune.Pruner} for plans, retention rules and progress events.
   *
   * @param whitelist entries {@code repo:tag}, {@code repo@digest} or {@code repo}, optionally
   *     prefixed with this registry's host; an empty whitelist deletes every tag
   * @return the report; a malformed entry fails with {@link InvalidReferenceException} before any
   *     request, and an entry the registry does not have (a typo) with {@code PlanRefusedException}
   *     before any {@code DELETE}
   */
  public Mono<io.registryreactive.prune.PruneReport> deleteNonWhitelistedTags(
      java.util.Collection<String> whitelist) {
    // The pruning code sees only PruneTarget, so it does not depend back on this class.
    return io.registryreactive.internal.prune.PruneSession.of(new PruneView())
        .deleteNonWhitelistedTags(whitelist);
  }

  /** This client seen through the calls pruning makes. */
  private final class PruneView implements io.registryreactive.internal.prune.PruneTarget {
    @Override
    public String registryHost() {
      return ReactiveRegistryClient.this.registryHost();
    }

    @Override
    public String baseUrl() {
      return ReactiveRegistryClient.this.baseUrl().toString();
    }

    @Override
    public reactor.core.publisher.Flux<String> catalog() {
      return ReactiveRegistryClient.this.catalog();
    }

    @Override
    public reactor.core.publisher.Flux<String> tags(String repository) {
      return ReactiveRegistryClient.this.tags(repository);
    }

    @Override
    public Mono<ImageMetadata> metadata(String repository, String tagOrDigest) {
      return ReactiveRegistryClient.this.metadata(ImageReference.of(repository, tagOrDigest));
    }

    @Override
    public Mono<Manifest> manifest(String repository, String tagOrDigest) {
      return ReactiveRegistryClient.this.manifest(ImageReference.of(repository, tagOrDigest));
    }

    @Override
    public Mono<byte[]> blob(String repository, String digest) {
      return ReactiveRegistryClient.this.blob(repository, digest);
    }

    @Override
    public reactor.core.publisher.Flux<Descriptor> referrers(String repository, String digest) {
      return ReactiveRegistryClient.this.referrers(repository, digest);
    }

    @Override
    public Mono<DeleteResult> deleteManifest(String repository, String digest) {
      return ReactiveRegistryClient.this.deleteManifest(repository, digest);
    }

    @Override
    public ClientMetrics metrics() {
      return ReactiveRegistryClient.this.metrics();
    }
  }

  /**
   * Uploads a blob (layer or config) unless the repository already has it.
   *
   * @param repository the repository
   * @param content the blob bytes
   * @return the blob digest
   */
  public Mono<String> pushBlob(String repository, byte[] content) {
    return Mono.defer(
        () ->
            endpoints.pushBlob(
                ImageReference.requireValidRepository(requireArg(repository, "repository")),
                requireArg(content, "content")));
  }

  /**
   * Uploads a manifest under a tag. Its blobs (and, for an index, its child manifests) must be
   * pushed first.
   *
   * @param repository the repository
   * @param tag the tag to set
   * @param manifest the manifest bytes, stored exactly as given
   * @param mediaType the manifest media type (see {@link io.registryreactive.model.MediaTypes})
   * @return the stored manifest's metadata, including its digest
   */
  public Mono<ImageMetadata> pushManifest(
      String repository, String tag, byte[] manifest, String mediaType) {
    return Mono.defer(
        () -> {
          String t = requireArg(tag, "tag");
          return endpoints.pushManifest(
              ImageReference.requireValidRepository(requireArg(repository, "repository")),
              t.contains(":")
                  ? ImageReference.requireValidDigest(t)
                  : ImageReference.requireValidTag(t),
              requireArg(manifest, "manifest"),
              requireArg(mediaType, "mediaType"));
        });
  }

  /**
   * What this client has done so far: attempts, retries by reason, 429s, waits.
   *
   * @return a snapshot of the counters
   */
  public ClientMetrics metrics() {
    return resilience.counters().snapshot();
  }

  /**
   * Releases the connection pool. Requests in flight fail; the client must not be used afterwards.
   */
  @Override
  public void close() {
    resilience.close().then(transport.close()).subscribe();
  }

  @Override
  public String toString() {
    return "ReactiveRegistryClient[" + baseUrl + "]";
  }

  private ImageReference parse(@Nullable String reference) {
    return ImageReference.parse(requireArg(reference, "reference"));
  }

  private ImageReference checkRegistry(ImageReference ref) {
    Optional<String> host = ref.registry();
    if (host.isPresent() && !host.get().equalsIgnoreCase(registryHost())) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' names registry '"
              + host.get()
              + "' but this client talks to '"
              + registryHost()
              + "'");
    }
    return ref;
  }

  private static Mono<Void> checkPageSize(int pageSize) {
    return pageSize < 0 || pageSize > 10_000
        ? Mono.error(
            new IllegalArgumentException(
                "'pageSize' must be 0 (registry default) or 1 to 10000, was " + pageSize))
        : Mono.empty();
  }

  private static <T> T requireArg(@Nullable T value, String name) {
    return Objects.requireNonNull(value, () -> "'" + name + "' must not be null");
  }

  /**
   * Once per client: credentials in clear text to another machine deserve a word, not a refusal.
   */
  private void warnIfPlainHttp() {
    if (PlainHttp.exposesCredentials(baseUrl) && plainHttpWarned.compareAndSet(false, true)) {
      PLAIN_HTTP_LOG.warn(PlainHttp.warning(baseUrl));
    }
  }

  private static String hostPort(URI uri) {
    String host = Objects.requireNonNull(uri.getHost(), "host").toLowerCase(Locale.ROOT);
    return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
  }

  /**
   * Configures a {@link ReactiveRegistryClient}. Not thread-safe; every setter returns this
   * builder. Only {@link #baseUrl(String)} is required.
   */
  public static final class Builder {
    private static final String USERINFO_REFUSED =
        "'baseUrl' must not carry credentials (user info before '@'); "
            + "give them with credentials(RegistryCredentials.basic(...)), or in the CLI with --username and --password-stdin";
    private @Nullable URI baseUrl;
    private RegistryCredentials credentials = RegistryCredentials.anonymous();
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private RetryOptions retryOptions = RetryOptions.defaults();
    private RateLimitOptions rateLimitOptions = RateLimitOptions.defaults();
    private @Nullable Duration requestDeadline;
    private long maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
    private long maxListPageBytes = DEFAULT_MAX_LIST_PAGE_BYTES;
    private int maxListingPages = DEFAULT_MAX_LISTING_PAGES;
    private String userAgent = DEFAULT_USER_AGENT;
    private boolean insecureTls;
    private @Nullable Path trustedCertificates;
    private @Nullable Path clientCertificate;
    private @Nullable Path clientKey;
    private ProxyOptions proxy = ProxyOptions.none();
    private boolean oauth2PasswordGrant;
    private Clock clock = Clock.systemUTC();
    private RegistryListener listener = RegistryListener.NONE;
    private boolean connectionMetrics;

    private Builder() {}

    /**
     * Who hears each finished request, retry, 429 and wait, and the plans and deletions of a {@link
     * io.registryreactive.prune.Pruner} made from this client; default {@link
     * RegistryListener#NONE}. For Micrometer: {@code listener(RegistryMetrics.of(meterRegistry))}
     * from {@code io.registryreactive.micrometer}.
     *
     * @param listener the listener; must be thread-safe and must not block
     * @return this builder
     */
    public Builder listener(RegistryListener listener) {
      this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
      return this;
    }

    /**
     * Records Reactor Netty's own Micrometer meters ({@code reactor.netty.connection.provider.*},
     * {@code reactor.netty.http.client.*}) in Micrometer's global registry ({@code
     * Metrics.globalRegistry}; Spring Boot adds its registry there by default). Their {@code uri}
     * tag is the route kind ({@code manifest}, {@code tags}, ...), never the path. Default {@code
     * false}. Needs {@code io.micrometer:micrometer-core} at run time.
     *
     * @param enabled whether to record them
     * @return this builder
     */
    public Builder connectionMetrics(boolean enabled) {
      this.connectionMetrics = enabled;
      return this;
    }

    /**
     * The registry, as {@code http(s)://host[:port][/path-prefix]}, or {@code
     * host[:port][/path-prefix]} which means https (as for {@code docker}); plain http must be
     * asked for with {@code http://}. Required.
     *
     * @param baseUrl the URL
     * @return this builder
     * @throws IllegalArgumentException if it is not an http(s) URL with a host, or carries user
     *     info (the message does not repeat it), a query or a fragment
     */
    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "'baseUrl' must not be null");
      String s = baseUrl.strip();
      int schemeEnd = s.indexOf("://");
      String afterScheme = schemeEnd >= 0 ? s.substring(schemeEnd + 3) : s;
      int authorityEnd = afterScheme.indexOf('/');
      String authority = authorityEnd >= 0 ? afterScheme.substring(0, authorityEnd) : afterScheme;
      if (authority.indexOf('@') >= 0) {
        // Checked before parsing, so that no parser message can quote the password.
        throw new IllegalArgumentException(USERINFO_REFUSED);
      }
      if (schemeEnd < 0 && !s.isEmpty()) {
        s = "https://" + s;
      }
      URI uri;
      try {
        uri = URI.create(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "'baseUrl' is not a URL: " + Redactor.redact(e.getMessage()), e);
      }
      return baseUrl(uri);
    }

    /**
     * The registry base URL. Required.
     *
     * @param baseUrl the URL
     * @return this builder
     * @throws IllegalArgumentException as for {@link #baseUrl(String)}
     */
    public Builder baseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "'baseUrl' must not be null");
      String raw =
          baseUrl.getRawAuthority() != null
              ? baseUrl.getRawAuthority()
              : baseUrl.getRawSchemeSpecificPart();
      if (baseUrl.getRawUserInfo() != null || (raw != null && raw.indexOf('@') >= 0)) {
        throw new IllegalArgumentException(USERINFO_REFUSED);
      }
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException(
            "'baseUrl' must start with http:// or https://, was: " + baseUrl);
      }
      if (baseUrl.getHost() == null) {
        throw new IllegalArgumentException("'baseUrl' has no host: " + baseUrl);
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "'baseUrl' must not have a query or fragment: " + baseUrl);
      }
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * Credentials; default {@link RegistryCredentials#anonymous()}.
     *
     * @param credentials the credentials
     * @return this builder
     */
    public Builder credentials(RegistryCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "'credentials' must not be null");
      return this;
    }

    /**
     * TCP connect timeout; default {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Time allowed for response headers after the request is sent, and between body reads; default
     * {@link #DEFAULT_RESPONSE_TIMEOUT}.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive(timeout, "responseTimeout");
      return this;
    }

    /**
     * Requests in flight at most, client-wide; more wait in a queue (without a thread) and the
     * connection pool is sized to match. Default {@link #DEFAULT_MAX_CONCURRENT_REQUESTS}.
     *
     * @param max 1 to 1024
     * @return this builder
     */
    public Builder maxConcurrentRequests(int max) {
      if (max < 1 || max > 1024) {
        throw new IllegalArgumentException("'maxConcurrentRequests' must be 1 to 1024, was " + max);
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /**
     * Retry policy; default {@link RetryOptions#defaults()}. {@link RetryOptions#disabled()} turns
     * retries off.
     *
     * @param options the policy
     * @return this builder
     */
    public Builder retry(RetryOptions options) {
      this.retryOptions = Objects.requireNonNull(options, "'options' must not be null");
      return this;
    }

    /**
     * Rate limiting; default {@link RateLimitOptions#defaults()}: no fixed cap, and a 429 pauses
     * the whole client.
     *
     * @param options the options
     * @return this builder
     */
    public Builder rateLimit(RateLimitOptions options) {
      this.rateLimitOptions = Objects.requireNonNull(options, "'options' must not be null");
      return this;
    }

    /**
     * A limit on one request including its retries and waits; default none (each attempt is still
     * bounded by the connect and response timeouts). A request over the limit fails with a
     * non-retryable {@link RegistryException}.
     *
     * @param deadline a positive duration
     * @return this builder
     */
    public Builder requestDeadline(Duration deadline) {
      this.requestDeadline = positive(deadline, "requestDeadline");
      return this;
    }

    /**
     * Largest manifest accepted; default {@link #DEFAULT_MAX_MANIFEST_BYTES}.
     *
     * @param max bytes, at least 1024
     * @return this builder
     */
    public Builder maxManifestBytes(long max) {
      if (max < 1024) {
        throw new IllegalArgumentException("'maxManifestBytes' must be at least 1024, was " + max);
      }
      this.maxManifestBytes = max;
      return this;
    }

    /**
     * Largest listing page accepted; default {@link #DEFAULT_MAX_LIST_PAGE_BYTES}.
     *
     * @param max bytes, at least 1024
     * @return this builder
     */
    public Builder maxListPageBytes(long max) {
      if (max < 1024) {
        throw new IllegalArgumentException("'maxListPageBytes' must be at least 1024, was " + max);
      }
      this.maxListPageBytes = max;
      return this;
    }

    /**
     * Pages one listing ({@link #catalog}, {@link #tags}, {@link #referrers}) follows at most;
     * default {@link #DEFAULT_MAX_LISTING_PAGES}. A listing whose page number {@code max} still
     * names a next page fails with {@link RegistryProtocolException} after that page's items.
     *
     * @param max 1 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is less than 1
     */
    public Builder maxListingPages(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("'maxListingPages' must be at least 1, was " + max);
      }
      this.maxListingPages = max;
      return this;
    }

    /**
     * {@code User-Agent} header; default {@link #DEFAULT_USER_AGENT}.
     *
     * @param userAgent the value
     * @return this builder
     */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "'userAgent' must not be null");
      return this;
    }

    /**
     * Trust any TLS certificate. For test registries with self-signed certificates only; default
     * off.
     *
     * @param insecure whether to skip certificate verification
     * @return this builder
     */
    public Builder insecureTls(boolean insecure) {
      this.insecureTls = insecure;
      return this;
    }

    /**
     * Trust the CA certificates in a PEM file, in addition to the JDK's trusted CAs: for registries
     * whose certificate a private CA signed. Default none. The file is read when the client is
     * built.
     *
     * @param pemFile one or more {@code -----BEGIN CERTIFICATE-----} blocks (DER works too)
     * @return this builder
     * @throws NullPointerException if {@code pemFile} is null
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "'pemFile' must not be null");
      return this;
    }

    /**
     * Present this client certificate to registries that ask for one (mutual TLS). Default none.
     * The files are read when the client is built.
     *
     * @param certificatePem the certificate, optionally followed by its intermediate CAs, PEM
     * @param privateKeyPem its private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE
     *     KEY-----}; RSA, EC or EdDSA). A PKCS#1 {@code BEGIN RSA PRIVATE KEY} or encrypted key is
     *     refused; convert it with {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8}
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public Builder clientCertificate(Path certificatePem, Path privateKeyPem) {
      this.clientCertificate =
          Objects.requireNonNull(certificatePem, "'certificatePem' must not be null");
      this.clientKey = Objects.requireNonNull(privateKeyPem, "'privateKeyPem' must not be null");
      return this;
    }

    /**
     * The HTTP proxy; default {@link ProxyOptions#none()}. {@link ProxyOptions#fromEnvironment()}
     * honours {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY}. The proxy is chosen by
     * the registry's scheme; {@code NO_PROXY} is checked for every host the client connects to
     * (registry, token realm, redirect targets).
     *
     * @param options the proxy
     * @return this builder
     */
    public Builder proxy(ProxyOptions options) {
      this.proxy = Objects.requireNonNull(options, "'options' must not be null");
      return this;
    }

    /**
     * Fetch tokens with the OAuth2 password grant ({@code POST}, falling back to {@code GET} when
     * the token service answers 404) instead of the classic {@code GET}; default off. Identity
     * tokens always use the OAuth2 refresh-token grant.
     *
     * @param enabled whether to use the password grant
     * @return this builder
     */
    public Builder oauth2PasswordGrant(boolean enabled) {
      this.oauth2PasswordGrant = enabled;
      return this;
    }

    /**
     * The clock that decides token expiry; default the system UTC clock. For tests.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "'clock' must not be null");
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     * @throws IllegalStateException if no base URL was set
     * @throws IllegalArgumentException if a certificate or key file cannot be read or is not in the
     *     documented format (the message names the file, never its content)
     */
    public ReactiveRegistryClient build() {
      if (baseUrl == null) {
        throw new IllegalStateException(
            "baseUrl is required: builder().baseUrl(\"https://registry.example.com\")");
      }
      return new ReactiveRegistryClient(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, () -> "'" + name + "' must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("'" + name + "' must be positive, was " + d);
      }
      return d;
    }
  }
}
