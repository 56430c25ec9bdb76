package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.internal.json.Digests;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.Skopeo;
import io.registryreactive.testkit.TestImages;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK and skopeo agree: what the SDK pushes, skopeo reads with the same digest and bytes; what
 * skopeo writes, the SDK resolves to the digest skopeo reports.
 */
@RealRegistry
class SkopeoInteropIT {

  private final ReactiveRegistryClient client;
  private final ImageSeeder seeder;
  private final Skopeo skopeo;

  SkopeoInteropIT(RegistryProcess registry, ReactiveRegistryClient client, @TempDir Path workDir) {
    this.skopeo = Skopeo.forRegistry(registry, workDir);
    this.client = client;
    this.seeder = new ImageSeeder(client);
  }

  @Test
  void skopeoInspect_ofDockerImagePushedBySdk_reportsTheSdkDigestAndBytes() {
    ImageBlueprint image = TestImages.image(51).layers(2, 1024).docker();
    ImageMetadata pushed = seeder.push("interop/sdk-docker", "1.0", image).block(TIMEOUT);

    JsonNode inspected = skopeo.inspect("interop/sdk-docker:1.0");
    byte[] raw = skopeo.inspectRaw("interop/sdk-docker:1.0");

    assertThat(inspected.path("Digest").asText()).isEqualTo(pushed.digest());
    assertThat(raw).isEqualTo(image.manifest());
    // skopeo read the config blob the SDK uploaded.
    assertThat(inspected.path("Created").asText()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(inspected.path("Layers"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(image.layers().stream().map(Blob::digest).toList());
  }

  @Test
  void skopeoInspect_ofOciIndexPushedBySdk_reportsTheIndexDigestAndBytes() {
    ImageBlueprint index = TestImages.twoPlatformIndex(52);
    ImageBlueprint arm64 = index.children().get(1);
    ImageMetadata pushed = seeder.push("interop/sdk-index", "multi", index).block(TIMEOUT);

    JsonNode inspected = skopeo.inspect("interop/sdk-index:multi");

    assertThat(inspected.path("Digest").asText())
        .isEqualTo(pushed.digest())
        .isEqualTo(index.manifestDigest());
    assertThat(skopeo.inspectRaw("interop/sdk-index:multi")).isEqualTo(index.manifest());
    assertThat(skopeo.inspectRaw("interop/sdk-index@" + arm64.manifestDigest()))
        .isEqualTo(arm64.manifest());
  }

  @Test
  void metadata_ofImageSkopeoConvertedFromOciLayout_hasTheDigestSkopeoReports(
      @TempDir Path layoutDir) {
    ImageBlueprint image = TestImages.image(54).layers(2, 512).oci();
    String source = OciLayout.write(layoutDir, "v1", image);

    // --format v2s2 makes skopeo write a Docker manifest of its own: a digest only skopeo knows.
    skopeo.copy(source, skopeo.docker("interop/from-skopeo:v1"), "--format", "v2s2");
    String skopeoDigest = skopeo.inspect("interop/from-skopeo:v1").path("Digest").asText();
    byte[] skopeoBytes = skopeo.inspectRaw("interop/from-skopeo:v1");

    ImageMetadata byTag = client.metadata("interop/from-skopeo:v1").block(TIMEOUT);
    Manifest manifest = client.manifest("interop/from-skopeo@" + skopeoDigest).block(TIMEOUT);

    assertThat(skopeoDigest)
        .isNotEqualTo(image.manifestDigest())
        .isEqualTo(Digests.sha256(skopeoBytes));
    assertThat(byTag.digest()).isEqualTo(skopeoDigest);
    assertThat(byTag.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_V2);
    assertThat(byTag.size()).isEqualTo(skopeoBytes.length);
    assertThat(manifest).isInstanceOf(ImageManifest.class);
    assertThat(manifest.raw()).isEqualTo(skopeoBytes);
    assertThat(((ImageManifest) manifest).layers())
        .extracting(Descriptor::digest)
        .containsExactlyElementsOf(image.layers().stream().map(Blob::digest).toList());
  }

  @Test
  void metadata_ofIndexSkopeoCopiedBetweenRepositories_hasTheDigestSkopeoReports() {
    ImageBlueprint index = TestImages.twoPlatformIndex(55);
    seeder.push("interop/copy-src", "1", index).block(TIMEOUT);

    skopeo.copy(skopeo.docker("interop/copy-src:1"), skopeo.docker("interop/copy-dst:1"), "--all");
    String skopeoDigest = skopeo.inspect("interop/copy-dst:1").path("Digest").asText();

    ImageMetadata copied = client.metadata("interop/copy-dst:1").block(TIMEOUT);
    Manifest manifest = client.manifest("interop/copy-dst:1").block(TIMEOUT);

    assertThat(copied.digest()).isEqualTo(skopeoDigest);
    assertThat(copied.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(manifest).isInstanceOf(ImageIndex.class);
    assertThat(((ImageIndex) manifest).childDigests())
        .containsExactlyElementsOf(
            index.children().stream().map(ImageBlueprint::manifestDigest).toList());
    // --all copied every child into the new repository; each resolves there by digest.
    for (String child : ((ImageIndex) manifest).childDigests()) {
      assertThat(client.metadata("interop/copy-dst@" + child).block(TIMEOUT))
          .extracting(ImageMetadata::mediaType)
          .isEqualTo(MediaTypes.OCI_MANIFEST);
    }
  }
}
