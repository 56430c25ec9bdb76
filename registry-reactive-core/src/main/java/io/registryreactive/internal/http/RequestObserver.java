package io.registryreactive.internal.http;

import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryListener;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Tells a {@link RegistryListener} how each request ended: route kind, method, outcome, status and
 * time. The route kind comes from the URL's shape, never its repository or reference, so metric
 * tags stay bounded whatever the registry holds.
 */
public final class RequestObserver {
  private static final Logger LOG = LoggerFactory.getLogger(RequestObserver.class);

  /** Route kind of token realm requests. */
  public static final String TOKEN = "token";

  private final RegistryListener listener;

  /**
   * @param listener where to report; exceptions it throws are logged and dropped
   */
  public RequestObserver(RegistryListener listener) {
    this.listener = listener;
  }

  /**
   * @return the listener, as given
   */
  public RegistryListener listener() {
    return listener;
  }

  /**
   * @return whether anything listens: with {@link RegistryListener#NONE} a request needs no
   *     observing, not even its route kind worked out
   */
  public boolean isActive() {
    return listener != RegistryListener.NONE;
  }

  /**
   * Reports the end of a request's response.
   *
   * @param request the request as first sent
   * @param endpoint its route kind ({@link #endpointOf})
   * @param response the response, or its error
   * @param deadlineHit whether an error is the request deadline, asked when the error arrives
   * @return the same response
   */
  public Mono<RegistryResponse> observe(
      RegistryRequest request,
      String endpoint,
      Mono<RegistryResponse> response,
      BooleanSupplier deadlineHit) {
    if (listener == RegistryListener.NONE) {
      return response;
    }
    return Mono.defer(
        () -> {
          long start = System.nanoTime();
          AtomicBoolean reported = new AtomicBoolean();
          return response
              .doOnNext(
                  r ->
                      report(reported, request, endpoint, outcomeOf(r.status()), r.status(), start))
              .doOnError(
                  e ->
                      report(
                          reported,
                          request,
                          endpoint,
                          deadlineHit.getAsBoolean()
                              ? "timeout"
                              : e instanceof RegistryConnectionException ? "io_error" : "error",
                          0,
                          start))
              .doFinally(
                  signal -> {
                    if (signal == SignalType.CANCEL) {
                      report(reported, request, endpoint, "cancelled", 0, start);
                    }
                  });
        });
  }

  private void report(
      AtomicBoolean reported,
      RegistryRequest request,
      String endpoint,
      String outcome,
      int status,
      long start) {
    if (!reported.compareAndSet(false, true)) {
      return;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    safely(() -> listener.requestFinished(endpoint, request.method(), outcome, status, took));
  }

  /**
   * Runs a listener call, logging instead of propagating what it throws: metrics must never change
   * what a request returns.
   *
   * @param call the call
   */
  public static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("registry listener failed (ignored): {}", e.toString());
    }
  }

  /**
   * @param status an HTTP status
   * @return {@code success}, {@code redirection}, {@code client_error}, {@code server_error} or
   *     {@code informational}
   */
  public static String outcomeOf(int status) {
    if (status >= 500) {
      return "server_error";
    }
    if (status >= 400) {
      return "client_error";
    }
    if (status >= 300) {
      return "redirection";
    }
    return status >= 200 ? "success" : "informational";
  }

  /**
   * The route kind of a registry URL, from the last segments of its path (a repository name may
   * contain {@code manifests} or {@code blobs}, a tag or digest never holds a {@code /}).
   *
   * @param uri a request URL
   * @return {@code api_version}, {@code catalog}, {@code tags}, {@code manifest}, {@code blob},
   *     {@code blob_upload}, {@code referrers} or {@code other}
   */
  public static String endpointOf(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith("/v2")) {
      return "api_version";
    }
    if (path.endsWith("/v2/_catalog")) {
      return "catalog";
    }
    if (path.endsWith("/tags/list")) {
      return "tags";
    }
    if (path.endsWith("/blobs/uploads")) {
      return "blob_upload";
    }
    String[] segments = path.split("/");
    if (segments.length >= 2) {
      switch (segments[segments.length - 2]) {
        case "manifests":
          return "manifest";
        case "blobs":
          return "blob";
        case "referrers":
          return "referrers";
        case "uploads":
          if (segments.length >= 3 && segments[segments.length - 3].equals("blobs")) {
            return "blob_upload";
          }
          return "other";
        default:
          return "other";
      }
    }
    return "other";
  }
}
