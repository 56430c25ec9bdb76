package io.registryreactive.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryListener;
import io.registryreactive.micrometer.RegistryMetrics;
import io.registryreactive.testkit.StubRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

/** The auto-configuration in application contexts, against a stub registry. */
class RegistryReactiveAutoConfigurationTest {
  private static final String TAGS = "/v2/team/app/tags/list";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final StubRegistry registry = StubRegistry.create();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RegistryReactiveAutoConfiguration.class));

  private ApplicationContextRunner withStub(String... more) {
    return runner
        .withPropertyValues("registry.reactive.url=" + registry.baseUrl())
        .withPropertyValues(more);
  }

  @Test
  void properties_everyOneIsBound() {
    withStub(
            "registry.reactive.username=ci",
            "registry.reactive.password=s3cret",
            "registry.reactive.docker-config=/tmp/docker",
            "registry.reactive.concurrency=4",
            "registry.reactive.rate-limit=12.5",
            "registry.reactive.connect-timeout=3s",
            "registry.reactive.response-timeout=20s",
            "registry.reactive.request-deadline=2m",
            "registry.reactive.connection-metrics=true",
            "registry.reactive.proxy=http://127.0.0.1:3128",
            "registry.reactive.retry.attempts=2",
            "registry.reactive.retry.backoff=10ms",
            "registry.reactive.retry.max-backoff=1s",
            "registry.reactive.retry.budget=30s",
            "registry.reactive.tls.insecure=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              RegistryReactiveProperties p = context.getBean(RegistryReactiveProperties.class);
              assertThat(p.getUrl()).isEqualTo(registry.baseUrl());
              assertThat(p.getUsername()).isEqualTo("ci");
              assertThat(p.getPassword()).isEqualTo("s3cret");
              assertThat(p.getDockerConfig()).isEqualTo(Path.of("/tmp/docker"));
              assertThat(p.getConcurrency()).isEqualTo(4);
              assertThat(p.getRateLimit()).isEqualTo(12.5);
              assertThat(p.getConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(p.getResponseTimeout()).isEqualTo(Duration.ofSeconds(20));
              assertThat(p.getRequestDeadline()).isEqualTo(Duration.ofMinutes(2));
              assertThat(p.isConnectionMetrics()).isTrue();
              assertThat(p.getProxy()).isEqualTo("http://127.0.0.1:3128");
              assertThat(p.getRetry().getAttempts()).isEqualTo(2);
              assertThat(p.getRetry().getBackoff()).isEqualTo(Duration.ofMillis(10));
              assertThat(p.getRetry().getMaxBackoff()).isEqualTo(Duration.ofSeconds(1));
              assertThat(p.getRetry().getBudget()).isEqualTo(Duration.ofSeconds(30));
              assertThat(p.getTls().isInsecure()).isTrue();
              assertThat(p.toString()).doesNotContain("s3cret");
              assertThat(context.getBean(ReactiveRegistryClient.class).baseUrl().toString())
                  .isEqualTo(registry.baseUrl());
            });
  }

  @Test
  void properties_defaults_whenOnlyUrlIsSet() {
    withStub()
        .run(
            context -> {
              RegistryReactiveProperties p = context.getBean(RegistryReactiveProperties.class);
              assertThat(p.getUsername()).isNull();
              assertThat(p.getConcurrency()).isNull();
              assertThat(p.getRetry().getAttempts()).isNull();
              assertThat(p.getTls().isInsecure()).isFalse();
              assertThat(p.isConnectionMetrics()).isFalse();
              assertThat(context.getBean(ReactiveRegistryClient.class).listener())
                  .isSameAs(RegistryListener.NONE);
            });
  }

  @Test
  void credentialsAndRetryAttempts_reachTheRegistry() {
    registry.stubFor(get(urlPathEqualTo(TAGS)).willReturn(aResponse().withStatus(503)));
    withStub(
            "registry.reactive.username=ci",
            "registry.reactive.password=s3cret",
            "registry.reactive.retry.attempts=2",
            "registry.reactive.retry.backoff=5ms")
        .run(
            context -> {
              StepVerifier.create(context.getBean(ReactiveRegistryClient.class).tags("team/app"))
                  .expectError()
                  .verify(WAIT);
              List<com.github.tomakehurst.wiremock.verification.LoggedRequest> sent =
                  registry.findAll(getRequestedFor(urlPathEqualTo(TAGS)));
              assertThat(sent).hasSize(2);
              // Basic credentials are sent preemptively only after a challenge; a 503 without one
              // means none were needed, so only the count is checked here (auth:
              // StarterRegistryIT).
            });
  }

  @Test
  void missingUrl_failsNamingTheProperty() {
    runner.run(
        context ->
            assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("registry.reactive.url is required"));
  }

  @Test
  void badValues_failNamingTheirProperty() {
    withStub("registry.reactive.concurrency=0")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("invalid registry.reactive.concurrency"));
    withStub("registry.reactive.retry.attempts=0")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("invalid registry.reactive.retry.attempts"));
    withStub("registry.reactive.rate-limit=-1")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("invalid registry.reactive.rate-limit"));
    withStub("registry.reactive.tls.client-cert=/tmp/c.pem")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining(
                        "tls.client-cert and registry.reactive.tls.client-key go together"));
    withStub("registry.reactive.connect-timeout=soon")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("registry.reactive.connect-timeout"));
    runner
        .withPropertyValues("registry.reactive.url=ftp://x")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .hasStackTraceContaining("invalid registry.reactive.url"));
  }

  @Test
  void micrometer_boundWhenAMeterRegistryBeanExists() {
    registry.stubFor(
        get(urlPathEqualTo(TAGS)).willReturn(okJson("{\"name\":\"team/app\",\"tags\":[\"v1\"]}")));
    withStub()
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              ReactiveRegistryClient client = context.getBean(ReactiveRegistryClient.class);
              assertThat(client.listener()).isInstanceOf(RegistryMetrics.class);
              StepVerifier.create(client.tags("team/app").collectList())
                  .expectNext(List.of("v1"))
                  .verifyComplete();
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get(RegistryMetrics.REQUESTS)
                          .tags("endpoint", "tags", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void micrometer_absent_noBindingWithoutBeanOrWithoutTheClass() {
    withStub()
        .run(
            context ->
                assertThat(context.getBean(ReactiveRegistryClient.class).listener())
                    .isSameAs(RegistryListener.NONE));
    withStub()
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(ReactiveRegistryClient.class).listener())
                  .isSameAs(RegistryListener.NONE);
            });
  }

  @Test
  void health_absentWithoutSpringBootHealth() {
    withStub()
        .withClassLoader(new FilteredClassLoader(ReactiveHealthIndicator.class))
        .run(
            context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(RegistryHealthIndicator.class));
  }

  @Test
  void health_downAgainstAClosedPort_withoutCredentialsInDetails() {
    runner
        .withPropertyValues(
            "registry.reactive.url=http://127.0.0.1:1",
            "registry.reactive.username=ci",
            "registry.reactive.password=s3cret",
            "registry.reactive.retry.attempts=1")
        .run(
            context -> {
              Health health = context.getBean(RegistryHealthIndicator.class).health().block(WAIT);
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails())
                  .containsEntry("registry", "http://127.0.0.1:1")
                  .containsKey("error");
              assertThat(health.getDetails().toString()).doesNotContain("s3cret");
            });
  }

  @Test
  void userBeans_replaceTheAutoConfiguredOnes() {
    ReactiveRegistryClient own =
        ReactiveRegistryClient.builder().baseUrl("http://127.0.0.1:2").build();
    try {
      runner
          .withBean(ReactiveRegistryClient.class, () -> own)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ReactiveRegistryClient.class)).isSameAs(own);
              });
    } finally {
      own.close();
    }
  }

  @Test
  void customizers_applyAfterTheProperties() {
    RegistryListener mine = new RegistryListener() {};
    withStub()
        .withBean(RegistryClientBuilderCustomizer.class, () -> b -> b.listener(mine))
        .run(
            context ->
                assertThat(context.getBean(ReactiveRegistryClient.class).listener())
                    .isSameAs(mine));
  }

  @Test
  void client_closedWithTheContext() {
    registry.stubFor(get(urlPathEqualTo("/v2/")).willReturn(okJson("{}")));
    ReactiveRegistryClient[] client = new ReactiveRegistryClient[1];
    withStub("registry.reactive.retry.attempts=1")
        .run(
            context -> {
              client[0] = context.getBean(ReactiveRegistryClient.class);
              StepVerifier.create(client[0].checkAuth()).verifyComplete();
            });
    // The run closed the context: the client's pool is gone, so a request fails instead of being
    // sent.
    int before = registry.findAll(getRequestedFor(urlPathEqualTo("/v2/"))).size();
    StepVerifier.create(client[0].checkAuth()).expectError().verify(WAIT);
    assertThat(registry.findAll(getRequestedFor(urlPathEqualTo("/v2/")))).hasSize(before);
  }
}
