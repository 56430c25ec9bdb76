package io.registryreactive.testkit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A WireMock server standing in for a registry, and the clients pointed at it: a JUnit 5 extension
 * that owns both. The server listens on {@code 127.0.0.1} on a free port; each test class registers
 * its own, so classes never share a journal. Every client a test gets from {@link #client()} or
 * {@link #client(UnaryOperator)} is closed after that test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final StubRegistry registry = StubRegistry.create();
 *
 * @Test
 * void tags() {
 *   registry.stubFor(get(urlEqualTo("/v2/team/app/tags/list")).willReturn(okJson("...")));
 *   StepVerifier.create(registry.client().tags("team/app"))...verify(StubRegistry.VERIFY_TIMEOUT);
 * }
 * }</pre>
 *
 * <p>It is a {@link WireMockExtension}: {@code stubFor}, {@code verify}, {@code findAll} and the
 * rest work on it directly.
 */
public final class StubRegistry extends WireMockExtension {

  /**
   * Upper bound for every {@code StepVerifier.verify}, so that nothing hangs. Generous: the first
   * request of a JVM (Netty and BlockHound warm-up) takes seconds on a loaded 2-core machine.
   */
  public static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(60);

  // Media types of stubbed answers, spelled out rather than taken from the SDK, so that a wrong
  // constant in the SDK fails a test instead of agreeing with itself.
  /** {@code application/vnd.oci.image.index.v1+json}. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** {@code application/vnd.oci.image.manifest.v1+json}. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** {@code application/vnd.docker.distribution.manifest.list.v2+json}. */
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** {@code application/vnd.docker.distribution.manifest.v2+json}. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /**
   * The client options of {@link #create()}: no retries, so each failure is one request the test
   * can see; a response timeout well below {@link #VERIFY_TIMEOUT}; at most four requests in
   * flight.
   */
  public static final UnaryOperator<ReactiveRegistryClient.Builder> NO_RETRIES =
      b ->
          b.responseTimeout(Duration.ofSeconds(30))
              .retry(RetryOptions.disabled())
              .maxConcurrentRequests(4);

  private final UnaryOperator<ReactiveRegistryClient.Builder> clientDefaults;
  private final List<ReactiveRegistryClient> clients = new ArrayList<>();
  private @Nullable ReactiveRegistryClient client;

  private StubRegistry(
      Builder builder, UnaryOperator<ReactiveRegistryClient.Builder> clientDefaults) {
    super(builder);
    this.clientDefaults = clientDefaults;
  }

  /**
   * A stub registry whose clients have the {@link #NO_RETRIES} options.
   *
   * @return the extension, to register with {@code @RegisterExtension}
   */
  public static StubRegistry create() {
    return create(NO_RETRIES);
  }

  /**
   * A stub registry whose clients start from other options.
   *
   * @param clientDefaults applied to every client's builder after the base URL, before a test's own
   *     options
   * @param extensions WireMock extensions (response transformers, listeners) for the server
   * @return the extension, to register with {@code @RegisterExtension}
   */
  public static StubRegistry create(
      UnaryOperator<ReactiveRegistryClient.Builder> clientDefaults, Extension... extensions) {
    Builder server =
        WireMockExtension.newInstance()
            .options(
                wireMockConfig().dynamicPort().bindAddress("127.0.0.1").extensions(extensions));
    return new StubRegistry(server, clientDefaults);
  }

  /**
   * The URL clients use: the loopback address the server is bound to, not {@code localhost}.
   *
   * @return {@code http://127.0.0.1:<port>}
   */
  @Override
  public String baseUrl() {
    return "http://" + host();
  }

  /**
   * The registry part of image references to this server.
   *
   * @return {@code 127.0.0.1:<port>}
   */
  public String host() {
    return "127.0.0.1:" + getPort();
  }

  /**
   * The test's client with the default options: made on the first call in a test, the same one for
   * the rest of it, closed after it.
   *
   * @return the client
   */
  public synchronized ReactiveRegistryClient client() {
    if (client == null) {
      client = client(UnaryOperator.identity());
    }
    return client;
  }

  /**
   * A new client with the default options and then {@code options}; closed after the test.
   *
   * @param options further builder settings (credentials, retries, limits)
   * @return the client
   */
  public synchronized ReactiveRegistryClient client(
      UnaryOperator<ReactiveRegistryClient.Builder> options) {
    return closeAfterTest(builder(options).build());
  }

  /**
   * A new client with the default options and these credentials; closed after the test.
   *
   * @param credentials the credentials
   * @return the client
   */
  public ReactiveRegistryClient client(RegistryCredentials credentials) {
    return client(b -> b.credentials(credentials));
  }

  /**
   * Closes the client after the test, as if it came from {@link #client(UnaryOperator)}: for a
   * client built from {@link #builder(UnaryOperator)} with settings made in several steps.
   *
   * @param created the client
   * @return {@code created}
   */
  public synchronized ReactiveRegistryClient closeAfterTest(ReactiveRegistryClient created) {
    clients.add(created);
    return created;
  }

  /**
   * A builder with the default options and then {@code options}, for a test that builds and closes
   * its client itself (to close it mid-test, or to see {@code build()} fail).
   *
   * @param options further builder settings
   * @return the builder
   */
  public ReactiveRegistryClient.Builder builder(
      UnaryOperator<ReactiveRegistryClient.Builder> options) {
    return options.apply(clientDefaults.apply(ReactiveRegistryClient.builder().baseUrl(baseUrl())));
  }

  @Override
  protected void onAfterEach(WireMockRuntimeInfo wireMockRuntimeInfo) {
    List<ReactiveRegistryClient> toClose;
    synchronized (this) {
      toClose = List.copyOf(clients);
      clients.clear();
      client = null;
    }
    toClose.forEach(ReactiveRegistryClient::close);
  }

  /**
   * A registry error envelope with one error, as distribution writes it.
   *
   * @param code the error code, e.g. {@code MANIFEST_UNKNOWN}
   * @param message the message
   * @return {@code {"errors":[{"code":..., "message":..., "detail":null}]}}
   */
  public static String errorBody(String code, String message) {
    return "{\"errors\":[{\"code\":\""
        + code
        + "\",\"message\":\""
        + message
        + "\",\"detail\":null}]}";
  }
}
