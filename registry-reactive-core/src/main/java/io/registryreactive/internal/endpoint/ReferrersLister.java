package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/referrers/<digest>} (OCI Distribution 1.1): an OCI index whose {@code
 * manifests} are the signatures, attestations and SBOMs that name the digest as their subject;
 * paged by {@code Link}. Registries without the API (distribution 2.8) answer 404, which the caller
 * reads as "unsupported" and falls back to the {@code sha256-<hex>} tag scheme.
 */
final class ReferrersLister implements Endpoint<Page<Descriptor>> {
  private final URI firstPage;
  private final String operation;
  private final RegistryRequest request;

  /**
   * @param urls the routes
   * @param repository a validated repository name
   * @param digest a validated subject digest
   * @param continuation the next page's URL, or empty for the first page
   */
  ReferrersLister(
      RegistryUrls urls, String repository, String digest, Optional<String> continuation) {
    this.firstPage = urls.referrers(repository, digest);
    this.operation = "list referrers of " + repository + "@" + digest;
    this.request =
        RegistryRequest.of(
                "GET",
                continuation.map(URI::create).orElse(firstPage),
                List.of(Scope.repositoryPull(repository)),
                operation)
            .withHeader("Accept", MediaTypes.OCI_INDEX);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return one page of referrer descriptors
   */
  @Override
  public Page<Descriptor> readExpected(RegistryResponse response) {
    Manifest parsed = ManifestParser.parse(response.body(), MediaTypes.OCI_INDEX);
    if (!(parsed instanceof ImageIndex index)) {
      throw new RegistryProtocolException(
          operation + ": the registry answered with a manifest, not an index", null);
    }
    return new Page<>(
        index.manifests(),
        PagedListing.next(response, firstPage, operation, request).map(URI::toString));
  }
}
