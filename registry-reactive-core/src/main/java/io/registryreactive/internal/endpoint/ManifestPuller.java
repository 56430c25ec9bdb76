package io.registryreactive.internal.endpoint;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import java.util.List;

/**
 * {@code GET /v2/<name>/manifests/<reference>} with the full Accept list (without it distribution
 * 2.8 downgrades schema 2 to schema 1 and answers OCI content with 404). The digest is computed
 * from the exact body bytes; when fetched by digest the body must hash to it, and a {@code
 * Docker-Content-Digest} header that disagrees with the body is refused.
 */
final class ManifestPuller implements Endpoint<ManifestPuller.Verified> {
  private final RegistryRequest request;
  private final String tagOrDigest;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @param maxManifestBytes cap on the manifest body
   */
  ManifestPuller(RegistryUrls urls, String repository, String tagOrDigest, long maxManifestBytes) {
    this.tagOrDigest = tagOrDigest;
    String operation =
        "get manifest " + repository + (tagOrDigest.contains(":") ? "@" : ":") + tagOrDigest;
    this.request =
        RegistryRequest.of(
                "GET",
                urls.manifest(repository, tagOrDigest),
                List.of(Scope.repositoryPull(repository)),
                operation)
            .withHeader("Accept", MediaTypes.MANIFEST_ACCEPT)
            .withMaxResponseBytes(maxManifestBytes);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return the response with the digest its body was verified to have
   */
  @Override
  public Verified readExpected(RegistryResponse response) {
    byte[] body = response.body();
    String what = response.request().describe();
    if (tagOrDigest.contains(":")) {
      if (!Digests.isSupported(tagOrDigest)) {
        throw new InvalidReferenceException(
            "cannot verify digest '" + tagOrDigest + "': only sha256 and sha512 are supported");
      }
      if (!Digests.matches(tagOrDigest, body)) {
        throw new DigestMismatchException(what, tagOrDigest, Digests.sha256(body));
      }
      return new Verified(response, tagOrDigest);
    }
    String computed = Digests.sha256(body);
    // A header in an algorithm we cannot check is ignored; the body's own hash is authoritative.
    response
        .header("docker-content-digest")
        .map(String::strip)
        .filter(Digests::isSupported)
        .ifPresent(
            header -> {
              if (!Digests.matches(header, body)) {
                throw new DigestMismatchException(
                    what + " (Docker-Content-Digest header)", header, computed);
              }
            });
    return new Verified(response, computed);
  }

  /**
   * A manifest response with the digest its body was verified to have.
   *
   * @param response the response
   * @param digest the verified digest
   */
  record Verified(RegistryResponse response, String digest) {
    /**
     * @return the body parsed as the manifest type its {@code Content-Type} names
     */
    Manifest manifest() {
      return ManifestParser.parse(response.body(), response.contentType(), digest);
    }
  }
}
