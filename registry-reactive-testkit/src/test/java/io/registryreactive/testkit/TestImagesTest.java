package io.registryreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.internal.json.ConfigBlob;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.internal.json.ManifestParser;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.model.Platform;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestImagesTest {

  private static final Instant CREATED = Instant.parse("2023-07-14T09:26:53.589793238Z");

  @Test
  void image_whenBuilt_everyDigestMatchesItsBytes() {
    ImageBlueprint image = TestImages.image(7).layers(3, 2048).created(CREATED).docker();

    assertThat(Digests.matches(image.manifestDigest(), image.manifest())).isTrue();
    assertThat(image.blobs())
        .hasSize(4)
        .allSatisfy(blob -> assertThat(Digests.matches(blob.digest(), blob.bytes())).isTrue());
    assertThat(image.layers()).allSatisfy(layer -> assertThat(layer.size()).isEqualTo(2048));
  }

  @Test
  void docker_whenParsed_manifestReferencesConfigAndLayersWithDockerTypes() {
    ImageBlueprint image = TestImages.image(7).layers(3, 2048).docker();

    ImageManifest parsed =
        (ImageManifest)
            ManifestParser.parse(image.manifest(), image.mediaType(), image.manifestDigest());

    Blob config = image.config().orElseThrow();
    assertThat(parsed.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_V2);
    assertThat(parsed.config())
        .isEqualTo(new Descriptor(MediaTypes.DOCKER_CONFIG, config.digest(), config.size()));
    assertThat(parsed.layers())
        .extracting(Descriptor::digest)
        .containsExactlyElementsOf(image.layers().stream().map(Blob::digest).toList());
    assertThat(parsed.layers())
        .extracting(Descriptor::mediaType)
        .containsOnly(MediaTypes.DOCKER_LAYER);
    assertThat(parsed.totalSize()).isEqualTo(image.totalSize());
  }

  @Test
  void oci_whenParsed_usesOciTypes() {
    ImageBlueprint image = TestImages.image(7).layers(1, 10).oci();

    ImageManifest parsed = (ImageManifest) ManifestParser.parse(image.manifest(), "");

    assertThat(image.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(parsed.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(parsed.config().mediaType()).isEqualTo(MediaTypes.OCI_CONFIG);
    assertThat(parsed.layers())
        .extracting(Descriptor::mediaType)
        .containsExactly(MediaTypes.OCI_LAYER);
    assertThat(parsed.digest()).isEqualTo(image.manifestDigest());
  }

  @Test
  void image_whenBuilt_configStatesCreatedAndPlatform() {
    ImageBlueprint image =
        TestImages.image(3).created(CREATED).platform("linux", "arm64", "v8").oci();

    byte[] config = image.config().orElseThrow().bytes();

    assertThat(ConfigBlob.parseCreated(config)).contains(CREATED);
    assertThat(ConfigBlob.parsePlatform(config)).contains(Platform.of("linux", "arm64", "v8"));
    assertThat(new String(config, java.nio.charset.StandardCharsets.UTF_8)).contains("\"rootfs\"");
    assertThat(image.created()).isEqualTo(CREATED);
  }

  @Test
  void image_whenBuiltTwiceFromSameSeed_isByteForByteEqual() {
    ImageBlueprint first = TestImages.image(42).layers(2, 1000).created(CREATED).oci();
    ImageBlueprint second = TestImages.image(42).layers(2, 1000).created(CREATED).oci();

    assertThat(second.manifest()).isEqualTo(first.manifest());
    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.blobs())
        .extracting(Blob::bytes)
        .containsExactlyElementsOf(first.blobs().stream().map(Blob::bytes).toList());
  }

  @Test
  void image_whenSeedsDiffer_sharesNoBlobs() {
    ImageBlueprint one = TestImages.image(1).layers(2, 1000).oci();
    ImageBlueprint two = TestImages.image(2).layers(2, 1000).oci();

    assertThat(two.manifestDigest()).isNotEqualTo(one.manifestDigest());
    assertThat(two.blobs()).doesNotContainAnyElementsOf(one.blobs());
  }

  @Test
  void image_whenNoLayersAndSeedsDiffer_stillDiffers() {
    ImageBlueprint one = TestImages.image(1).layers(0, 0).oci();
    ImageBlueprint two = TestImages.image(2).layers(0, 0).oci();

    assertThat(one.layers()).isEmpty();
    assertThat(two.manifestDigest()).isNotEqualTo(one.manifestDigest());
  }

  @Test
  void image_whenSameSeedButNewerCreated_sharesLayersButNotConfigOrManifest() {
    ImageBlueprint old = TestImages.image(5).created(CREATED).oci();
    ImageBlueprint rebuilt = TestImages.image(5).created(CREATED.plusSeconds(60)).oci();

    assertThat(rebuilt.layers()).containsExactlyElementsOf(old.layers());
    assertThat(rebuilt.config()).isNotEqualTo(old.config());
    assertThat(rebuilt.manifestDigest()).isNotEqualTo(old.manifestDigest());
  }

  @Test
  void baseLayers_whenFromAnotherSeed_areThatSeedsFirstLayers() {
    ImageBlueprint base = TestImages.image(100).layers(3, 512).oci();
    ImageBlueprint app = TestImages.image(200).baseLayers(100, 2, 512).layers(1, 64).oci();

    assertThat(app.layers()).hasSize(3);
    assertThat(app.layers().subList(0, 2)).containsExactlyElementsOf(base.layers().subList(0, 2));
    assertThat(app.layers().get(2)).isNotIn(base.layers());
  }

  @Test
  void index_whenOci_referencesChildrenWithTheirPlatforms() {
    ImageBlueprint amd64 = TestImages.image(1).platform("linux", "amd64").oci();
    ImageBlueprint arm64 = TestImages.image(2).platform("linux", "arm64", "v8").oci();

    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    ImageIndex parsed =
        (ImageIndex)
            ManifestParser.parse(index.manifest(), index.mediaType(), index.manifestDigest());

    assertThat(Digests.matches(index.manifestDigest(), index.manifest())).isTrue();
    assertThat(parsed.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(parsed.childDigests())
        .containsExactly(amd64.manifestDigest(), arm64.manifestDigest());
    assertThat(parsed.manifests())
        .extracting(Descriptor::size)
        .containsExactly((long) amd64.manifest().length, (long) arm64.manifest().length);
    assertThat(parsed.manifests())
        .extracting(d -> d.platform().orElseThrow())
        .containsExactly(Platform.of("linux", "amd64"), Platform.of("linux", "arm64", "v8"));
    assertThat(index.isIndex()).isTrue();
    assertThat(index.children()).containsExactly(amd64, arm64);
    assertThat(index.manifestsInPushOrder()).containsExactly(amd64, arm64, index);
  }

  @Test
  void index_whenDocker_isManifestListOfDockerManifests() {
    ImageBlueprint child = TestImages.image(1).docker();

    ImageBlueprint index = TestImages.index(List.of(child), false);
    ImageIndex parsed = (ImageIndex) ManifestParser.parse(index.manifest(), "");

    assertThat(index.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(parsed.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
    assertThat(parsed.manifests())
        .extracting(Descriptor::mediaType)
        .containsExactly(MediaTypes.DOCKER_MANIFEST_V2);
  }

  @Test
  void index_whenChildrenShareLayers_blobsAreUnionAndSizeIsSumOfChildren() {
    ImageBlueprint first = TestImages.image(9).created(CREATED).oci();
    ImageBlueprint second =
        TestImages.image(9).created(CREATED.plusSeconds(3600)).platform("linux", "arm64").oci();

    ImageBlueprint index = TestImages.index(List.of(first, second), true);

    // Two configs, and the two layers both children share.
    assertThat(index.blobs())
        .hasSize(4)
        .containsAll(first.blobs())
        .containsAll(second.blobs())
        .doesNotHaveDuplicates();
    assertThat(index.totalSize()).isEqualTo(first.totalSize() + second.totalSize());
    assertThat(index.created()).isEqualTo(CREATED.plusSeconds(3600));
    assertThat(index.config()).isEmpty();
    assertThat(index.platform()).isEmpty();
  }

  @Test
  void index_whenBuiltTwice_isDeterministic() {
    List<ImageBlueprint> children = List.of(TestImages.image(1).oci(), TestImages.image(2).oci());

    assertThat(TestImages.index(children, true).manifest())
        .isEqualTo(TestImages.index(children, true).manifest());
    assertThat(TestImages.index(children, true).manifestDigest())
        .isNotEqualTo(TestImages.index(children, false).manifestDigest());
  }
}
