package io.registryreactive.spring;

import io.registryreactive.ReactiveRegistryClient;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Health of the registry: {@code GET /v2/} through {@link ReactiveRegistryClient#checkAuth()} - up
 * when the registry answers and accepts the credentials, down with the error otherwise. Reactive,
 * so a health check never holds a thread while the registry answers. Details: {@code registry} (the
 * base URL, which never holds credentials) and, when down, {@code error} (the SDK's message, in
 * which credentials are always masked).
 */
public final class RegistryHealthIndicator implements ReactiveHealthIndicator {
  /** Default limit on one check: 10 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final ReactiveRegistryClient client;
  private final Duration timeout;

  /**
   * @param client the client to check
   * @param timeout how long a check may take before it is down
   */
  public RegistryHealthIndicator(ReactiveRegistryClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * @return the registry's health, never an error signal
   */
  @Override
  public Mono<Health> health() {
    String registry = client.baseUrl().toString();
    return client
        .checkAuth()
        .timeout(timeout)
        .then(Mono.fromSupplier(() -> Health.up().withDetail("registry", registry).build()))
        .onErrorResume(
            e ->
                Mono.just(
                    Health.down()
                        .withDetail("registry", registry)
                        .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build()));
  }
}
