package io.registryreactive.internal.endpoint;

import io.registryreactive.Page;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.auth.Scope;
import io.registryreactive.internal.http.BodyDecoder;
import io.registryreactive.internal.http.Endpoint;
import io.registryreactive.internal.http.RegistryHttp;
import io.registryreactive.internal.http.RegistryRequest;
import io.registryreactive.internal.http.RegistryResponse;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET} of one listing page: {@code _catalog} ({@code repositories}) or {@code tags/list}
 * ({@code tags}). Reads the string array and the {@code Link: <...>; rel="next"} continuation. A
 * page shorter than {@code n} is not taken as the last one: only a missing {@code Link} ends the
 * listing.
 *
 * <p>A streaming endpoint (see {@link Endpoint}): the request carries {@link ListingJson}'s
 * decoder, so a 200 body is parsed while it arrives and never held whole.
 */
final class PagedListing implements Endpoint<Page<String>> {
  private final URI firstPage;
  private final String field;
  private final String operation;
  private final BodyDecoder decoder;
  private final RegistryRequest request;

  /**
   * @param firstPage the first page's URL, on the registry's origin
   * @param continuation the URL of the page to get, or empty for the first
   * @param field the array member: {@code repositories} or {@code tags}
   * @param scopes the token scopes
   * @param operation the name for logs and errors
   * @param maxPageBytes cap on the body
   */
  PagedListing(
      URI firstPage,
      Optional<String> continuation,
      String field,
      List<Scope> scopes,
      String operation,
      long maxPageBytes) {
    this.firstPage = firstPage;
    this.field = field;
    this.operation = operation;
    URI uri = continuation.map(URI::create).orElse(firstPage);
    this.decoder = ListingJson.decoder(field, operation + " (GET " + uri + ")");
    this.request =
        RegistryRequest.of("GET", uri, scopes, operation)
            .withHeader("Accept", "application/json")
            .withMaxResponseBytes(maxPageBytes)
            .withDecoder(decoder);
  }

  @Override
  public RegistryRequest request() {
    return request;
  }

  /**
   * @return the page, with the next page's URL as its continuation
   */
  @Override
  public Page<String> readExpected(RegistryResponse response) {
    @SuppressWarnings("unchecked")
    List<String> items = (List<String>) response.decodedWith(decoder);
    Optional<URI> nextUri = next(response, firstPage, operation, request);
    if (nextUri.isPresent() && nextUri.get().normalize().equals(firstPage.normalize())) {
      // PagedFlux catches a Link back to any page it fetched by token, but the first page has
      // no token: without this check its items would be emitted a second time before the loop
      // is noticed. The looping page is refused whole, so nothing is ever emitted twice.
      throw new RegistryProtocolException(
          operation
              + " ("
              + request.describe()
              + "): the registry's Link header loops back to the first page: "
              + nextUri.get(),
          null);
    }
    return new Page<>(items, nextUri.map(URI::toString));
  }

  /**
   * The {@code rel="next"} target of a listing response, refused when it leaves the registry's
   * origin: a listing is never continued on another host, which could read the registry's
   * credentials or feed the listing made-up names.
   *
   * @param response the page's response
   * @param registryPage any URL on the registry's origin
   * @param operation the name for errors
   * @param request the page's request, for errors
   * @return the next page's URL, or empty on the last page
   * @throws RegistryProtocolException for a {@code Link} to another origin
   */
  static Optional<URI> next(
      RegistryResponse response, URI registryPage, String operation, RegistryRequest request) {
    Optional<URI> next;
    try {
      next = LinkHeader.next(response.headerValues("Link"), response.uri());
    } catch (IllegalArgumentException e) {
      throw new RegistryProtocolException(
          operation
              + " ("
              + request.describe()
              + "): the registry's Link header is not a valid URL reference",
          e);
    }
    if (next.isPresent() && !RegistryHttp.sameOrigin(next.get(), registryPage)) {
      throw new RegistryProtocolException(
          operation
              + " ("
              + request.describe()
              + "): the registry's Link header leads to another origin ("
              + next.get().getScheme()
              + "://"
              + next.get().getRawAuthority()
              + "); a listing is only followed on the registry itself",
          null);
    }
    return next;
  }
}
