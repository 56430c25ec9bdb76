package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistryExtension;
import io.registryreactive.testkit.RegistryClients;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.Skopeo;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plan's estimate of reclaimable bytes against what the registry's garbage collector really
 * frees, on the data sets of issue 12, each in its own real registry and driven as a user would:
 * {@code registry-prune prune ... --registry-config CONFIG --apply --output json}, then, with the
 * registry stopped, {@code registry-prune gc CONFIG}.
 *
 * <p>Each data set checks, from the registry's storage read directly (never from the planner):
 *
 * <ol>
 *   <li>(a) the estimate ({@code totals.reclaimableBytes}) is within 10% of the bytes freed: the
 *       summed sizes of the blob {@code data} files under {@code docker/registry/v2/blobs} that
 *       garbage collection removed; when nothing is freed the estimate must be 0;
 *   <li>(b) the blobs left are exactly those the manifests left (in every repository, tagged or
 *       untagged) reference: manifest bytes, configs, layers, index children;
 *   <li>(c) every tag and every manifest left still pulls in full ({@code skopeo copy --all} to
 *       {@code dir:}).
 * </ol>
 *
 * <p>The data sets without untagged manifests also run without {@code --registry-config}: then the
 * pruner sees only what the API shows, and must still scan the repositories outside its scope. The
 * overwritten-tags data set always gives the config: without storage the untagged revisions cannot
 * be seen, and the estimate is only an upper bound.
 *
 * <p>It also checks which manifests and tags the prune left, and that GC freed exactly the blobs of
 * the deleted images that no image left needs (computed from the test images), so a prune that
 * deleted nothing cannot pass by freeing nothing, and the freed bytes are known to be measured
 * right. Each data set prints one row - data set, estimate, freed, difference - and appends it to
 * {@code target/estimate-vs-gc.txt}, a Markdown table for the README.
 */
@Timeout(120)
class EstimateVsGcIT {

  /** Size of each base layer: large, so a shared base counted as reclaimable shows. */
  private static final int BASE = 32 * 1024;

  /** Size of each image's own layer. */
  private static final int OWN = 8 * 1024;

  /** How far the estimate may be from what GC freed, as a fraction of the freed bytes. */
  private static final double TOLERANCE = 0.10;

  /** The tags of the synced-mirror data set, upstream and in the mirror. */
  private static final List<String> MIRROR_TAGS = List.of("1.0", "1.1", "1.2");

  private static final Path FIGURES = Path.of("target", "estimate-vs-gc.txt");
  private static final String PASSWORD_VARIABLE = "ESTIMATE_VS_GC_PASSWORD";
  private static final Pattern ELIGIBLE = Pattern.compile("Eligible for deletion: (\\d+) blobs");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Runs the test twice, its {@code boolean} parameter saying whether the pruner gets {@code
   * --registry-config}: the data sets without untagged manifests must be estimated right either
   * way.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @ParameterizedTest(name = "--registry-config given: {0}")
  @ValueSource(booleans = {true, false})
  private @interface WithAndWithoutRegistryConfig {}

  @TempDir Path work;

  private RegistryProcess registry;
  private ReactiveRegistryClient client;
  private ImageSeeder seeder;
  private StoredBlobs storage;
  private Skopeo skopeo;

  @BeforeEach
  void startRegistry() {
    boolean required =
        "true".equalsIgnoreCase(System.getenv(RealRegistryExtension.REQUIRE_ENV))
            || "true".equalsIgnoreCase(System.getenv("CI"));
    Assumptions.assumeTrue(
        required || RegistryProcess.findBinary().isPresent(),
        "no registry binary; install with: " + RegistryProcess.INSTALL_HINT);
    registry = RegistryProcess.builder().start();
    client = RegistryClients.authenticated(registry);
    seeder = new ImageSeeder(client);
    storage = StoredBlobs.in(registry.storageDir());
    skopeo = Skopeo.forRegistry(registry, work);
  }

