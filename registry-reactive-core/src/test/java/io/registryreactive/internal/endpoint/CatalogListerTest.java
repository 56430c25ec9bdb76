package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.error;
import static io.registryreactive.internal.endpoint.Responses.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.RegistryResponseException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One {@code _catalog} page read without HTTP. */
class CatalogListerTest {
  private final CatalogLister first = new CatalogLister(URLS, 2, 1024, Optional.empty());

  @Test
  void request_asksForThePageSizeWithCatalogScope() {
    assertThat(first.request().uri()).hasToString("http://registry.test:5000/v2/_catalog?n=2");
    assertThat(first.request().scopes()).hasSize(1);
  }

  @Test
  void read_whenPageWithLink_returnsRepositoriesAndToken() {
    var page =
        first.read(
            response(
                first,
                200,
                "{\"repositories\":[\"a\",\"b\"]}",
                "Link",
                "</v2/_catalog?last=b&n=2>; rel=\"next\""));
    assertThat(page.items()).containsExactly("a", "b");
    assertThat(page.continuationToken())
        .contains("http://registry.test:5000/v2/_catalog?last=b&n=2");
  }

  @Test
  void read_whenBodyHoldsTagsInstead_isProtocolError() {
    assertThatThrownBy(() -> first.read(response(first, 200, "{\"tags\":[\"a\"]}")))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("repositories");
  }

  @Test
  void read_whenLinkToAnotherHost_isProtocolError() {
    assertThatThrownBy(
            () ->
                first.read(
                    response(
                        first,
                        200,
                        "{\"repositories\":[]}",
                        "Link",
                        "<http://attacker.test/v2/_catalog?last=b>; rel=\"next\"")))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("http://attacker.test");
  }

  @Test
  void read_when403_isAccessDenied() {
    assertThatThrownBy(
            () ->
                first.read(
                    response(first, 403, error("DENIED"), "Content-Type", "application/json")))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void read_when400PaginationInvalid_isNonRetryableErrorWithCode() {
    assertThatThrownBy(
            () ->
                first.read(
                    response(
                        first,
                        400,
                        error("PAGINATION_NUMBER_INVALID"),
                        "Content-Type",
                        "application/json")))
        .isInstanceOfSatisfying(
            RegistryResponseException.class,
            e -> {
              assertThat(e.hasErrorCode("PAGINATION_NUMBER_INVALID")).isTrue();
              assertThat(e.isRetryable()).isFalse();
            });
  }
}
