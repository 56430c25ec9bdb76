package io.registryreactive.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stub registry's server address and the clients it hands out. */
class StubRegistryTest {

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  @Test
  void baseUrl_isTheLoopbackAddressTheServerListensOn() {
    assertThat(registry.baseUrl()).isEqualTo("http://127.0.0.1:" + registry.getPort());
    assertThat(registry.host()).isEqualTo("127.0.0.1:" + registry.getPort());
  }

  @Test
  void client_isOneClientPerTest_andReachesTheStub() {
    registry.stubFor(get(urlEqualTo("/v2/")).willReturn(okJson("{}")));
    ReactiveRegistryClient client = registry.client();

    assertThat(registry.client()).isSameAs(client);
    assertThat(client.baseUrl().toString()).startsWith(registry.baseUrl());
    client.checkAuth().block(Duration.ofSeconds(30));
    registry.verify(1, getRequestedFor(urlEqualTo("/v2/")));
  }

  @Test
  void clientWithOptions_isANewClientEachCall() {
    ReactiveRegistryClient first = registry.client(RegistryCredentials.anonymous());
    ReactiveRegistryClient second = registry.client(b -> b.maxConcurrentRequests(1));

    assertThat(first).isNotSameAs(second).isNotSameAs(registry.client());
  }

  @Test
  void errorBody_isADistributionErrorEnvelope() {
    assertThat(StubRegistry.errorBody("MANIFEST_UNKNOWN", "manifest unknown"))
        .isEqualTo(
            "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":null}]}");
  }
}
