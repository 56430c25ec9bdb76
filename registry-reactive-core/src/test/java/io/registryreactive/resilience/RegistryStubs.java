package io.registryreactive.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.registryreactive.resilience.RetryFixtures.fastRetry;
import static io.registryreactive.resilience.RetryFixtures.stubSequence;
import static io.registryreactive.testkit.Failures.failure;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.testkit.StubRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import reactor.test.StepVerifier;

/**
 * What the resilience tests share: a client aimed at a WireMock registry with fast retries, the
 * registry's answers as stubs, and a bounded wait for asynchronous progress.
 */
final class RegistryStubs {
  static final String REPO = "team/app";
  static final String TAGS_PATH = "/v2/team/app/tags/list";
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String MANIFEST_PATH = "/v2/team/app/manifests/" + DIGEST;
  static final String OCI_MANIFEST = StubRegistry.OCI_MANIFEST;

  /**
   * How long a test waits for a call to end: a safety net far above any retry schedule here, not a
   * timed assertion.
   */
  static final Duration BOUND = Duration.ofSeconds(20);

  private RegistryStubs() {}

  /**
   * Lists the tags of {@link #REPO} and expects exactly these, in this order, as one complete list.
   */
  static void expectTags(ReactiveRegistryClient client, String... tags) {
    StepVerifier.create(client.tags(REPO).collectList())
        .expectNext(List.of(tags))
        .expectComplete()
        .verify(BOUND);
  }

  /**
   * A stub registry whose clients have timeouts far below the test bound; each test sets the
   * retries.
   */
  static StubRegistry wireMock(Extension... extensions) {
    return StubRegistry.create(
        b -> b.connectTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(5)),
        extensions);
  }

  /** Retries without jitter, every wait the same. */
  static RetryOptions constantBackoff(int attempts, Duration wait) {
    return RetryOptions.builder()
        .maxAttempts(attempts)
        .initialBackoff(wait)
        .maxBackoff(wait)
        .multiplier(1)
        .jitter(0)
        .build();
  }

  /** A client builder for the stub registry with these retries. */
  static ReactiveRegistryClient.Builder client(StubRegistry wm, RetryOptions retry) {
    return wm.builder(b -> b.retry(retry));
  }

  static String tagList(String repository, String... tags) {
    return "{\"name\":\""
        + repository
        + "\",\"tags\":["
        + List.of(tags).stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","))
        + "]}";
  }

  static ResponseDefinitionBuilder tagsOk(String... tags) {
    return json(tagList(REPO, tags));
  }

  /** A 200 with a JSON body. */
  static ResponseDefinitionBuilder json(String body) {
    return answer(200, "application/json", body);
  }

  /** A response with this status, {@code Content-Type} and body. */
  static ResponseDefinitionBuilder answer(int status, String contentType, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", contentType).withBody(body);
  }

  /** A tag-list GET of {@link #REPO} gets each answer in turn, then the last one again. */
  static void stubTags(StubRegistry wm, ResponseDefinitionBuilder... answers) {
    stubSequence(wm, "tags", () -> get(urlEqualTo(TAGS_PATH)), answers);
  }

  /** Checks that the registry saw exactly {@code count} tag-list GETs of {@link #REPO}. */
  static void verifyTagRequests(StubRegistry wm, int count) {
    wm.verify(count, getRequestedFor(urlEqualTo(TAGS_PATH)));
  }

  /** Lists the tags of {@link #REPO} and expects a failure of this type, within {@link #BOUND}. */
  static <E extends Throwable> E tagsFailure(ReactiveRegistryClient client, Class<E> type) {
    return failure(client.tags(REPO).collectList(), type, BOUND);
  }

  /**
   * A client of the stub registry with {@link #fastRetry} of this many attempts; closed after the
   * test.
   */
  static ReactiveRegistryClient fastClient(StubRegistry wm, int attempts) {
    return wm.client(b -> b.retry(fastRetry(attempts)));
  }

  static ResponseDefinitionBuilder manifestHeadOk(String digest) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", OCI_MANIFEST)
        .withHeader("Docker-Content-Digest", digest)
        .withHeader("Content-Length", "1234");
  }

  /** A 503 with an {@code UNAVAILABLE} error envelope: the registry's own "try again later". */
  static ResponseDefinitionBuilder unavailable(String message) {
    return registryError(503, "UNAVAILABLE", message);
  }

  static ResponseDefinitionBuilder registryError(int status, String code, String message) {
    return answer(status, "application/json", StubRegistry.errorBody(code, message));
  }

  /** Polls until the condition holds; fails the test instead of hanging. */
  static void awaitUntil(BooleanSupplier condition, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + limit + " waiting for: " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
