package io.registryreactive.pruneit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.StubRegistry;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A registry without a usable {@code _catalog} (Docker Hub, GHCR; Harbor and GitLab for
 * non-admins): WireMock in front of the real registry answers the catalog with 401 or 404 and
 * forwards the rest. Named repositories are pruned without ever asking for the catalog.
 */
@RealRegistry
class CatalogLessPruneIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension
  static WireMockExtension wm =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final RegistryProcess registry;

  CatalogLessPruneIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @BeforeEach
  void forwardEverythingButTheCatalog() {
    wm.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(aResponse().proxiedFrom(registry.baseUrl().toString())));
  }

  private ReactiveRegistryClient throughStub() {
    return ReactiveRegistryClient.builder()
        .baseUrl(wm.baseUrl())
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        .retry(RetryOptions.builder().maxAttempts(1).build())
        .build();
  }

  private static ImageBlueprint image(long seed) {
    return TestImages.image(seed).layers(1, 1024).oci();
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 404})
  void plan_whenCatalogRefusedAndRepositoriesNamed_prunesThemWithoutAskingForTheCatalog(
      int status) {
    String one = "nocatalog" + status + "/one";
    String two = "nocatalog" + status + "/two";
    String untouched = "nocatalog" + status + "/other";
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      new ImageSeeder(direct)
          .add(one, image(status * 10L + 1), "keep")
          .add(one, image(status * 10L + 2), "old")
          .add(two, image(status * 10L + 3), "keep")
          .add(two, image(status * 10L + 4), "old")
          .add(untouched, image(status * 10L + 5), "old")
          .pushAll();
      wm.stubFor(
          get(urlPathEqualTo("/v2/_catalog"))
              .atPriority(1)
              .willReturn(
                  aResponse()
                      .withStatus(status)
                      .withHeader("Content-Type", "application/json")
                      .withBody(
                          StubRegistry.errorBody(
                              status == 401 ? "UNAUTHORIZED" : "NOT_FOUND",
                              "catalog not offered"))));
      try (ReactiveRegistryClient client = throughStub()) {
        Pruner pruner = Pruner.of(client);
        // The catalog is really refused: a catalog-based plan cannot start.
        assertThatThrownBy(
                () ->
                    pruner.plan(RetentionPolicy.builder().keepTags("keep").build()).block(TIMEOUT))
            .isInstanceOf(RuntimeException.class);
        wm.resetRequests();

        RetentionPolicy policy =
            RetentionPolicy.builder()
                .repositoryName(one)
                .repositoryName(two)
                .repositoryName(one)
                .keepTags("keep")
                .build();
        PrunePlan plan = pruner.plan(policy).block(TIMEOUT);
        PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);

        assertThat(plan.repositories()).extracting(r -> r.repository()).containsExactly(one, two);
        assertThat(plan.policy().get(RetentionPolicy.REPOSITORIES)).isEqualTo(List.of(one, two));
        assertThat(report.failures()).isEmpty();
        wm.verify(0, getRequestedFor(urlPathEqualTo("/v2/_catalog")));
      }
      assertThat(direct.tags(one).collectList().block(TIMEOUT)).containsExactly("keep");
      assertThat(direct.tags(two).collectList().block(TIMEOUT)).containsExactly("keep");
      assertThat(direct.tags(untouched).collectList().block(TIMEOUT)).containsExactly("old");
    }
  }
}
