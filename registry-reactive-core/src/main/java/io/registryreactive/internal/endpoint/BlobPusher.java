package io.registryreactive.internal.endpoint;

import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.Digests;
import java.net.URI;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Uploads a blob monolithically: {@code HEAD /v2/<name>/blobs/<digest>} (200: already there, done),
 * else {@code POST /v2/<name>/blobs/uploads/} (202 with {@code Location}) and
 * {@code PUT <location>?digest=<digest>} with the whole body (201). Needs
 * {@code repository:<name>:pull,push}.
 *
 * <p>The PUT is retried like any request. A 404 on a retry is checked with another {@code HEAD}:
 * the first attempt may have completed the upload before its response was lost.
 */
public final class BlobPusher {
  private final RegistryHttp http;
  private final RegistryUrls urls;

  /**
   * @param http the request pipeline
   * @param urls the routes
   */
  public BlobPusher(RegistryHttp http, RegistryUrls urls) {
    this.http = http;
    this.urls = urls;
  }

  /**
   * @param repository a validated repository name
   * @param content the blob
   * @return the blob's digest once the registry holds it
   */
  public Mono<String> push(String repository, byte[] content) {
    return Mono.defer(() -> {
      String digest = Digests.sha256(content);
      List<Scope> scopes = List.of(Scope.repositoryPush(repository));
      String operation = "push blob " + repository + "@" + digest;
      RegistryRequest head = RegistryRequest.of("HEAD", urls.blob(repository, digest), scopes, operation);
      return http.exchange(head).flatMap(exists -> {
        if (exists.status() == 200) {
          return Mono.just(digest);
        }
        if (exists.status() != 404) {
          return Mono.error(ResponseErrors.toException(exists, operation));
        }
        RegistryRequest start = RegistryRequest.of("POST", urls.uploads(repository), scopes, operation);
        return http.exchange(start).flatMap(started -> {
          if (started.status() != 202) {
            return Mono.error(ResponseErrors.toException(started, operation));
          }
          String location = started.header("Location").orElseThrow(() -> new RegistryProtocolException(
              operation + ": the registry started an upload without a Location header", null));
          URI target = started.uri().resolve(location.strip());
          String sep = target.getRawQuery() == null ? "?" : "&";
          URI put = URI.create(target + sep + "digest=" + digest);
          RegistryRequest upload = RegistryRequest.of("PUT", put, scopes, operation)
              .withBody(content, "application/octet-stream");
          return http.exchange(upload).flatMap(done -> {
            if (done.status() == 201 || done.status() == 204) {
              return Mono.just(digest);
            }
            if (done.status() == 404 && done.attempt() > 1) {
              // An earlier attempt's answer was lost. If it was applied, the registry closed the upload
              // (404 BLOB_UPLOAD_UNKNOWN) and holds the blob; the digest is the content's own hash, so
              // finding it in the repository confirms the upload.
              return http.exchange(head).flatMap(check -> check.status() == 200
                  ? Mono.just(digest)
                  : Mono.error(ResponseErrors.toException(done, operation)));
            }
            return Mono.error(ResponseErrors.toException(done, operation));
          });
        });
      });
    });
  }
}
