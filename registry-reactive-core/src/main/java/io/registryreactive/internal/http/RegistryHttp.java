package io.registryreactive.internal.http;

import io.registryreactive.RegistryException;
import io.registryreactive.RegistryListener;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Authenticator;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs a registry request through authentication and redirects.
 *
 * <p>Redirects are followed here rather than by Netty so that the {@code Authorization} header is
 * only ever sent to the registry's own host: blob downloads commonly redirect to object storage,
 * which must not see registry credentials.
 */
public final class RegistryHttp {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);

  /** Redirect hops followed at most for one request. */
  public static final int MAX_REDIRECTS = 5;

  private final HttpTransport transport;
  private final Authenticator authenticator;
  private final URI registry;
  private final int registryPort;
  private final ResiliencePolicy resilience;
  private final Optional<Duration> requestDeadline;
  private final RequestObserver observer;

  /**
   * Creates the pipeline.
   *
   * @param transport sends requests
   * @param authenticator decides the Authorization header
   * @param registry the registry's base URL; only its scheme, host and port matter here
   * @param resilience waits, in-flight cap and retries around each attempt
   * @param requestDeadline a limit on one request including its retries and waits, if any
   */
  public RegistryHttp(
      HttpTransport transport,
      Authenticator authenticator,
      URI registry,
      ResiliencePolicy resilience,
      Optional<Duration> requestDeadline) {
    this(
        transport,
        authenticator,
        registry,
        resilience,
        requestDeadline,
        new RequestObserver(RegistryListener.NONE));
  }

  /**
   * Creates the pipeline, reporting each request to an observer.
   *
   * @param transport sends requests
   * @param authenticator decides the Authorization header
   * @param registry the registry's base URL; only its scheme, host and port matter here
   * @param resilience waits, in-flight cap and retries around each attempt
   * @param requestDeadline a limit on one request including its retries and waits, if any
   * @param observer hears how each request ended
   */
  public RegistryHttp(
      HttpTransport transport,
      Authenticator authenticator,
      URI registry,
      ResiliencePolicy resilience,
      Optional<Duration> requestDeadline,
      RequestObserver observer) {
    this.observer = observer;
    this.transport = transport;
    this.authenticator = authenticator;
    this.registry = registry;
    this.registryPort = port(registry);
    this.resilience = resilience;
    this.requestDeadline = requestDeadline;
  }

  /**
   * @return the counters of attempts, retries and waits
   */
  public RequestCounters counters() {
    return resilience.counters();
  }

  /**
   * Sends a request, answering auth challenges and following redirects. The returned response may
   * have any status; mapping statuses to errors is the caller's job, since only the caller knows
   * which statuses it expects (a 404 is a result for a delete, an error for a listing).
   *
   * @param request the request
   * @return the final response
   */
  public Mono<RegistryResponse> exchange(RegistryRequest request) {
    Mono<RegistryResponse> run = resilience.run(request, attempt -> sendFollowing(request, 0));
    // The route kind is worked out from the URL only when a listener will hear it.
    String endpoint = observer.isActive() ? RequestObserver.endpointOf(request.uri()) : "";
    if (requestDeadline.isEmpty()) {
      return observer.observe(request, endpoint, run, () -> false);
    }
    Duration deadline = requestDeadline.get();
    return Mono.defer(
        () -> {
          AtomicBoolean deadlineHit = new AtomicBoolean();
          return observer.observe(
              request,
              endpoint,
              run.timeout(
                  deadline,
                  Mono.error(
                      () -> {
                        deadlineHit.set(true);
                        return new RegistryException(
                            request.operation()
                                + " ("
                                + request.describe()
                                + ") did not finish within the deadline of "
                                + deadline
                                + " (retries and waits included)",
                            null,
                            false);
                      })),
              deadlineHit::get);
        });
  }

  /**
   * Sends an endpoint's request and reads the response with it: the one place where a request is
   * built, exchanged and its status checked and mapped to an error.
   *
   * @param endpoint the endpoint
   * @param <T> the result type
   * @return the endpoint's reading of the final response; its errors, or the transport's
   */
  public <T> Mono<T> call(Endpoint<T> endpoint) {
    return Mono.defer(() -> exchange(endpoint.request())).map(endpoint::read);
  }

  private Mono<RegistryResponse> sendFollowing(RegistryRequest request, int hops) {
    return sendOnce(request)
        .flatMap(
            response -> {
              if (!isRedirect(response.status())) {
                return Mono.just(response);
              }
              Optional<String> location = response.header("location");
              if (location.isEmpty()) {
                return Mono.just(response);
              }
              if (hops >= MAX_REDIRECTS) {
                return Mono.error(
                    new RegistryProtocolException(
                        request.operation()
                            + " ("
                            + request.describe()
                            + "): more than "
                            + MAX_REDIRECTS
                            + " redirects",
                        null));
              }
              URI target;
              try {
                target = response.uri().resolve(location.get().strip());
              } catch (IllegalArgumentException e) {
                return Mono.error(
                    new RegistryProtocolException(
                        request.operation()
                            + " ("
                            + request.describe()
                            + "): invalid redirect Location",
                        e));
              }
              String method =
                  response.status() == 303 && !request.method().equals("HEAD")
                      ? "GET"
                      : request.method();
              LOG.debug(
                  "{} redirected to {}://{}",
                  request.describe(),
                  target.getScheme(),
                  target.getRawAuthority());
              return sendFollowing(request.redirectedTo(method, target), hops + 1);
            });
  }

  private Mono<RegistryResponse> sendOnce(RegistryRequest request) {
    if (!isRegistryHost(request.uri())) {
      return transport.send(request, Optional.empty());
    }
    return authenticator
        .authorization(request)
        .flatMap(
            auth ->
                transport
                    .send(request, auth)
                    .flatMap(
                        response -> {
                          if (response.status() != 401) {
                            return Mono.just(response);
                          }
                          return authenticator
                              .reauthorize(request, response, auth)
                              .flatMap(
                                  retryAuth ->
                                      retryAuth.isPresent()
                                          ? transport.send(request, retryAuth)
                                          : Mono.just(response));
                        }))
        .flatMap(response -> authenticator.requireSentCredentials(request, response));
  }

  /**
   * Whether a URL is on the registry's own origin (scheme, host and port), the only place
   * credentials are sent.
   *
   * @param uri a request URL
   * @return {@code true} for the registry's origin
   */
  public boolean isRegistryHost(URI uri) {
    // Every registry request is built from the base URL, so its origin parts are usually the very
    // same strings: compared without lower-casing copies, which sameOrigin would make per request.
    return equalsIgnoreCase(uri.getScheme(), registry.getScheme())
        && equalsIgnoreCase(uri.getHost(), registry.getHost())
        && port(uri) == registryPort;
  }

  private static boolean equalsIgnoreCase(String a, String b) {
    return a == null || b == null ? lower(a).equals(lower(b)) : a.equalsIgnoreCase(b);
  }

  /**
   * Whether two URLs share an origin: scheme, host and port (a missing port is the scheme's
   * default), compared without regard to case.
   *
   * @param a a URL
   * @param b another URL
   * @return {@code true} for the same origin
   */
  public static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }
}
