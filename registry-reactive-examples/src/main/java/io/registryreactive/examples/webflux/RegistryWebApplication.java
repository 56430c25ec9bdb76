package io.registryreactive.examples.webflux;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small WebFlux service over the SDK: the registry's repositories, tags and image metadata as
 * non-blocking HTTP endpoints, and prune plans (nothing is deleted).
 *
 * <p>Configuration: {@code registry.url} (required), {@code registry.username} and {@code
 * registry.password} (optional), {@code registry.page-size} (catalog page size, default 100).
 */
@SpringBootApplication
public class RegistryWebApplication {

  /**
   * Starts the service.
   *
   * @param args Spring Boot arguments, e.g. {@code --registry.url=http://127.0.0.1:5000}
   */
  public static void main(String[] args) {
    SpringApplication.run(RegistryWebApplication.class, args);
  }

  /**
   * The one shared client; closed with the application context.
   *
   * @param url the registry URL
   * @param username the user name, empty for anonymous
   * @param password the password
   * @return the client
   */
  @Bean(destroyMethod = "close")
  ReactiveRegistryClient registryClient(
      @Value("${registry.url}") String url,
      @Value("${registry.username:}") String username,
      @Value("${registry.password:}") String password) {
    return ReactiveRegistryClient.builder()
        .baseUrl(url)
        .credentials(
            username.isEmpty()
                ? RegistryCredentials.anonymous()
                : RegistryCredentials.basic(username, password))
        .build();
  }
}
