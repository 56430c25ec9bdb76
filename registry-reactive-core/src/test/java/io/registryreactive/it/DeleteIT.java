package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.InvalidReferenceException;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Manifest deletion against a registry with {@code storage.delete.enabled: true}. */
@RealRegistry
class DeleteIT {

  private final ReactiveRegistryClient client;
  private final ImageSeeder seeder;

  DeleteIT(RegistryProcess registry, ReactiveRegistryClient client) {
    this.client = client;
    this.seeder = new ImageSeeder(client);
  }

  @Test
  void delete_removesTheImage_andSecondDeleteIsAlreadyAbsent() {
    seeder.push("delete/once", "doomed", TestImages.image(31).docker()).block(TIMEOUT);
    ImageMetadata resolved = client.metadata("delete/once:doomed").block(TIMEOUT);

    StepVerifier.create(client.delete(resolved))
        .expectNext(
            new DeleteResult("delete/once", resolved.digest(), DeleteResult.Outcome.DELETED))
        .expectComplete()
        .verify(TIMEOUT);

    StepVerifier.create(client.metadata("delete/once:doomed"))
        .expectError(NotFoundException.class)
        .verify(TIMEOUT);
    StepVerifier.create(client.metadata(resolved.digestReference()))
        .expectError(NotFoundException.class)
        .verify(TIMEOUT);
    StepVerifier.create(client.delete(resolved))
        .expectNext(
            new DeleteResult("delete/once", resolved.digest(), DeleteResult.Outcome.ALREADY_ABSENT))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  void deleteManifest_ofDigestWithTwoTags_removesBothTags_andKeepsOtherImages() {
    ImageMetadata shared =
        seeder
            .push("delete/shared", List.of("stable", "1.4.2"), TestImages.image(32).oci())
            .block(TIMEOUT);
    ImageMetadata other =
        seeder.push("delete/shared", "next", TestImages.image(33).oci()).block(TIMEOUT);
    assertThat(client.tags("delete/shared").collectList().block(TIMEOUT))
        .containsExactlyInAnyOrder("stable", "1.4.2", "next");

    DeleteResult result = client.deleteManifest("delete/shared", shared.digest()).block(TIMEOUT);

    assertThat(result).extracting(DeleteResult::outcome).isEqualTo(DeleteResult.Outcome.DELETED);
    assertThat(client.tags("delete/shared").collectList().block(TIMEOUT)).containsExactly("next");
    StepVerifier.create(client.metadata("delete/shared:stable"))
        .expectError(NotFoundException.class)
        .verify(TIMEOUT);
    StepVerifier.create(client.metadata("delete/shared:1.4.2"))
        .expectError(NotFoundException.class)
        .verify(TIMEOUT);
    assertThat(client.metadata("delete/shared:next").block(TIMEOUT))
        .extracting(ImageMetadata::digest)
        .isEqualTo(other.digest());
  }

  @Test
  void deleteManifest_withTagInsteadOfDigest_failsWithoutSendingAnything() {
    ImageMetadata pushed =
        seeder.push("delete/by-tag", "keep", TestImages.image(34).docker()).block(TIMEOUT);
    long attemptsBefore = client.metrics().attempts();

    StepVerifier.create(client.deleteManifest("delete/by-tag", "keep"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(InvalidReferenceException.class)
                    .hasMessageContaining("metadata()"))
        .verify(TIMEOUT);

    assertThat(client.metrics().attempts()).isEqualTo(attemptsBefore);
    assertThat(client.metadata("delete/by-tag:keep").block(TIMEOUT))
        .extracting(ImageMetadata::digest)
        .isEqualTo(pushed.digest());
  }
}
