package io.registryreactive.internal.endpoint;

import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Uploads a blob monolithically: {@code HEAD /v2/<name>/blobs/<digest>} (200: already there, done),
 * else {@code POST /v2/<name>/blobs/uploads/} (202 with {@code Location}) and {@code PUT
 * <location>?digest=<digest>} with the whole body (201). Needs {@code repository:<name>:pull,push}.
 * Each step is an {@link Endpoint}; this class only orders them.
 *
 * <p>The PUT is retried like any request. A 404 on a retry is checked with another {@code HEAD}:
 * the first attempt may have completed the upload before its response was lost.
 */
final class BlobPusher {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  BlobPusher(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param content the blob
   * @return the blob's digest once the registry holds it
   */
  Mono<String> push(String repository, byte[] content) {
    return Mono.defer(
        () -> {
          String digest = Digests.sha256(content);
          return http.call(new Exists(urls, repository, digest, false))
              .flatMap(
                  there ->
                      there
                          ? Mono.just(digest)
                          : http.call(new Start(urls, repository, digest))
                              .flatMap(
                                  target ->
                                      http.call(new Upload(target, repository, digest, content)))
                              .flatMap(
                                  unconfirmed ->
                                      unconfirmed.isEmpty()
                                          ? Mono.just(digest)
                                          // The digest is the content's own hash, so finding it
                                          // confirms the upload.
                                          : http.call(new Exists(urls, repository, digest, true))
                                              .flatMap(
                                                  found ->
                                                      found
                                                          ? Mono.just(digest)
                                                          : Mono.error(unconfirmed.get()))));
        });
  }

  private static String operation(String repository, String digest) {
    return "push blob " + repository + "@" + digest;
  }

  private static List<Scope> scopes(String repository) {
    return List.of(Scope.repositoryPush(repository));
  }

  /**
   * {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository holds the blob. Strict, it reads
   * 200 and 404 and maps any other status to an error; lenient (the re-check after a lost answer),
   * it reads every status and only 200 counts as found.
   */
  static final class Exists implements Endpoint<Boolean> {
    private final RegistryRequest request;
    private final boolean lenient;

    Exists(RegistryUrls urls, String repository, String digest, boolean lenient) {
      this.request =
          RegistryRequest.of(
              "HEAD",
              urls.blob(repository, digest),
              scopes(repository),
              operation(repository, digest));
      this.lenient = lenient;
    }

    @Override
    public RegistryRequest request() {
      return request;
    }

    @Override
    public boolean expects(int status) {
      return lenient || status == 200 || status == 404;
    }

    /**
     * @return whether the blob is there
     */
    @Override
    public Boolean readExpected(RegistryResponse response) {
      return response.status() == 200;
    }
  }

  /** {@code POST /v2/<name>/blobs/uploads/}: 202 with the upload's {@code Location}. */
  static final class Start implements Endpoint<URI> {
    private final RegistryRequest request;
    private final String digest;

    Start(RegistryUrls urls, String repository, String digest) {
      this.request =
          RegistryRequest.of(
              "POST", urls.uploads(repository), scopes(repository), operation(repository, digest));
      this.digest = digest;
    }

    @Override
    public RegistryRequest request() {
      return request;
    }

    @Override
    public boolean expects(int status) {
      return status == 202;
    }

    /**
     * @return the URL to {@code PUT} the blob to, with the {@code digest} parameter
     */
    @Override
    public URI readExpected(RegistryResponse response) {
      String location =
          response
              .header("Location")
              .orElseThrow(
                  () ->
                      new RegistryProtocolException(
                          request.operation()
                              + ": the registry started an upload without a Location header",
                          null));
      URI target = response.uri().resolve(location.strip());
      String sep = target.getRawQuery() == null ? "?" : "&";
      return URI.create(target + sep + "digest=" + digest);
    }
  }

  /**
   * {@code PUT <location>?digest=} with the whole blob: 201 (or 204) stored. A 404 on a retry may
   * mean an earlier attempt completed the upload (the registry then closed it, 404 {@code
   * BLOB_UPLOAD_UNKNOWN}): it is read as unconfirmed, carrying the error to signal unless a {@code
   * HEAD} finds the blob.
   */
  static final class Upload implements Endpoint<Optional<RegistryException>> {
    private final RegistryRequest request;

    Upload(URI target, String repository, String digest, byte[] content) {
      this.request =
          RegistryRequest.of("PUT", target, scopes(repository), operation(repository, digest))
              .withBody(content, "application/octet-stream");
    }

    @Override
    public RegistryRequest request() {
      return request;
    }

    @Override
    public boolean expects(int status) {
      return status == 201 || status == 204 || status == 404;
    }

    /**
     * @return empty when stored; else the error to signal if the blob turns out absent
     */
    @Override
    public Optional<RegistryException> readExpected(RegistryResponse response) {
      if (response.status() != 404) {
        return Optional.empty();
      }
      if (response.attempt() == 1) {
        throw unexpected(response);
      }
      return Optional.of(unexpected(response));
    }
  }
}
