package io.registryreactive.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small WebFlux service over the SDK: the registry's repositories, tags and image metadata as
 * non-blocking HTTP endpoints, and prune plans (nothing is deleted).
 *
 * <p>The {@code ReactiveRegistryClient} comes from {@code registry-reactive-spring-boot-starter}:
 * {@code registry.reactive.url} (required), {@code registry.reactive.username} and {@code
 * registry.reactive.password} (optional) and the starter's other {@code registry.reactive.*}
 * properties; closed with the context. {@code registry.page-size} is the catalog page size (default
 * 100).
 */
@SpringBootApplication
public class RegistryWebApplication {

  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, e.g. {@code --registry.reactive.url=http://127.0.0.1:5000}
   */
  public static void main(String[] args) {
    SpringApplication.run(RegistryWebApplication.class, args);
  }
}
