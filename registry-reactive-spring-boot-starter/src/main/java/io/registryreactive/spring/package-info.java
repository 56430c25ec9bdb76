/**
 * Spring Boot auto-configuration of the registry-reactive client: {@link
 * io.registryreactive.spring.RegistryReactiveAutoConfiguration}, its properties {@link
 * io.registryreactive.spring.RegistryReactiveProperties} ({@code registry.reactive.*}), a builder
 * customizer hook and the {@code registry} health indicator.
 */
@NullMarked
package io.registryreactive.spring;

import org.jspecify.annotations.NullMarked;