  @AfterEach
  void closeRegistry() {
    // Null resources are skipped; the client is closed before the registry it talks to.
    try (RegistryProcess stopped = registry;
        ReactiveRegistryClient closed = client) {
      // nothing else to release
    }
  }

  /** {@code app:latest} pushed three times, plus {@code v1} (on the first latest's base) and v2. */
  private record Overwritten(
      ImageBlueprint latest1,
      ImageBlueprint latest2,
      ImageBlueprint latest3,
      ImageBlueprint v1,
      ImageBlueprint v2) {}

  private Overwritten seedOverwrittenTags() {
    ImageBlueprint latest1 = pushLayered("app", "latest", 101, 1100);
    ImageBlueprint latest2 = pushLayered("app", "latest", 102, 1100);
    ImageBlueprint latest3 = pushLayered("app", "latest", 103, 1103);
    return new Overwritten(
        latest1,
        latest2,
        latest3,
        pushLayered("app", "v1", 111, 1100),
        pushLayered("app", "v2", 112, 1112));
  }

  @Test
  void overwrittenTags_withoutUntagged_untaggedRevisionsAndTheirBlobsStayAndAreNotEstimated() {
    Overwritten set = seedOverwrittenTags();

    new DataSet("overwritten tags, untagged kept", true)
        .leaves("app", set.latest3(), "latest")
        .leaves("app", set.latest1())
        .leaves("app", set.latest2())
        .deletes(set.v1(), set.v2())
        .pruneCollectAndCheck("--repository", "app", "--keep", "app:latest");
  }

  /** Just pushed, so {@code --untagged-min-age 0s}: by default they would stay for an hour. */
  @Test
  void overwrittenTags_withUntagged_deletesTheUntaggedRevisionsAndEstimatesTheirBlobs() {
    Overwritten set = seedOverwrittenTags();

    new DataSet("overwritten tags, --untagged", true)
        .leaves("app", set.latest3(), "latest")
        .deletes(set.latest1(), set.latest2(), set.v1(), set.v2())
        .pruneCollectAndCheck(
            "--untagged",
            "--untagged-min-age",
            "0s",
            "--repository",
            "app",
            "--keep",
            "app:latest");
  }

  /**
   * {@code team/a:old} is built on the base of {@code other/b:1}, a repository outside the scope:
   * only what {@code old} holds alone is freed.
   */
  @WithAndWithoutRegistryConfig
  void excludedRepositorySharingLayers_sharedLayersAreNotEstimated(boolean registryConfig) {
    ImageBlueprint keep = pushLayered("team/a", "keep", 201, 1201);
    ImageBlueprint old = pushLayered("team/a", "old", 202, 1200);
    ImageBlueprint other = pushLayered("other/b", "1", 203, 1200);

    new DataSet("excluded repository sharing layers", registryConfig)
        .leaves("team/a", keep, "keep")
        .leaves("other/b", other, "1")
        .deletes(old)
        .pruneCollectAndCheck("--repository", "team/.*", "--keep", "team/a:keep");
  }

  /**
   * Pushes {@code src/x:1.0}, {@code 1.1} and {@code 1.2} ({@link #MIRROR_TAGS}) and copies each
   * with skopeo into {@code mirror/x}, which then holds the same manifests and blobs.
   *
   * @return the three images, in tag order
   */
  private List<ImageBlueprint> seedMirror() {
    List<ImageBlueprint> upstream =
        List.of(
            layered(301, 1300).docker(), layered(302, 1302).docker(), layered(303, 1300).docker());
    for (int i = 0; i < MIRROR_TAGS.size(); i++) {
      seeder.add("src/x", upstream.get(i), MIRROR_TAGS.get(i));
    }
    seeder.pushAll();
    for (int i = 0; i < MIRROR_TAGS.size(); i++) {
      String tag = MIRROR_TAGS.get(i);
      skopeo.copy(skopeo.docker("src/x:" + tag), skopeo.docker("mirror/x:" + tag));
      assertThat(storage.tags())
          .as("skopeo copied the manifest unchanged")
          .containsEntry("mirror/x:" + tag, upstream.get(i).manifestDigest());
    }
    return upstream;
  }

