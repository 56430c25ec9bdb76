package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/<name>/manifests/<reference>} with the full Accept list (without it distribution
 * 2.8 downgrades schema 2 to schema 1 and answers OCI content with 404). The digest is computed from
 * the exact body bytes; when fetched by digest the body must hash to it, and a
 * {@code Docker-Content-Digest} header that disagrees with the body is refused.
 */
public final class ManifestPuller {
  private final RegistryHttp http;
  private final RegistryUrls urls;
  private final long maxManifestBytes;

  /**
   * @param http the request pipeline
   * @param urls the routes
   * @param maxManifestBytes cap on the manifest body
   */
  public ManifestPuller(RegistryHttp http, RegistryUrls urls, long maxManifestBytes) {
    this.http = http;
    this.urls = urls;
    this.maxManifestBytes = maxManifestBytes;
  }

  /**
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @return the verified, parsed manifest
   */
  public Mono<Manifest> pull(String repository, String tagOrDigest) {
    return fetch(repository, tagOrDigest).map(v -> ManifestParser.parse(v.response().body(),
        v.response().contentType(), v.digest()));
  }

  /**
   * The raw response and its verified digest, for callers that only need the digest.
   *
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @return the response with its digest
   */
  Mono<Verified> fetch(String repository, String tagOrDigest) {
    return Mono.defer(() -> {
      String operation = "get manifest " + repository + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
      RegistryRequest request = RegistryRequest.of("GET", urls.manifest(repository, tagOrDigest),
              List.of(Scope.repositoryPull(repository)), operation)
          .withHeader("Accept", MediaTypes.MANIFEST_ACCEPT)
          .withMaxResponseBytes(maxManifestBytes);
      return http.exchange(request).map(response -> {
        if (response.status() != 200) {
          throw ResponseErrors.toException(response, operation);
        }
        return new Verified(response, verifiedDigest(response, tagOrDigest));
      });
    });
  }

  private static String verifiedDigest(RegistryResponse response, String tagOrDigest) {
    byte[] body = response.body();
    String what = response.request().describe();
    if (tagOrDigest.contains(":")) {
      if (!Digests.isSupported(tagOrDigest)) {
        throw new InvalidReferenceException("cannot verify digest '" + tagOrDigest
            + "': only sha256 and sha512 are supported");
      }
      if (!Digests.matches(tagOrDigest, body)) {
        throw new DigestMismatchException(what, tagOrDigest, Digests.sha256(body));
      }
      return tagOrDigest;
    }
    String computed = Digests.sha256(body);
    // A header in an algorithm we cannot check is ignored; the body's own hash is authoritative.
    response.header("Docker-Content-Digest").map(String::strip).filter(Digests::isSupported).ifPresent(header -> {
      if (!Digests.matches(header, body)) {
        throw new DigestMismatchException(what + " (Docker-Content-Digest header)", header, computed);
      }
    });
    return computed;
  }

  /** A manifest response with the digest its body was verified to have. */
  record Verified(RegistryResponse response, String digest) {}
}
