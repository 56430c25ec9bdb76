package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.TestDigests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoredBlobs}, the account {@link EstimateVsGcIT} checks the pruner against, on a storage
 * tree written by hand in distribution's layout: if it misread the layout, that test would blame
 * the product for the harness.
 */
class StoredBlobsTest {

  @TempDir Path root;

  private Path v2;
  private String layer;
  private String config;
  private String child;
  private String index;
  private String stray;
  private String missing;

  @BeforeEach
  void writeStorage() throws IOException {
    v2 = root.resolve("docker/registry/v2");
    layer = blob("layer bytes");
    config = blob("{\"architecture\":\"amd64\"}");
    child =
        blob(
            "{\"config\":{\"digest\":\""
                + config
                + "\"},\"layers\":[{\"digest\":\""
                + layer
                + "\"}]}");
    index = blob("{\"manifests\":[{\"digest\":\"" + child + "\"}]}");
    stray = blob("a layer no manifest names");
    missing = TestDigests.sha256("a manifest whose body is gone");

    revision("team/a", index);
    revision("team/a", child);
    // A manifest deleted through the API: distribution removes the link and leaves the folder.
    Files.createDirectories(
        v2.resolve("repositories/team/a/_manifests/revisions/sha256")
            .resolve(TestDigests.sha256("deleted").substring(7)));
    revision("b", missing);
    Path tag = v2.resolve("repositories/team/a/_manifests/tags/stable/current");
    Files.createDirectories(tag);
    Files.writeString(tag.resolve("link"), index);
    // A tag whose manifest was deleted keeps its folder, without a current link.
    Files.createDirectories(v2.resolve("repositories/team/a/_manifests/tags/gone/index"));
  }

  @Test
  void blobSizes_listsEveryDataFileWithItsSize() {
    assertThat(StoredBlobs.in(root).blobSizes())
        .containsEntry(layer, (long) "layer bytes".length())
        .containsKeys(config, child, index, stray)
        .hasSize(5);
  }

  @Test
  void manifestsAndTags_followTheLinksOfEveryRepositoryNestedOrNot() {
    StoredBlobs storage = StoredBlobs.in(root);

    assertThat(storage.manifests())
        .isEqualTo(Map.of("team/a", Set.of(index, child), "b", Set.of(missing)));
    assertThat(storage.tags()).isEqualTo(Map.of("team/a:stable", index));
  }

  @Test
  void blobsOfStoredManifests_followsIndexChildrenConfigsAndLayers_andListsMissingManifests() {
    assertThat(StoredBlobs.in(root).blobsOfStoredManifests())
        .containsExactlyInAnyOrder(index, child, config, layer, missing);
  }

  @Test
  void freed_sumsTheSizesOfTheBlobsThatAreGone() {
    Map<String, Long> before = Map.of("sha256:a", 10L, "sha256:b", 20L, "sha256:c", 40L);

    assertThat(StoredBlobs.freed(before, Map.of("sha256:b", 20L))).isEqualTo(50L);
    assertThat(StoredBlobs.freed(before, before)).isZero();
  }

  @Test
  void anEmptyStorage_holdsNothing() {
    StoredBlobs empty = StoredBlobs.in(root.resolve("nothing-here"));

    assertThat(empty.blobSizes()).isEmpty();
    assertThat(empty.manifests()).isEmpty();
    assertThat(empty.blobsOfStoredManifests()).isEmpty();
  }

  private String blob(String content) throws IOException {
    String digest = TestDigests.sha256(content);
    String hex = digest.substring("sha256:".length());
    Path dir = v2.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("data"), content, StandardCharsets.UTF_8);
    return digest;
  }

  private void revision(String repository, String digest) throws IOException {
    Path dir =
        v2.resolve("repositories")
            .resolve(repository)
            .resolve("_manifests/revisions/sha256")
            .resolve(digest.substring("sha256:".length()));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("link"), digest);
  }
}