  /**
   * A synced mirror, pruned to {@code 1.2}. While upstream still holds every image, that frees
   * nothing, so the estimate must be 0 (the issue saw 604,627 bytes estimated for 32,916 freed on
   * such a prune); once upstream dropped {@code 1.0}, which only the mirror still holds, it frees
   * what {@code 1.0} alone held, as {@code 1.1} is still upstream.
   */
  @ParameterizedTest(name = "--registry-config given: {0}, upstream dropped 1.0: {1}")
  @CsvSource({"true, false", "false, false", "true, true", "false, true"})
  void syncedMirror_blobsUpstreamStillHoldsAreNotEstimated(
      boolean registryConfig, boolean upstreamDropped) {
    List<ImageBlueprint> v = seedMirror();
    if (upstreamDropped) {
      client.deleteManifest("src/x", v.get(0).manifestDigest()).block(RegistryClients.TIMEOUT);
    }

    DataSet set =
        new DataSet(
            upstreamDropped ? "synced mirror, upstream dropped 1.0" : "synced mirror",
            registryConfig);
    for (int i = upstreamDropped ? 1 : 0; i < MIRROR_TAGS.size(); i++) {
      set.leaves("src/x", v.get(i), MIRROR_TAGS.get(i));
    }
    set.leaves("mirror/x", v.get(2), "1.2")
        .deletes(v.get(0), v.get(1))
        .pruneCollectAndCheck("--repository", "mirror/.*", "--keep", "mirror/x:1.2");
  }

  /**
   * {@code mount/b:1} is built on {@code mount/a:1}: its layers are mounted from {@code mount/a},
   * not uploaded, and one layer of its own is added, as {@code docker push} does with the layers of
   * a base image it finds in another repository. The registry then holds those layers once, linked
   * into both repositories, and pruning {@code mount/a} alone frees of {@code a:1} only its
   * manifest and config, and all of {@code a:3}.
   */
  @WithAndWithoutRegistryConfig
  void crossRepositoryMountedBlobs_mountedBlobsAreNotEstimated(boolean registryConfig) {
    ImageBlueprint a1 = pushLayered("mount/a", "1", 401, 1400);
    ImageBlueprint a2 = pushLayered("mount/a", "2", 402, 1402);
    ImageBlueprint a3 = pushLayered("mount/a", "3", 403, 1403);
    ImageBlueprint b1 =
        TestImages.image(404)
            .baseLayers(1400, 2, BASE)
            .baseLayers(401, 1, OWN)
            .layers(1, OWN)
            .docker();
    List<String> mounted = a1.layers().stream().map(layer -> layer.digest()).toList();
    assertThat(b1.layers().subList(0, mounted.size()).stream().map(layer -> layer.digest()))
        .as("mount/b:1 is built on every layer of mount/a:1")
        .containsExactlyElementsOf(mounted);
    BlobMount mount = new BlobMount(registry);
    mounted.forEach(digest -> mount.mount("mount/a", "mount/b", digest));
    for (var blob : List.of(b1.layers().get(mounted.size()), b1.config().orElseThrow())) {
      client.pushBlob("mount/b", blob.bytes()).block(RegistryClients.TIMEOUT);
    }
    client
        .pushManifest("mount/b", "1", b1.manifest(), b1.mediaType())
        .block(RegistryClients.TIMEOUT);

    new DataSet("cross-repository mounted blobs", registryConfig)
        .deletes(a1, a3)
        .leaves("mount/a", a2, "2")
        .leaves("mount/b", b1, "1")
        .pruneCollectAndCheck("--repository", "mount/a", "--keep", "mount/a:2");
  }

