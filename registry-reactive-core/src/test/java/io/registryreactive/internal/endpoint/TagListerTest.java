package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.Page;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.RegistryResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One {@code tags/list} page read without HTTP: items, the {@code Link} continuation, errors. */
class TagListerTest {
  private static final String PAGE = "http://registry.test:5000/v2/team/app/tags/list";
  private final TagLister first = new TagLister(URLS, REPO, 0, 1024, Optional.empty());

  /** Reads a page of tag "a" whose {@code Link} is {@code link}: the continuation it yields. */
  private Optional<String> continuationAfter(String link) {
    return reply(first, 200, "{\"tags\":[\"a\"]}").link(link).read().continuationToken();
  }

  /** Reads a page of tag "a" whose {@code Link} is {@code link}: expects a protocol error. */
  private AbstractThrowableAssert<?, ? extends Throwable> linkFailure(String link) {
    return assertThat(
        reply(first, 200, "{\"tags\":[\"a\"]}")
            .link(link)
            .readFailure(RegistryProtocolException.class));
  }

  @Test
  void request_isStreamingGetWithCapAndDecoder() {
    assertThat(first.request().describe()).isEqualTo("GET " + PAGE);
    assertThat(first.request().maxResponseBytes()).isEqualTo(1024);
    assertThat(first.request().decoder()).isNotNull();
    assertThat(new TagLister(URLS, REPO, 50, 1024, Optional.empty()).request().uri())
        .hasToString(PAGE + "?n=50");
  }

  @Test
  void request_whenContinuation_getsThatUrlVerbatim() {
    TagLister next = new TagLister(URLS, REPO, 0, 1024, Optional.of(PAGE + "?next_page=gA%3D%3D"));
    assertThat(next.request().uri()).hasToString(PAGE + "?next_page=gA%3D%3D");
  }

  @Test
  void read_whenLastPage_returnsTagsWithoutToken() {
    assertThat(reply(first, 200, "{\"name\":\"team/app\",\"tags\":[\"v1\",\"latest\"]}").read())
        .isEqualTo(new Page<>(List.of("v1", "latest"), Optional.empty()));
  }

  @Test
  void read_whenTagsNull_returnsNoTags() {
    assertThat(reply(first, 200, "{\"name\":\"team/app\",\"tags\":null}").read().items()).isEmpty();
  }

  @Test
  void read_whenTheTransportDecodedTheBody_usesTheDecodedItems() {
    RegistryResponse streamed =
        new RegistryResponse(
            first.request(), 200, Map.of(), new byte[0], 1, false, List.of("a", "b"));
    assertThat(first.read(streamed).items()).containsExactly("a", "b");
  }

  @Test
  void read_whenRelativeLink_resolvesItAgainstThePage() {
    assertThat(continuationAfter("</v2/team/app/tags/list?last=a&n=1>; rel=\"next\""))
        .contains(PAGE + "?last=a&n=1");
  }

  @Test
  void read_whenSameOriginAbsoluteLinkInOtherCase_followsIt() {
    assertThat(
            continuationAfter("<HTTP://Registry.Test:5000/v2/team/app/tags/list?last=a>; rel=next"))
        .contains("HTTP://Registry.Test:5000/v2/team/app/tags/list?last=a");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://elsewhere.test:5000/v2/team/app/tags/list?last=a",
        "https://registry.test:5000/v2/team/app/tags/list?last=a",
        "http://registry.test:5001/v2/x?last=a",
        "http://registry.test/v2/x",
        "//evil.test/v2/x"
      })
  void read_whenLinkLeadsToAnotherOrigin_isProtocolError(String target) {
    linkFailure("<" + target + ">; rel=\"next\"").hasMessageContaining("another origin");
  }

  @Test
  void read_whenLinkIsNotAUrl_isProtocolError() {
    linkFailure("<http://[oops>; rel=next").hasMessageContaining("Link");
  }

  @Test
  void read_whenLinkHasNoRelNext_endsTheListing() {
    assertThat(
            first
                .read(
                    response(
                        first,
                        200,
                        "{\"tags\":[\"a\"]}",
                        "Link",
                        "</v2/team/app/tags/list?p=0>; rel=prev",
                        "Link",
                        "garbage without brackets"))
                .continuationToken())
        .isEmpty();
  }

  @Test
  void read_whenLinkLoopsToTheFirstPage_isProtocolError() {
    linkFailure("</v2/team/app/tags/list>; rel=next")
        .hasMessageContaining("loops back to the first page");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<html>502</html>",
        "[\"a\"]",
        "{\"name\":\"team/app\"}",
        "{\"tags\":[1]}",
        "{\"tags\":[\"a\"]",
        ""
      })
  void read_whenBodyIsNotATagList_isProtocolErrorNamingTheUrl(String body) {
    reply(first, 200, body)
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("GET " + PAGE);
  }

  @Test
  void read_when404_isNotFoundWithCode() {
    NotFoundException e =
        errorReply(first, 404, "NAME_UNKNOWN").readFailureWithCode(NotFoundException.class);
    assertThat(e.getMessage()).startsWith("list tags of 'team/app' failed");
  }
}
