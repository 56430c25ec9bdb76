package io.registryreactive.pruneit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RetryOptions;
import io.registryreactive.internal.prune.PruneJson;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistryFixture;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.TestImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A registry (the real one behind a WireMock proxy) whose DELETE errors echo the request's {@code
 * Authorization} header: the report's failure texts and its JSON show no secret.
 */
class PruneReportRedactionIT extends RealRegistryFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void deleteErrorsEchoingAuthorization_leaveNoSecretInTheReportOrItsJson() {
    try (ReactiveRegistryClient direct = RegistryClients.authenticated(registry)) {
      new ImageSeeder(direct)
          .into("redact/app")
          .add(TestImages.image(9101).layers(1, 512).docker(), "keep")
          .add(TestImages.image(9102).layers(1, 512).docker(), "old")
          .pushAll();
    }
    WireMockServer echo =
        new WireMockServer(
            wireMockConfig().dynamicPort().bindAddress("127.0.0.1").templatingEnabled(true));
    echo.start();
    try {
      echo.stubFor(
          any(anyUrl())
              .atPriority(10)
              .willReturn(aResponse().proxiedFrom(registry.baseUrl().toString())));
      echo.stubFor(
          delete(urlPathMatching("/v2/.+/manifests/.+"))
              .atPriority(1)
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withHeader("Content-Type", "text/plain")
                      .withTransformers("response-template")
                      .withBody(
                          "cannot delete; request was: Authorization: {{request.headers.Authorization}} ({{request.headers.Authorization}})")));
      try (ReactiveRegistryClient c =
          ReactiveRegistryClient.builder()
              .baseUrl("http://127.0.0.1:" + echo.port())
              .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
              .retry(RetryOptions.disabled())
              .build()) {
        Pruner pruner = Pruner.of(c);
        PrunePlan plan =
            pruner.plan(RetentionPolicy.builder().keepTags("keep").build()).block(TIMEOUT);
        PruneReport report = pruner.applyAndReport(plan).block(TIMEOUT);
        assertThat(report.failures()).isNotEmpty();
        String json = PruneJson.write(report);
        List<String> secrets =
            List.of(
                registry.password(),
                Base64.getEncoder()
                    .encodeToString(
                        (registry.username() + ":" + registry.password())
                            .getBytes(StandardCharsets.UTF_8)));
        for (PruneReport.FailedManifest f : report.failures()) {
          assertThat(f.error()).contains("Authorization: ***");
          secrets.forEach(s -> assertThat(f.error()).doesNotContain(s));
        }
        assertThat(json).contains("Authorization: ***");
        secrets.forEach(s -> assertThat(json).doesNotContain(s));
      }
    } finally {
      echo.stop();
    }
  }
}