  /**
   * A kept index ({@code stable}: amd64 and arm64) whose amd64 child is also a child of a deleted
   * index ({@code old}: amd64 and ppc64le, the ppc64le image on the amd64 base) and whose arm64
   * child also carries a tag the policy alone would delete ({@code arm64}): that tag stays, since
   * deleting its digest would break {@code stable}, and so do all the blobs {@code stable} needs.
   */
  @WithAndWithoutRegistryConfig
  void keptIndexChildren_childrenAndTheirBlobsStayAndAreNotEstimated(boolean registryConfig) {
    ImageBlueprint amd64 = layered(501, 1500).platform("linux", "amd64").oci();
    ImageBlueprint arm64 = layered(502, 1502).platform("linux", "arm64", "v8").oci();
    ImageBlueprint ppc64le = layered(503, 1500).platform("linux", "ppc64le").oci();
    ImageBlueprint stable = TestImages.index(List.of(amd64, arm64), true);
    ImageBlueprint old = TestImages.index(List.of(amd64, ppc64le), true);
    ImageBlueprint plain = layered(504, 1504).docker();
    seeder
        .add("multi/app", stable, "stable")
        .add("multi/app", old, "old")
        .add("multi/app", arm64, "arm64")
        .add("multi/app", plain, "plain")
        .pushAll();

    new DataSet("kept index children", registryConfig)
        .leaves("multi/app", stable, "stable")
        .leaves("multi/app", arm64, "arm64")
        .deletes(old, plain)
        .pruneCollectAndCheck("--repository", "multi/.*", "--keep", "multi/app:stable");
  }

  /**
   * The checks against a planted fault, so that their passing above means something: a child of a
   * kept index deleted behind the pruner's back loses its config and layers to garbage collection
   * (distribution marks the child's manifest from the index, but its blobs only from its own
   * revision), and both (b) and (c) see it.
   */
  @Test
  void harness_whenGcTakesBlobsAKeptIndexNeeds_blobCheckAndPullCheckFail() {
    ImageBlueprint amd64 = layered(601, 1600).platform("linux", "amd64").oci();
    ImageBlueprint arm64 = layered(602, 1602).platform("linux", "arm64", "v8").oci();
    ImageBlueprint stable = TestImages.index(List.of(amd64, arm64), true);
    seeder.add("fault/app", stable, "stable").pushAll();
    client.deleteManifest("fault/app", amd64.manifestDigest()).block(RegistryClients.TIMEOUT);

    registry.garbageCollect(false);

    List<String> lost = amd64.layers().stream().map(layer -> layer.digest()).toList();
    assertThat(storage.blobSizes()).doesNotContainKeys(lost.toArray(String[]::new));
    assertThat(storage.blobsOfStoredManifests())
        .as("(b) still expects what the kept index needs")
        .containsAll(lost);
    assertThatThrownBy(
            () ->
                skopeo.copy(
                    skopeo.docker("fault/app:stable"), "dir:" + work.resolve("pull"), "--all"))
        .as("(c) cannot pull the broken index")
        .isInstanceOf(AssertionError.class);
  }

  // --- the harness --------------------------------------------------------------------------

  /**
   * One data set's run: its name in the figure line, whether the pruner gets the registry's config,
   * the manifests and tags the prune must leave, and the images it deletes.
   */
  private final class DataSet {
    private final String name;
    private final boolean registryConfig;
    private final Map<String, Set<String>> manifestsLeft = new TreeMap<>();
    private final Map<String, String> tagsLeft = new TreeMap<>();
    private final Map<String, Long> blobsLeft = new TreeMap<>();
    private final Map<String, Long> blobsDeleted = new TreeMap<>();

    /**
     * @param name the data set's name in the figure line
     * @param registryConfig pass {@code --registry-config}, so the pruner may read storage; without
     *     it the pruner sees only what the API shows
     */
    DataSet(String name, boolean registryConfig) {
      this.name = name;
      this.registryConfig = registryConfig;
    }

    /**
     * Expects {@code image} (with its index children) to stay in {@code repository}, under these
     * tags; every manifest and tag not named in some call must be gone.
     */
    DataSet leaves(String repository, ImageBlueprint image, String... tags) {
      Set<String> manifests = manifestsLeft.computeIfAbsent(repository, r -> new TreeSet<>());
      image.manifestsInPushOrder().forEach(m -> manifests.add(m.manifestDigest()));
      for (String tag : tags) {
        tagsLeft.put(repository + ":" + tag, image.manifestDigest());
      }
      blobsLeft.putAll(blobsOf(image));
      return this;
    }

