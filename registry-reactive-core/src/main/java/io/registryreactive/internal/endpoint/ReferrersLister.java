package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.LinkHeader;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v2/<name>/referrers/<digest>} (OCI Distribution 1.1): an OCI index whose
 * {@code manifests} are the signatures, attestations and SBOMs that name the digest as their
 * subject; paged by {@code Link}. Registries without the API (distribution 2.8) answer 404, which
 * the caller reads as "unsupported" and falls back to the {@code sha256-<hex>} tag scheme.
 */
public final class ReferrersLister {
  private final RegistryHttp http;
  private final URI firstPage;
  private final String operation;
  private final List<Scope> scopes;

  /**
   * @param http the request pipeline
   * @param urls the routes
   * @param repository a validated repository name
   * @param digest a validated subject digest
   */
  public ReferrersLister(RegistryHttp http, RegistryUrls urls, String repository, String digest) {
    this.http = http;
    this.firstPage = urls.referrers(repository, digest);
    this.operation = "list referrers of " + repository + "@" + digest;
    this.scopes = List.of(Scope.repositoryPull(repository));
  }

  /**
   * @param continuation the next page's URL, or empty for the first page
   * @return one page of referrer descriptors
   */
  public Mono<Page<Descriptor>> page(Optional<String> continuation) {
    return Mono.defer(() -> {
      RegistryRequest request = RegistryRequest.of("GET", continuation.map(URI::create).orElse(firstPage), scopes,
          operation).withHeader("Accept", MediaTypes.OCI_INDEX);
      return http.exchange(request).map(response -> {
        if (response.status() != 200) {
          throw ResponseErrors.toException(response, operation);
        }
        Manifest parsed = ManifestParser.parse(response.body(), MediaTypes.OCI_INDEX);
        if (!(parsed instanceof ImageIndex index)) {
          throw new RegistryProtocolException(operation + ": the registry answered with a manifest, not an index", null);
        }
        return new Page<>(index.manifests(),
            LinkHeader.next(response.headerValues("Link"), response.uri()).map(URI::toString));
      });
    });
  }
}
