package io.registryreactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.StubRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** https against a plain-http registry: one clear, non-retryable error, one connection attempt. */
class PlainHttpAnswerTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  @Test
  void https_againstPlainHttp_failsOnceWithAHint() {
    String hostPort = "127.0.0.1:" + registry.getPort();
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder().baseUrl("https://" + hostPort).build()) {
      StepVerifier.create(c.checkAuth())
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(RegistryConnectionException.class)
                    .hasMessage(
                        "the registry at "
                            + hostPort
                            + " answered plain HTTP to a TLS (https) connection; use http://"
                            + hostPort
                            + " if it really serves plain http");
                assertThat(((RegistryException) e).isRetryable()).isFalse();
              })
          .verify(StubRegistry.VERIFY_TIMEOUT);
      assertThat(c.metrics().retries()).isZero();
    }
  }
}
