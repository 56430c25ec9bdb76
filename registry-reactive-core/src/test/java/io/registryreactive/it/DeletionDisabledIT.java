package io.registryreactive.it;

import static io.registryreactive.testkit.Failures.failure;
import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.DeletionDisabledException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
    Refusal<DeletionDisabledException> r =
        refusedDelete(
            "disabled/app",
            TestImages.image(41).docker(),
            false,
            false,
            DeletionDisabledException.class);
    DeletionDisabledException refused = r.error();

    assertThat(refused)
        .hasMessageContaining("storage")
        .hasMessageContaining("delete")
        .hasMessageContaining("enabled: true");
    assertThat(refused.statusCode()).isEqualTo(405);
    assertThat(refused.hasErrorCode("UNSUPPORTED")).isTrue();
    assertThat(refused.isRetryable()).isFalse();
    // Same client, same port: once deletion is enabled again the delete goes through.
    assertThat(client.delete(r.pushed()).block(TIMEOUT))
        .extracting(DeleteResult::outcome)
        .isEqualTo(DeleteResult.Outcome.DELETED);
  }

  @Test
  void delete_whenRegistryIsReadOnly_failsAsRetryable_notAsDeletionDisabled() {
    RegistryResponseException e =
        refusedDelete(
                "disabled/readonly",
                TestImages.image(42).oci(),
                true,
                true,
                RegistryResponseException.class)
            .error();

    assertThat(e)
        .isNotInstanceOf(DeletionDisabledException.class)
        .hasMessageContaining("read-only");
    assertThat(e.statusCode()).isEqualTo(405);
    assertThat(e.isRetryable()).isTrue();
  }

  /** The image pushed, and the error its delete ended with. */
  private record Refusal<E>(ImageMetadata pushed, E error) {}

  /**
   * Pushes {@code image} as {@code repository:v1}, then deletes it while the registry runs with the
   * given storage options; checks that the tag still resolves to it while so configured, and
   * restores deletion whatever happens.
   */
  private <E extends RegistryResponseException> Refusal<E> refusedDelete(
      String repository,
      ImageBlueprint image,
      boolean deleteEnabled,
      boolean readOnly,
      Class<E> refusal) {
    ImageMetadata pushed = seeder.push(repository, "v1", image).block(TIMEOUT);
    try {
      registry.restartWith(deleteEnabled, readOnly);
      E e = failure(client.delete(pushed), refusal, TIMEOUT);
      assertThat(client.metadata(repository + ":v1").block(TIMEOUT))
          .extracting(ImageMetadata::digest)
          .isEqualTo(pushed.digest());
      return new Refusal<>(pushed, e);
    } finally {
      registry.restartWith(true, false);
    }
  }
}
