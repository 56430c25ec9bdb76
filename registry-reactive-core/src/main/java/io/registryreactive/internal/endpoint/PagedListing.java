package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.LinkHeader;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.ResponseErrors;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * {@code GET} of one listing page: {@code _catalog} ({@code repositories}) or {@code tags/list}
 * ({@code tags}). Reads the string array and the {@code Link: <...>; rel="next"} continuation. A
 * page shorter than {@code n} is not taken as the last one: only a missing {@code Link} ends the
 * listing.
 */
final class PagedListing {
  private final RegistryHttp http;
  private final URI firstPage;
  private final String field;
  private final List<Scope> scopes;
  private final String operation;
  private final long maxPageBytes;

  PagedListing(RegistryHttp http, URI firstPage, String field, List<Scope> scopes, String operation,
      long maxPageBytes) {
    this.http = http;
    this.firstPage = firstPage;
    this.field = field;
    this.scopes = scopes;
    this.operation = operation;
    this.maxPageBytes = maxPageBytes;
  }

  Mono<Page<String>> page(Optional<String> continuation) {
    return Mono.defer(() -> {
      URI uri = continuation.map(URI::create).orElse(firstPage);
      String what = operation + " (GET " + uri + ")";
      RegistryRequest request = RegistryRequest.of("GET", uri, scopes, operation)
          .withHeader("Accept", "application/json")
          .withMaxResponseBytes(maxPageBytes)
          .withDecoder(ListingJson.decoder(field, what));
      return http.exchange(request).map(response -> {
        if (response.status() != 200) {
          throw ResponseErrors.toException(response, operation);
        }
        // The 200 body was parsed while it arrived (see ListingJson); it is never held whole.
        @SuppressWarnings("unchecked")
        List<String> items = response.decoded() instanceof List<?> decoded
            ? (List<String>) decoded : ListingJson.readStringArray(response.body(), field, what);
        Optional<URI> nextUri = LinkHeader.next(response.headerValues("Link"), response.uri());
        if (nextUri.isPresent() && nextUri.get().normalize().equals(firstPage.normalize())) {
          // PagedFlux catches a Link back to any page it fetched by token, but the first page has
          // no token: without this check its items would be emitted a second time before the loop
          // is noticed. The looping page is refused whole, so nothing is ever emitted twice.
          throw new RegistryProtocolException(operation + " (" + request.describe()
              + "): the registry's Link header loops back to the first page: " + nextUri.get(), null);
        }
        return new Page<>(items, nextUri.map(URI::toString));
      });
    });
  }
}
