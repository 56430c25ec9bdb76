package io.registryreactive;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.testkit.Failures.failure;
import static io.registryreactive.testkit.StubRegistry.VERIFY_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.registryreactive.testkit.StubRegistry;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.reactivestreams.Publisher;
import reactor.test.StepVerifier;

/**
 * What the client tests of this package share: the answers they stub, and the bounded wait for a
 * call's items or for its failure ("this answer maps to that exception"). An instance is bound to
 * one stub registry, for the stubs and calls that need it.
 */
final class ClientCalls {
  /** The tag list of {@code team/app}. */
  static final String TAGS = "/v2/team/app/tags/list";

  private final StubRegistry registry;

  /** The calls of this registry's test client ({@link StubRegistry#client()}). */
  ClientCalls(StubRegistry registry) {
    this.registry = registry;
  }

  /** A response with this status, {@code Content-Type} and body. */
  static ResponseDefinitionBuilder answer(int status, String contentType, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
  }

  /** A JSON error envelope with one error, as distribution writes it. */
  static ResponseDefinitionBuilder registryError(int status, String code, String message) {
    return answer(status, "application/json", StubRegistry.errorBody(code, message));
  }

  /** Expects the call to emit exactly these items, in order, and complete. */
  @SafeVarargs
  static <T> void expectExactly(Publisher<T> call, T... items) {
    StepVerifier.create(call).expectNext(items).expectComplete().verify(VERIFY_TIMEOUT);
  }

  /** Checks the HTTP status and the registry error code that a failure carries. */
  static void assertStatusAndCode(RegistryResponseException e, int status, String code) {
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.hasErrorCode(code)).as("has error code %s: %s", code, e.errors()).isTrue();
  }

  /** Expects the call to emit one item that passes {@code check}, and complete. */
  static <T> void expectOne(Publisher<T> call, Consumer<? super T> check) {
    StepVerifier.create(call).assertNext(check).expectComplete().verify(VERIFY_TIMEOUT);
  }

  /** Expects the call to fail with this type; answers the failure for further checks. */
  static <E extends Throwable> E failureOf(Publisher<?> call, Class<E> type) {
    return failure(call, type, VERIFY_TIMEOUT);
  }

  /**
   * The registry answers the tag list of {@code team/app} so; listing the tags with the registry's
   * client must fail with this type.
   */
  <E extends Throwable> E tagsFailure(ResponseDefinitionBuilder answer, Class<E> type) {
    registry.stubFor(get(urlEqualTo(TAGS)).willReturn(answer));
    return failureOf(registry.client().tags("team/app"), type);
  }

  /** Serves this body at {@code url}, with a {@code Link} header unless {@code link} is null. */
  void stubPage(String url, String body, String link) {
    ResponseDefinitionBuilder response = okJson(body);
    if (link != null) {
      response = response.withHeader("Link", link);
    }
    registry.stubFor(get(urlEqualTo(url)).willReturn(response));
  }

  static String catalogBody(String... repositories) {
    return "{\"repositories\":" + jsonArray(repositories) + "}";
  }

  static String tagsBody(String... tags) {
    return "{\"name\":\"team/app\",\"tags\":" + jsonArray(tags) + "}";
  }

  private static String jsonArray(String... items) {
    return List.of(items).stream()
        .map(s -> "\"" + s + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
