package io.registryreactive.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.micrometer.RegistryMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configures a {@link ReactiveRegistryClient} from {@code registry.reactive.*} (see {@link
 * RegistryReactiveProperties}), closed with the context; Micrometer meters ({@link
 * RegistryMetrics}) when a {@link MeterRegistry} bean exists; a health indicator {@code registry}
 * when Spring Boot's health support is on the class path. Each bean backs off when the application
 * defines its own.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(ReactiveRegistryClient.class)
@EnableConfigurationProperties(RegistryReactiveProperties.class)
public class RegistryReactiveAutoConfiguration {

  /** Created by Spring. */
  public RegistryReactiveAutoConfiguration() {}

  /**
   * The client.
   *
   * @param properties {@code registry.reactive.*}
   * @param customizers applied after the properties, in order
   * @return the client; closed when the context closes
   * @throws IllegalStateException naming the property, for a missing url or a bad value
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ReactiveRegistryClient registryClient(
      RegistryReactiveProperties properties,
      ObjectProvider<RegistryClientBuilderCustomizer> customizers) {
    ReactiveRegistryClient.Builder builder = RegistryClientFactory.builder(properties);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("registry.reactive: " + e.getMessage(), e);
    }
  }

  /**
   * Micrometer binding, only with Micrometer on the class path and a {@link MeterRegistry} bean.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    @Order(0)
    @ConditionalOnBean(MeterRegistry.class)
    RegistryClientBuilderCustomizer registryMetricsCustomizer(MeterRegistry registry) {
      return builder -> builder.listener(RegistryMetrics.of(registry));
    }
  }

  /** Health indicator, only with Spring Boot's health support on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ReactiveHealthIndicator.class)
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "registryHealthIndicator")
    RegistryHealthIndicator registryHealthIndicator(ReactiveRegistryClient client) {
      return new RegistryHealthIndicator(client, RegistryHealthIndicator.DEFAULT_TIMEOUT);
    }
  }
}
