package io.registryreactive.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a blueprint as an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/...}), which skopeo reads as {@code oci:<dir>:<name>}. This puts images into
 * the registry through a client other than the SDK.
 */
final class OciLayout {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayout() {}

  /**
   * @param dir an empty or missing directory
   * @param name the {@code org.opencontainers.image.ref.name} of the image in the layout
   * @return {@code oci:<dir>:<name>}, the skopeo source
   */
  static String write(Path dir, String name, ImageBlueprint image) {
    try {
      Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
      for (Blob blob : image.blobs()) {
        Files.write(blobs.resolve(hex(blob.digest())), blob.bytes());
      }
      for (ImageBlueprint manifest : image.manifestsInPushOrder()) {
        Files.write(blobs.resolve(hex(manifest.manifestDigest())), manifest.manifest());
      }
      JSON.writeValue(dir.resolve("oci-layout").toFile(), Map.of("imageLayoutVersion", "1.0.0"));
      JSON.writeValue(
          dir.resolve("index.json").toFile(),
          Map.of(
              "schemaVersion",
              2,
              "manifests",
              List.of(
                  Map.of(
                      "mediaType", image.mediaType(),
                      "digest", image.manifestDigest(),
                      "size", image.manifest().length,
                      "annotations", Map.of("org.opencontainers.image.ref.name", name)))));
      return "oci:" + dir + ":" + name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hex(String digest) {
    if (!digest.startsWith("sha256:")) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    return digest.substring("sha256:".length());
  }
}
