package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.AuthenticationException;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.model.Platform;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Authentication, push, metadata and manifest reads against a real registry. Every test uses its
 * own repository, so they share the class's registry without seeing each other's images.
 */
@RealRegistry
class ClientIT {

  private final RegistryProcess registry;
  private final ReactiveRegistryClient client;
  private final ImageSeeder seeder;

  ClientIT(RegistryProcess registry, ReactiveRegistryClient client) {
    this.registry = registry;
    this.client = client;
    this.seeder = new ImageSeeder(client);
  }

  @Test
  void checkAuth_withGoodCredentials_completes() {
    StepVerifier.create(client.checkAuth()).expectComplete().verify(TIMEOUT);
  }

  @Test
  void checkAuth_withWrongPassword_failsWithAuthenticationExceptionWithoutThePassword() {
    String wrong = registry.password() + "-wrong";
    try (ReactiveRegistryClient wrongClient = RegistryClients.withPassword(registry, wrong)) {
      StepVerifier.create(wrongClient.checkAuth())
          .expectErrorSatisfies(
              e -> {
                assertThat(e).isInstanceOf(AuthenticationException.class);
                assertThat(((AuthenticationException) e).statusCode()).isEqualTo(401);
                assertThat(e.getMessage())
                    .doesNotContain(wrong)
                    .doesNotContain(registry.password());
              })
          .verify(TIMEOUT);
    }
  }

