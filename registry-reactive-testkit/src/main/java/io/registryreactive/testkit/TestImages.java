package io.registryreactive.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.model.Platform;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Realistic test images, the same bytes for the same inputs on every run and machine.
 *
 * <pre>{@code
 * ImageBlueprint amd64 = TestImages.image(1).layers(3, 4096).platform("linux", "amd64").oci();
 * ImageBlueprint arm64 = TestImages.image(2).layers(3, 4096).platform("linux", "arm64", "v8").oci();
 * ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
 * }</pre>
 *
 * <p>Layer {@code i} of seed {@code s} has the same bytes in every image, so images with the same
 * seed (or {@link ImageBuilder#baseLayers}) share layers, as images built on one base do. Two
 * images that differ only in creation time share all layers but not config or manifest.
 */
public final class TestImages {

  /** Default creation time of an image: 2024-01-01T00:00:00Z. */
  public static final Instant DEFAULT_CREATED = Instant.parse("2024-01-01T00:00:00Z");

  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final long LAYER_SALT = 0x9E3779B97F4A7C15L;

  // Docker and registries pretty-print manifests; a fixed "\n" keeps digests equal across
  // platforms.
  /**
   * The kit's own mapper: it only builds and writes trees, and keeps the kit off the core's
   * internals.
   */
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final ObjectWriter MANIFEST_WRITER;

  static {
    DefaultIndenter indenter = new DefaultIndenter("   ", "\n");
    MANIFEST_WRITER =
        MAPPER.writer(
            new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter));
  }

  private TestImages() {}

  /**
   * Starts an image. Defaults: 2 layers of 512 bytes, created {@link #DEFAULT_CREATED}, platform
   * {@code linux/amd64}.
   *
   * @param seed determines the layer bytes and marks the config, so different seeds give different
   *     images
   * @return a builder
   */
  public static ImageBuilder image(long seed) {
    return new ImageBuilder(seed);
  }

  /**
   * An index listing the children with their platforms.
   *
   * @param children the manifests to list; images get a {@code platform} entry, nested indexes none
   * @param oci {@code true} for an OCI image index, {@code false} for a Docker manifest list
   * @return the blueprint; its blobs are the children's, and its created time the newest child's
   * @throws IllegalArgumentException if {@code children} is empty
   */
  public static ImageBlueprint index(List<ImageBlueprint> children, boolean oci) {
    if (children.isEmpty()) {
      throw new IllegalArgumentException("an index needs at least one child");
    }
    String mediaType = oci ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST;
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", mediaType);
    ArrayNode manifests = root.putArray("manifests");
    Set<Blob> blobs = new LinkedHashSet<>();
    long totalSize = 0;
    Instant created = Instant.MIN;
    for (ImageBlueprint child : children) {
      ObjectNode entry = manifests.addObject();
      entry.put("mediaType", child.mediaType());
      entry.put("digest", child.manifestDigest());
      entry.put("size", child.manifest().length);
      child
          .platform()
          .ifPresent(
              platform -> {
                ObjectNode node = entry.putObject("platform");
                node.put("architecture", platform.architecture());
                node.put("os", platform.os());
                if (!platform.variant().isEmpty()) {
                  node.put("variant", platform.variant());
                }
              });
      blobs.addAll(child.blobs());
      totalSize += child.totalSize();
      created = created.isAfter(child.created()) ? created : child.created();
    }
    byte[] manifest = write(MANIFEST_WRITER, root);
    return new ImageBlueprint(
        mediaType,
        manifest,
        TestDigests.sha256(manifest),
        Optional.empty(),
        List.of(),
        new ArrayList<>(blobs),
        children,
        Optional.empty(),
        created,
        totalSize);
  }

  /**
   * The usual multi-platform image: an OCI index over a {@code linux/amd64} image of {@code seed}
   * and a {@code linux/arm64/v8} image of {@code seed + 1}, each with the defaults of {@link
   * #image}.
   *
   * @param seed the amd64 child's seed; the arm64 child's is {@code seed + 1}
   * @return the index; its {@link ImageBlueprint#children()} are amd64, then arm64
   */
  public static ImageBlueprint twoPlatformIndex(long seed) {
    return twoPlatformIndex(seed, 2, 512);
  }

  /**
   * {@link #twoPlatformIndex(long)} with children of {@code layers} layers of {@code layerBytes}.
   *
   * @param seed the amd64 child's seed; the arm64 child's is {@code seed + 1}
   * @param layers how many layers each child has
   * @param layerBytes the size of each layer
   * @return the index; its {@link ImageBlueprint#children()} are amd64, then arm64
   */
  public static ImageBlueprint twoPlatformIndex(long seed, int layers, int layerBytes) {
    return index(
        List.of(
            image(seed).layers(layers, layerBytes).platform("linux", "amd64").oci(),
            image(seed + 1).layers(layers, layerBytes).platform("linux", "arm64", "v8").oci()),
        true);
  }

  /** Describes one image; {@link #docker()} or {@link #oci()} makes it. Not thread-safe. */
  public static final class ImageBuilder {
    private final long seed;
    private final List<LayerSpec> baseLayers = new ArrayList<>();
    private int layerCount = 2;
    private int layerSize = 512;
    private Instant created = DEFAULT_CREATED;
    private Platform platform = Platform.of("linux", "amd64");
    private final Map<String, String> annotations = new LinkedHashMap<>();

    private ImageBuilder(long seed) {
      this.seed = seed;
    }

    /**
     * The image's own layers, on top of any {@link #baseLayers}.
     *
     * @param count the number of layers, 0 or more
     * @param sizeBytes the size of each layer in bytes, 0 or more
     * @return this builder
     */
    public ImageBuilder layers(int count, int sizeBytes) {
      if (count < 0 || sizeBytes < 0) {
        throw new IllegalArgumentException("count and sizeBytes must not be negative");
      }
      this.layerCount = count;
      this.layerSize = sizeBytes;
      return this;
    }

    /**
     * Puts the first layers of another seed under this image's layers, as a shared base image.
     * {@code image(t).baseLayers(s, 2, 100)} shares its first two layers with {@code
     * image(s).layers(n, 100)} for any {@code n >= 2}.
     *
     * @param baseSeed the seed of the base image
     * @param count the number of base layers
     * @param sizeBytes the size of each base layer in bytes
     * @return this builder
     */
    public ImageBuilder baseLayers(long baseSeed, int count, int sizeBytes) {
      if (count < 0 || sizeBytes < 0) {
        throw new IllegalArgumentException("count and sizeBytes must not be negative");
      }
      for (int i = 0; i < count; i++) {
        baseLayers.add(new LayerSpec(baseSeed, i, sizeBytes));
      }
      return this;
    }

    /**
     * The config's {@code created} time.
     *
     * @param created the creation time
     * @return this builder
     */
    public ImageBuilder created(Instant created) {
      this.created = created;
      return this;
    }

    /**
     * The platform in the config (and in the entry of an index that lists the image).
     *
     * @param os for example {@code linux}
     * @param architecture for example {@code amd64}
     * @return this builder
     */
    public ImageBuilder platform(String os, String architecture) {
      this.platform = Platform.of(os, architecture);
      return this;
    }

    /**
     * The platform with a CPU variant, such as {@code linux/arm64/v8}.
     *
     * @param os for example {@code linux}
     * @param architecture for example {@code arm64}
     * @param variant for example {@code v8}
     * @return this builder
     */
    public ImageBuilder platform(String os, String architecture, String variant) {
      this.platform = Platform.of(os, architecture, variant);
      return this;
    }

    /**
     * Adds an annotation to the manifest, for example {@code org.opencontainers.image.created}.
     *
     * @param key the annotation key
     * @param value the annotation value
     * @return this builder
     */
    public ImageBuilder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    /**
     * @return the image as a Docker schema 2 manifest with Docker config and layer types
     */
    public ImageBlueprint docker() {
      return build(
          MediaTypes.DOCKER_MANIFEST_V2, MediaTypes.DOCKER_CONFIG, MediaTypes.DOCKER_LAYER);
    }

    /**
     * @return the image as an OCI manifest with OCI config and layer types
     */
    public ImageBlueprint oci() {
      return build(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, MediaTypes.OCI_LAYER);
    }

    private ImageBlueprint build(String mediaType, String configType, String layerType) {
      List<LayerSpec> specs = new ArrayList<>(baseLayers);
      for (int i = 0; i < layerCount; i++) {
        specs.add(new LayerSpec(seed, i, layerSize));
      }
      List<Blob> layers = new ArrayList<>();
      for (LayerSpec spec : specs) {
        layers.add(Blob.of(layerType, spec.bytes()));
      }
      Blob config = Blob.of(configType, config(layers));

      ObjectNode root = MAPPER.createObjectNode();
      root.put("schemaVersion", 2);
      root.put("mediaType", mediaType);
      putDescriptor(root.putObject("config"), config);
      ArrayNode layerArray = root.putArray("layers");
      for (Blob layer : layers) {
        putDescriptor(layerArray.addObject(), layer);
      }
      if (!annotations.isEmpty()) {
        ObjectNode node = root.putObject("annotations");
        annotations.forEach(node::put);
      }
      byte[] manifest = write(MANIFEST_WRITER, root);

      Set<Blob> blobs = new LinkedHashSet<>();
      blobs.add(config);
      blobs.addAll(layers);
      long totalSize =
          config.size() + manifest.length + layers.stream().mapToLong(Blob::size).sum();
      return new ImageBlueprint(
          mediaType,
          manifest,
          TestDigests.sha256(manifest),
          Optional.of(config),
          layers,
          new ArrayList<>(blobs),
          List.of(),
          Optional.of(platform),
          created,
          totalSize);
    }

    /** A config as Docker writes it: compact, keys sorted, rootfs listing one diff ID per layer. */
    private byte[] config(List<Blob> layers) {
      String createdText = DateTimeFormatter.ISO_INSTANT.format(created);
      ObjectNode root = MAPPER.createObjectNode();
      root.put("architecture", platform.architecture());
      ObjectNode config = root.putObject("config");
      config
          .putArray("Env")
          .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      config.putArray("Cmd").add("/bin/sh");
      config.putObject("Labels").put("io.registryreactive.test.seed", Long.toString(seed));
      root.put("created", createdText);
      ArrayNode history = root.putArray("history");
      ArrayNode diffIds = MAPPER.createArrayNode();
      for (int i = 0; i < layers.size(); i++) {
        history
            .addObject()
            .put("created", createdText)
            .put("created_by", "/bin/sh -c #(nop) ADD file:layer-" + i + " in / ");
        byte[] bytes = layers.get(i).bytes();
        // Stands in for the digest of the uncompressed tar: the bytes after the gzip header.
        byte[] body =
            Arrays.copyOfRange(bytes, Math.min(bytes.length, GZIP_HEADER.length), bytes.length);
        diffIds.add(TestDigests.sha256(body));
      }
      root.put("os", platform.os());
      ObjectNode rootfs = root.putObject("rootfs");
      rootfs.put("type", "layers");
      rootfs.set("diff_ids", diffIds);
      if (!platform.variant().isEmpty()) {
        root.put("variant", platform.variant());
      }
      return write(MAPPER.writer(), root);
    }

    private static void putDescriptor(ObjectNode node, Blob blob) {
      node.put("mediaType", blob.mediaType());
      node.put("size", blob.size());
      node.put("digest", blob.digest());
    }
  }

  /** Layer {@code index} of {@code seed}: a gzip header, then seeded random bytes. */
  private record LayerSpec(long seed, int index, int size) {
    byte[] bytes() {
      byte[] bytes = new byte[size];
      Random random = new Random(seed ^ (LAYER_SALT * (index + 1L)));
      random.nextBytes(bytes);
      System.arraycopy(GZIP_HEADER, 0, bytes, 0, Math.min(size, GZIP_HEADER.length));
      return bytes;
    }
  }

  private static byte[] write(ObjectWriter writer, ObjectNode node) {
    try {
      return writer.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