    /**
     * Names the images the prune deletes somewhere, so that garbage collection must free exactly
     * their blobs that no image left needs.
     */
    DataSet deletes(ImageBlueprint... images) {
      for (ImageBlueprint image : images) {
        blobsDeleted.putAll(blobsOf(image));
      }
      return this;
    }

    /** Every blob the data set pushed: those of the images left and of the images deleted. */
    Set<String> blobsPushed() {
      Set<String> all = new TreeSet<>(blobsLeft.keySet());
      all.addAll(blobsDeleted.keySet());
      return all;
    }

    /** The bytes garbage collection must free: blobs of deleted images that no image left needs. */
    long bytesToFree() {
      return StoredBlobs.freed(blobsDeleted, blobsLeft);
    }

    /**
     * Prunes with {@code policy}, collects garbage, measures, records the figure line, then checks
     * the manifests and tags left, (b) the blobs left, (c) every pull, and (a) the estimate, all
     * reported together.
     *
     * @param policy the prune options choosing what to delete
     */
    void pruneCollectAndCheck(String... policy) {
      EstimateVsGcIT.this.pruneCollectAndCheck(this, policy);
    }
  }

  private void pruneCollectAndCheck(DataSet dataSet, String... policy) {
    boolean registryConfig = dataSet.registryConfig;
    long estimate = pruneApply(registryConfig, policy);

    Map<String, Long> before;
    Map<String, Long> after;
    CliRun gc;
    registry.stop();
    try {
      before = storage.blobSizes();
      gc = CliRun.of("gc", registry.configFile().toString());
      after = storage.blobSizes();
    } finally {
      registry.start();
    }
    assertThat(gc.exitCode()).as(gc.toString()).isEqualTo(OK);
    // The harness's own checks: the data set is what it claims, and GC did what it said it did.
    assertThat(before.keySet())
        .as("blobs before garbage collection = the blobs of the images the data set pushed")
        .isEqualTo(dataSet.blobsPushed());
    assertThat(before).as("garbage collection adds no blob").containsAllEntriesOf(after);
    assertThat(before.size() - after.size())
        .as("blobs removed from storage, against what garbage-collect said it deletes: " + gc)
        .isEqualTo(eligibleBlobs(gc));
    long freed = StoredBlobs.freed(before, after);
    record(dataSet.name + (registryConfig ? "" : ", no --registry-config"), estimate, freed);

    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(storage.manifests()).as("manifests left").isEqualTo(dataSet.manifestsLeft);
    softly.assertThat(storage.tags()).as("tags left").isEqualTo(dataSet.tagsLeft);
    softly
        .assertThat(freed)
        .as("bytes freed = the blobs of the deleted images that no image left needs")
        .isEqualTo(dataSet.bytesToFree());
    softly
        .assertThat(after.keySet())
        .as("(b) blobs left = the blobs of every manifest left")
        .isEqualTo(storage.blobsOfStoredManifests());
    List<String> references = new ArrayList<>(storage.tags().keySet());
    storage
        .manifests()
        .forEach((repo, digests) -> digests.forEach(d -> references.add(repo + "@" + d)));
    for (int i = 0; i < references.size(); i++) {
      String reference = references.get(i);
      Path into = work.resolve("pull-" + i);
      softly.check(() -> skopeo.copy(skopeo.docker(reference), "dir:" + into, "--all"));
    }
    softly
        .assertThat(estimate)
        .as("(a) estimate against the %,d bytes GC freed (within %.0f%%)", freed, TOLERANCE * 100)
        .isBetween(
            (long) Math.ceil(freed * (1 - TOLERANCE)), (long) Math.floor(freed * (1 + TOLERANCE)));
    softly.assertAll();
  }

