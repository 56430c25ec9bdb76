package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static org.assertj.core.api.Assertions.assertThat;

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
        reply(first, 200, "{\"repositories\":[\"a\",\"b\"]}")
            .link("</v2/_catalog?last=b&n=2>; rel=\"next\"")
            .read();
    assertThat(page.items()).containsExactly("a", "b");
    assertThat(page.continuationToken())
        .contains("http://registry.test:5000/v2/_catalog?last=b&n=2");
  }

  @Test
  void read_whenBodyHoldsTagsInstead_isProtocolError() {
    reply(first, 200, "{\"tags\":[\"a\"]}")
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("repositories");
  }

  @Test
  void read_whenLinkToAnotherHost_isProtocolError() {
    reply(first, 200, "{\"repositories\":[]}")
        .link("<http://attacker.test/v2/_catalog?last=b>; rel=\"next\"")
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("http://attacker.test");
  }

  @Test
  void read_when403_isAccessDenied() {
    errorReply(first, 403, "DENIED").readFailure(AccessDeniedException.class);
  }

  @Test
  void read_when400PaginationInvalid_isNonRetryableErrorWithCode() {
    RegistryResponseException e =
        errorReply(first, 400, "PAGINATION_NUMBER_INVALID")
            .readFailureWithCode(RegistryResponseException.class);
    assertThat(e.isRetryable()).isFalse();
  }
}
