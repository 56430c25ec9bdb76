package io.registryreactive;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * A WireMock server standing in for a registry, and clients pointed at it. Each test class
 * registers its own server (dynamic port, loopback only) so classes never share a journal.
 */
final class StubRegistry {

  /**
   * Upper bound for every {@code StepVerifier.verify}, so that nothing hangs. Generous: the first
   * request of a JVM (Netty and BlockHound warm-up) takes seconds on a loaded 2-core machine.
   */
  static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(60);

  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private StubRegistry() {}

  /** @return a WireMock extension on a dynamic port bound to 127.0.0.1 */
  static WireMockExtension server() {
    return WireMockExtension.newInstance()
        .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
        .build();
  }

  /** @return {@code http://127.0.0.1:<port>} */
  static String baseUrl(WireMockExtension server) {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** @return {@code 127.0.0.1:<port>}, the host part of references to this registry */
  static String host(WireMockExtension server) {
    return "127.0.0.1:" + server.getPort();
  }

  /**
   * @return a client for the server without retries, so each failure is one request the test can
   *     see, and with a response timeout well below {@link #VERIFY_TIMEOUT}
   */
  static ReactiveRegistryClient client(WireMockExtension server) {
    return client(server, b -> b);
  }

  /** @return a client for the server, further configured by {@code options} */
  static ReactiveRegistryClient client(WireMockExtension server, UnaryOperator<ReactiveRegistryClient.Builder> options) {
    return options.apply(ReactiveRegistryClient.builder()
            .baseUrl(baseUrl(server))
            .responseTimeout(Duration.ofSeconds(30))
            .retry(RetryOptions.disabled())
            .maxConcurrentRequests(4))
        .build();
  }

  /** @return {@code sha256:<hex>} of the exact bytes */
  static String sha256(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** @return {@code sha256:<hex>} of the UTF-8 bytes */
  static String sha256(String content) {
    return sha256(content.getBytes(StandardCharsets.UTF_8));
  }

  /** @return a registry error envelope with one error */
  static String errorBody(String code, String message) {
    return "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}";
  }
}
