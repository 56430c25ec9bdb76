package io.registryreactive.spring;

import io.registryreactive.ReactiveRegistryClient;

/**
 * Adjusts the builder of the auto-configured client after the {@code registry.reactive.*}
 * properties were applied; every bean of this type is applied, in {@code @Order}.
 */
@FunctionalInterface
public interface RegistryClientBuilderCustomizer {

  /**
   * @param builder the builder, properties already applied
   */
  void customize(ReactiveRegistryClient.Builder builder);
}
