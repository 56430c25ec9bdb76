package io.registryreactive.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.micrometer.RegistryMetrics;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter against a real registry with htpasswd auth: health, listing and meters. */
@RealRegistry
class StarterRegistryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RegistryReactiveAutoConfiguration.class));

  @Test
  void health_up_andTheClientListsWithTheConfiguredCredentials(
      RegistryProcess registry, ReactiveRegistryClient seedClient) {
    new ImageSeeder(seedClient)
        .add("starter/app", TestImages.image(901).layers(1, 1024).oci(), "v1")
        .pushAll();
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues(
            "registry.reactive.url=" + registry.baseUrl(),
            "registry.reactive.username=" + registry.username(),
            "registry.reactive.password=" + registry.password())
        .run(
            context -> {
              Health health = context.getBean(RegistryHealthIndicator.class).health().block(WAIT);
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsOnlyKeys("registry");
              assertThat(
                      context
                          .getBean(ReactiveRegistryClient.class)
                          .tags("starter/app")
                          .collectList()
                          .block(WAIT))
                  .isEqualTo(List.of("v1"));
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters
                          .get(RegistryMetrics.REQUESTS)
                          .tags("endpoint", "tags", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      meters
                          .get(RegistryMetrics.REQUESTS)
                          .tags("endpoint", "api_version", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void health_down_withAWrongPassword_andThePasswordNotInDetails(RegistryProcess registry) {
    runner
        .withPropertyValues(
            "registry.reactive.url=" + registry.baseUrl(),
            "registry.reactive.username=" + registry.username(),
            "registry.reactive.password=WrongPassw0rd")
        .run(
            context -> {
              Health health = context.getBean(RegistryHealthIndicator.class).health().block(WAIT);
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails()).containsKeys("registry", "error");
              assertThat(health.getDetails().get("error").toString()).contains("Authentication");
              assertThat(health.getDetails().toString())
                  .doesNotContain("WrongPassw0rd")
                  .doesNotContain(registry.password());
            });
  }
}