  @Test
  void checkAuth_anonymous_failsWithAuthenticationException() {
    try (ReactiveRegistryClient anonymous = RegistryClients.anonymous(registry)) {
      StepVerifier.create(anonymous.checkAuth())
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(AuthenticationException.class)
                      .extracting(x -> ((AuthenticationException) x).statusCode())
                      .isEqualTo(401))
          .verify(TIMEOUT);
    }
  }

  @Test
  void metadata_ofDockerV2Manifest_byTagAndDigest_matchesPushedDigestMediaTypeAndSize() {
    ImageBlueprint image = TestImages.image(11).layers(2, 700).docker();

    assertResolvesAsPushed("client/docker", "1.0", image);
  }

  @Test
  void metadata_ofOciManifest_byTagAndDigest_matchesPushedDigestMediaTypeAndSize() {
    ImageBlueprint image = TestImages.image(12).layers(3, 300).oci();

    assertResolvesAsPushed("client/oci", "v1", image);
  }

  @Test
  void metadata_ofOciIndex_byTagAndDigest_matchesPushedDigestMediaTypeAndSize() {
    ImageBlueprint index = multiArchIndex(13);

    assertResolvesAsPushed("client/index", "multi", index);

    // The children were pushed by digest only; each resolves by its own digest and type.
    for (ImageBlueprint child : index.children()) {
      ImageMetadata meta = client.metadata("client/index@" + child.manifestDigest()).block(TIMEOUT);
      assertThat(meta).isNotNull();
      assertThat(meta.digest()).isEqualTo(child.manifestDigest());
      assertThat(meta.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(meta.size()).isEqualTo(child.manifest().length);
    }
  }

  @Test
  void manifest_ofOciIndex_parsesChildrenWithTheirPlatforms() {
    ImageBlueprint index = multiArchIndex(14);
    seeder.push("client/parsed-index", "latest", index).block(TIMEOUT);

    Manifest manifest = client.manifest("client/parsed-index:latest").block(TIMEOUT);

    assertThat(manifest).isInstanceOf(ImageIndex.class);
    ImageIndex parsed = (ImageIndex) manifest;
    assertThat(parsed.digest()).isEqualTo(index.manifestDigest());
    assertThat(parsed.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(parsed.raw()).isEqualTo(index.manifest());
    assertThat(parsed.childDigests())
        .containsExactly(
            index.children().get(0).manifestDigest(), index.children().get(1).manifestDigest());
    assertThat(parsed.manifests())
        .extracting(Descriptor::platform)
        .containsExactly(
            Optional.of(Platform.of("linux", "amd64")),
            Optional.of(Platform.of("linux", "arm64", "v8")));
    assertThat(parsed.manifests())
        .extracting(Descriptor::mediaType)
        .containsOnly(MediaTypes.OCI_MANIFEST);
    assertThat(parsed.manifests())
        .extracting(Descriptor::size)
        .containsExactly(
            (long) index.children().get(0).manifest().length,
            (long) index.children().get(1).manifest().length);
  }

  @Test
  void manifestAndBlob_ofChildByDigest_giveLayersAndConfigBytes() {
    ImageBlueprint index = multiArchIndex(15);
    seeder.push("client/child", "latest", index).block(TIMEOUT);
    ImageBlueprint arm = index.children().get(1);

    Manifest manifest = client.manifest("client/child@" + arm.manifestDigest()).block(TIMEOUT);

    assertThat(manifest).isInstanceOf(ImageManifest.class);
    ImageManifest image = (ImageManifest) manifest;
    assertThat(image.digest()).isEqualTo(arm.manifestDigest());
    assertThat(image.layers())
        .extracting(Descriptor::digest)
        .containsExactlyElementsOf(arm.layers().stream().map(b -> b.digest()).toList());
    assertThat(image.totalSize()).isEqualTo(arm.totalSize());
    String configDigest = image.config().digest();
    assertThat(configDigest).isEqualTo(arm.config().orElseThrow().digest());
    assertThat(client.blob("client/child", configDigest).block(TIMEOUT))
        .isEqualTo(arm.config().orElseThrow().bytes());
  }

  @Test
  void metadata_ofUnknownTag_failsWithNotFound() {
    seeder.push("client/known", "exists", TestImages.image(16).docker()).block(TIMEOUT);

    StepVerifier.create(client.metadata("client/known:missing"))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NotFoundException.class)
                    .extracting(x -> ((NotFoundException) x).statusCode())
                    .isEqualTo(404))
        .verify(TIMEOUT);
  }

  @Test
  void metadata_ofReferenceNamingAnotherRegistry_failsBeforeAnyRequest() {
    long attemptsBefore = client.metrics().attempts();

    assertThatThrownBy(
            () -> client.metadata("registry.example.com/client/docker:1.0").block(TIMEOUT))
        .isInstanceOf(io.registryreactive.InvalidReferenceException.class)
        .hasMessageContaining(registry.hostPort());
    assertThat(client.metrics().attempts()).isEqualTo(attemptsBefore);
  }

  @Test
  void pushManifest_withNullTag_signalsNullPointerNamingTheArgument() {
    ImageBlueprint image = TestImages.image(17).docker();

    StepVerifier.create(
            client.pushManifest("client/null-tag", null, image.manifest(), image.mediaType()))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("'tag' must not be null"))
        .verify(TIMEOUT);
  }

  private void assertResolvesAsPushed(String repository, String tag, ImageBlueprint image) {
    ImageMetadata pushed = seeder.push(repository, tag, image).block(TIMEOUT);
    assertThat(pushed).isNotNull();
    assertThat(pushed.digest()).isEqualTo(image.manifestDigest());

    ImageMetadata byTag = client.metadata(repository + ":" + tag).block(TIMEOUT);
    ImageMetadata byDigest =
        client.metadata(repository + "@" + image.manifestDigest()).block(TIMEOUT);

    assertThat(byTag)
        .isEqualTo(
            new ImageMetadata(
                repository,
                Optional.of(tag),
                image.manifestDigest(),
                image.mediaType(),
                image.manifest().length));
    assertThat(byDigest)
        .isEqualTo(
            new ImageMetadata(
                repository,
                Optional.empty(),
                image.manifestDigest(),
                image.mediaType(),
                image.manifest().length));
  }

  private static ImageBlueprint multiArchIndex(long seed) {
    ImageBlueprint amd64 = TestImages.image(seed).layers(2, 400).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(seed + 1000).layers(2, 400).platform("linux", "arm64", "v8").oci();
    return TestImages.index(List.of(amd64, arm64), true);
  }
}