  /**
   * Runs {@code prune --apply --output json} with {@code policy}.
   *
   * @param registryConfig also pass {@code --registry-config} with the registry's config
   * @param policy the prune options choosing what to delete
   * @return the plan's {@code totals.reclaimableBytes}
   */
  private long pruneApply(boolean registryConfig, String... policy) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "prune",
                "--registry",
                registry.baseUrl().toString(),
                "--username",
                registry.username(),
                "--password-env",
                PASSWORD_VARIABLE,
                "--apply",
                "--output",
                "json",
                "--journal",
                work.resolve("journal.jsonl").toString()));
    if (registryConfig) {
      args.addAll(List.of("--registry-config", registry.configFile().toString()));
    }
    args.addAll(List.of(policy));
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put(PASSWORD_VARIABLE, registry.password());
    CliRun prune = CliRun.withEnvironment(environment, args.toArray(String[]::new));
    assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(OK);
    JsonNode totals;
    try {
      totals = JSON.readTree(prune.out()).path("plan").path("totals");
    } catch (IOException e) {
      throw new AssertionError("prune printed no JSON: " + prune, e);
    }
    // Without storage untagged manifests are invisible: an upper bound, and said so; with it (and
    // every repository readable) the estimate is exact.
    assertThat(totals.path("reclaimableUpperBound").asBoolean())
        .as("plan.totals.reclaimableUpperBound in " + prune)
        .isEqualTo(!registryConfig);
    JsonNode reclaimable = totals.path("reclaimableBytes");
    assertThat(reclaimable.isIntegralNumber())
        .as("plan.totals.reclaimableBytes in " + prune)
        .isTrue();
    return reclaimable.asLong();
  }

  private static int eligibleBlobs(CliRun gc) {
    Matcher m = ELIGIBLE.matcher(gc.out());
    assertThat(m.find()).as("gc output names the blobs it deletes: " + gc).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /**
   * Prints the data set's figures and appends them to {@code target/estimate-vs-gc.txt} as a row of
   * a Markdown table (the header goes first into a new file), ready for the README.
   */
  private static void record(String dataSet, long estimate, long freed) {
    String difference;
    if (freed == 0) {
      difference = estimate == 0 ? "0.0%" : "n/a (nothing freed)";
    } else {
      difference = String.format(Locale.ROOT, "%+.1f%%", 100.0 * (estimate - freed) / freed);
    }
    String row =
        String.format(Locale.ROOT, "| %s | %,d | %,d | %s |", dataSet, estimate, freed, difference);
    System.out.println("estimate-vs-gc: " + row);
    try {
      Files.createDirectories(FIGURES.toAbsolutePath().getParent());
      if (!Files.exists(FIGURES)) {
        Files.writeString(
            FIGURES,
            "| data set | estimate (bytes) | freed by GC (bytes) | difference |\n"
                + "|---|---:|---:|---:|\n",
            StandardCharsets.UTF_8);
      }
      Files.writeString(FIGURES, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to " + FIGURES, e);
    }
  }

  /** Two base layers of {@code baseSeed} (shared by every image on that base), one of its own. */
  private static TestImages.ImageBuilder layered(long seed, long baseSeed) {
    return TestImages.image(seed).baseLayers(baseSeed, 2, BASE).layers(1, OWN);
  }

  /**
   * The blobs a registry stores for an image, by digest with their sizes: every manifest (an index
   * and its children), config and layer.
   */
  private static Map<String, Long> blobsOf(ImageBlueprint image) {
    Map<String, Long> blobs = new TreeMap<>();
    for (ImageBlueprint manifest : image.manifestsInPushOrder()) {
      blobs.put(manifest.manifestDigest(), (long) manifest.manifest().length);
      manifest.config().ifPresent(config -> blobs.put(config.digest(), config.size()));
      manifest.layers().forEach(layer -> blobs.put(layer.digest(), layer.size()));
    }
    return blobs;
  }

  /** Pushes a {@link #layered} Docker image under {@code repository:tag}, now, in call order. */
  private ImageBlueprint pushLayered(String repository, String tag, long seed, long baseSeed) {
    ImageBlueprint image = layered(seed, baseSeed).docker();
    seeder.push(repository, tag, image).block(RegistryClients.TIMEOUT);
    return image;
  }
}
