package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The registry's v2 API as the client uses it: each method makes one endpoint (a request and the
 * reading of its response, package-private beside this class) and runs it through {@link
 * RegistryHttp#call}, ordering the steps where an operation takes more than one request. Arguments
 * are validated by the caller. Every method returns a cold publisher.
 */
public final class RegistryEndpoints {
  private final RegistryHttp http;
  private final RegistryUrls urls;
  private final long maxManifestBytes;
  private final long maxListPageBytes;

  /**
   * @param http the request pipeline
   * @param baseUrl the registry base URL; a path prefix is kept
   * @param maxManifestBytes cap on a manifest body
   * @param maxListPageBytes cap on one listing page's body
   */
  public RegistryEndpoints(
      RegistryHttp http, URI baseUrl, long maxManifestBytes, long maxListPageBytes) {
    this.http = http;
    this.urls = new RegistryUrls(baseUrl);
    this.maxManifestBytes = maxManifestBytes;
    this.maxListPageBytes = maxListPageBytes;
  }

  /**
   * Parses a {@code tags/list} body with the parser the client streams listing pages through,
   * without HTTP. The seam for {@code PageParseBenchmark} (benchmarks module), which times the
   * parse alone: public, but in a package {@code module-info} does not export, so only class-path
   * code can call it, and it is no API.
   *
   * @param body {@code {"name": ..., "tags": [...]}}
   * @return the tags
   * @throws io.registryreactive.RegistryProtocolException if the body is not a tag list
   */
  public static List<String> parseTagList(byte[] body) {
    return ListingJson.readStringArray(body, "tags", "parse tag list");
  }

  /**
   * @return completes when {@code GET /v2/} answers 200
   */
  public Mono<Void> checkApiVersion() {
    return http.call(new ApiVersionCheck(urls)).then();
  }

  /**
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of repository names
   */
  public Mono<Page<String>> catalogPage(int pageSize, Optional<String> continuation) {
    return Mono.defer(
        () -> http.call(new CatalogLister(urls, pageSize, maxListPageBytes, continuation)));
  }

  /**
   * @param repository a validated repository name
   * @param pageSize {@code n}, or 0 for the registry's default
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of tags
   */
  public Mono<Page<String>> tagsPage(
      String repository, int pageSize, Optional<String> continuation) {
    return Mono.defer(
        () -> http.call(new TagLister(urls, repository, pageSize, maxListPageBytes, continuation)));
  }

  /**
   * Metadata by {@code HEAD}, falling back to a {@code GET} hashed locally when the registry sends
   * no digest header.
   *
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @return the metadata
   */
  public Mono<ImageMetadata> resolve(String repository, String tagOrDigest) {
    return Mono.defer(
        () -> {
          ManifestResolver resolver = new ManifestResolver(urls, repository, tagOrDigest);
          return http.call(resolver)
              .flatMap(
                  found ->
                      found
                          .map(Mono::just)
                          .orElseGet(
                              () ->
                                  http.call(
                                          new ManifestPuller(
                                              urls, repository, tagOrDigest, maxManifestBytes))
                                      .map(resolver::fromBody)));
        });
  }

  /**
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag or digest
   * @return the verified, parsed manifest
   */
  public Mono<Manifest> manifest(String repository, String tagOrDigest) {
    return Mono.defer(
            () -> http.call(new ManifestPuller(urls, repository, tagOrDigest, maxManifestBytes)))
        .map(ManifestPuller.Verified::manifest);
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @param maxBytes cap on the blob size
   * @return the verified blob bytes
   */
  public Mono<byte[]> blob(String repository, String digest, long maxBytes) {
    return Mono.defer(() -> http.call(new BlobPuller(urls, repository, digest, maxBytes)));
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @return whether the repository holds the blob (200), or not (404); other answers are errors
   */
  public Mono<Boolean> blobExists(String repository, String digest) {
    return Mono.defer(() -> http.call(new BlobChecker(urls, repository, digest)));
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated subject digest
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of referrer descriptors
   */
  public Mono<Page<Descriptor>> referrersPage(
      String repository, String digest, Optional<String> continuation) {
    return Mono.defer(() -> http.call(new ReferrersLister(urls, repository, digest, continuation)));
  }

  /**
   * @param repository a validated repository name
   * @param digest a validated digest
   * @return {@code DELETED} or {@code ALREADY_ABSENT}
   */
  public Mono<DeleteResult> deleteManifest(String repository, String digest) {
    return Mono.defer(() -> http.call(new ManifestDeleter(urls, repository, digest)))
        .map(
            deletion -> {
              if (deletion.confirmedOnRetry()) {
                http.counters().deleteConfirmedOnRetry();
              }
              return deletion.result();
            });
  }

  /**
   * @param repository a validated repository name
   * @param content the blob
   * @return the blob's digest once the registry holds it
   */
  public Mono<String> pushBlob(String repository, byte[] content) {
    return new BlobPusher(http, urls).push(repository, content);
  }

  /**
   * @param repository a validated repository name
   * @param tagOrDigest a validated tag, or the manifest's own digest
   * @param manifest the manifest bytes, sent exactly as given
   * @param mediaType the manifest media type
   * @return the metadata of the stored manifest
   */
  public Mono<ImageMetadata> pushManifest(
      String repository, String tagOrDigest, byte[] manifest, String mediaType) {
    return Mono.defer(
        () -> http.call(new ManifestPusher(urls, repository, tagOrDigest, manifest, mediaType)));
  }
}
