package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.DeletionDisabledException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Deletes refused by the registry's configuration. These tests restart the class's own registry
 * with other storage options and restore deletion in {@code finally}, so no other class sees the
 * change.
 */
@RealRegistry
class DeletionDisabledIT {

  private final RegistryProcess registry;
  // No retries: a retryable refusal must surface at once rather than after the backoff schedule.
  private final ReactiveRegistryClient client;
  private final ImageSeeder seeder;

  DeletionDisabledIT(RegistryProcess registry) {
    this.registry = registry;
    this.client =
        RegistryClients.builder(registry)
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .retry(RetryOptions.disabled())
            .build();
    this.seeder = new ImageSeeder(client);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void delete_whenDeletionDisabled_failsSayingHowToEnable_andKeepsTheImage() {
    ImageMetadata pushed =
        seeder.push("disabled/app", "v1", TestImages.image(41).docker()).block(TIMEOUT);
    try {
      registry.restartWith(false, false);

      StepVerifier.create(client.delete(pushed))
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(DeletionDisabledException.class)
                    .hasMessageContaining("storage")
                    .hasMessageContaining("delete")
                    .hasMessageContaining("enabled: true");
                DeletionDisabledException refused = (DeletionDisabledException) e;
                assertThat(refused.statusCode()).isEqualTo(405);
                assertThat(refused.hasErrorCode("UNSUPPORTED")).isTrue();
                assertThat(refused.isRetryable()).isFalse();
              })
          .verify(TIMEOUT);
      assertThat(client.metadata("disabled/app:v1").block(TIMEOUT))
          .extracting(ImageMetadata::digest)
          .isEqualTo(pushed.digest());
    } finally {
      registry.restartWith(true, false);
    }

    // Same client, same port: once deletion is enabled again the delete goes through.
    assertThat(client.delete(pushed).block(TIMEOUT))
        .extracting(DeleteResult::outcome)
        .isEqualTo(DeleteResult.Outcome.DELETED);
  }

  @Test
  void delete_whenRegistryIsReadOnly_failsAsRetryable_notAsDeletionDisabled() {
    ImageMetadata pushed =
        seeder.push("disabled/readonly", "v1", TestImages.image(42).oci()).block(TIMEOUT);
    try {
      registry.restartWith(true, true);

      StepVerifier.create(client.delete(pushed))
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(RegistryResponseException.class)
                    .isNotInstanceOf(DeletionDisabledException.class)
                    .hasMessageContaining("read-only");
                assertThat(((RegistryResponseException) e).statusCode()).isEqualTo(405);
                assertThat(((RegistryResponseException) e).isRetryable()).isTrue();
              })
          .verify(TIMEOUT);
    } finally {
      registry.restartWith(true, false);
    }
    assertThat(client.metadata("disabled/readonly:v1").block(TIMEOUT))
        .extracting(ImageMetadata::digest)
        .isEqualTo(pushed.digest());
  }
}
