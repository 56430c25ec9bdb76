package io.registryreactive.internal.prune;

import io.registryreactive.ClientMetrics;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The registry calls pruning needs, and nothing else. Planning and execution work against this
 * instead of the client class, so that the client can run a prune ({@code
 * deleteNonWhitelistedTags}) without the pruning code depending back on the client. Arguments are
 * already validated names, tags and digests of the target registry.
 */
public interface PruneTarget {

  /**
   * @return the registry's {@code host[:port]}
   */
  String registryHost();

  /**
   * @return the registry's base URL, without credentials
   */
  String baseUrl();

  /**
   * @return every repository, lazily
   */
  Flux<String> catalog();

  /**
   * @param repository a repository
   * @return its tags, lazily; {@code NotFoundException} for an unknown repository
   */
  Flux<String> tags(String repository);

  /**
   * {@code HEAD} of a manifest.
   *
   * @param repository a repository
   * @param tagOrDigest a tag or a digest
   * @return digest, media type and size
   */
  Mono<ImageMetadata> metadata(String repository, String tagOrDigest);

  /**
   * {@code GET} of a manifest, its digest the sha256 of the served bytes.
   *
   * @param repository a repository
   * @param tagOrDigest a tag or a digest
   * @return the verified manifest
   */
  Mono<Manifest> manifest(String repository, String tagOrDigest);

  /**
   * @param repository a repository
   * @param digest a blob digest
   * @return the blob's bytes, verified
   */
  Mono<byte[]> blob(String repository, String digest);

  /**
   * @param repository a repository
   * @param digest a subject digest
   * @return the referrers; {@code NotFoundException} where the registry has no referrers API
   */
  Flux<Descriptor> referrers(String repository, String digest);

  /**
   * @param repository a repository
   * @param digest a manifest digest
   * @return deleted or already absent
   */
  Mono<DeleteResult> deleteManifest(String repository, String digest);

  /**
   * @return the client's request counters now
   */
  ClientMetrics metrics();
}
