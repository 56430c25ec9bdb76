package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readable text output of ls, inspect and prune against a real registry, line by line. */
@RealRegistry
@Timeout(120)
class CliReadableOutputIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
  private static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  private final RegistryProcess registry;
  private final ReactiveRegistryClient client;

  CliReadableOutputIT(RegistryProcess registry, ReactiveRegistryClient client) {
    this.registry = registry;
    this.client = client;
  }

  @Test
  void ls_sortsTagsAsVersionsAndFilters() {
    ImageBlueprint image = TestImages.image(1).layers(1, 100).created(JAN).docker();
    for (String tag : List.of("1.10", "v10", "1.9", "latest", "v2", "1.2.0")) {
      push("readable/sort", tag, image);
    }

    CliRun all = cli("ls", "readable/sort");
    CliRun filtered = cli("ls", "readable/sort", "--filter", "^1\\.");

    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.outLines()).containsExactly("1.2.0", "1.9", "1.10", "latest", "v2", "v10");
    assertThat(filtered.outLines()).containsExactly("1.2.0", "1.9", "1.10");
  }

  @Test
  void lsLong_showsDigestHumanSizeCreatedAndMediaTypePerTag() throws IOException {
    ImageBlueprint small = TestImages.image(11).layers(1, 2000).created(JAN).docker();
    ImageBlueprint big =
        TestImages.image(12)
            .layers(2, 700 * 1024)
            .created(Instant.parse("2024-02-03T04:05:06Z"))
            .docker();
    push("readable/long", "1", small);
    push("readable/long", "2", big);

    CliRun run = cli("ls", "readable/long", "--long");
    CliRun json = cli("ls", "readable/long", "--long", "--output", "json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String format = "%-3s  %-19s  %10s  %-20s  %s";
    assertThat(run.outLines())
        .containsExactly(
            String.format(format, "TAG", "DIGEST", "SIZE", "CREATED", "MEDIA TYPE"),
            String.format(
                format,
                "1",
                small.manifestDigest().substring(0, 19),
                Readable.size(small.totalSize()),
                "2024-01-01T00:00:00Z",
                DOCKER_MANIFEST),
            String.format(
                format,
                "2",
                big.manifestDigest().substring(0, 19),
                Readable.size(big.totalSize()),
                "2024-02-03T04:05:06Z",
                DOCKER_MANIFEST));
    assertThat(Readable.size(big.totalSize())).isEqualTo("1.4 MiB");
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows.get(1).path("size").asLong()).isEqualTo(big.totalSize());
    assertThat(rows.get(1).path("digest").asText()).isEqualTo(big.manifestDigest());
  }

  @Test
  void inspect_image_showsCreatedPlatformAndALayerTableWithoutNull() {
    ImageBlueprint image =
        TestImages.image(21).layers(2, 1536).created(JAN).platform("linux", "arm64").docker();
    push("readable/inspect", "1.0", image);

    CliRun run = cli("inspect", "readable/inspect:1.0");
    CliRun byDigest = cli("inspect", "readable/inspect@" + image.manifestDigest());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String layer = "  %-3s %-71s %10s  %s";
    List<String> expected =
        new ArrayList<>(
            List.of(
                "repository: readable/inspect",
                "tag:        1.0",
                "digest:     " + image.manifestDigest(),
                "mediaType:  " + DOCKER_MANIFEST,
                "created:    2024-01-01T00:00:00Z",
                "platform:   linux/arm64",
                "size:       " + Readable.size(image.totalSize()) + " (config and layers)",
                "config:     " + image.config().orElseThrow().digest(),
                "labels:",
                "  io.registryreactive.test.seed=21",
                "layers: 2",
                String.format(layer, "#", "DIGEST", "SIZE", "MEDIA TYPE")));
    for (int i = 0; i < 2; i++) {
      expected.add(
          String.format(
              layer,
              i + 1,
              image.layers().get(i).digest(),
              "1.5 KiB",
              "application/vnd.docker.image.rootfs.diff.tar.gzip"));
    }
    assertThat(run.outLines()).containsExactlyElementsOf(expected);
    assertThat(byDigest.out()).doesNotContain("null").doesNotContain("tag:");
  }

  @Test
  void inspect_index_showsChildrenAsATable() {
    ImageBlueprint amd = TestImages.image(31).layers(1, 100).platform("linux", "amd64").oci();
    ImageBlueprint arm = TestImages.image(32).layers(1, 100).platform("linux", "arm64").oci();
    ImageBlueprint index = TestImages.index(List.of(amd, arm), true);
    push("readable/index", "multi", index);

    CliRun run = cli("inspect", "readable/index:multi");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String child = "  %-16s %-71s %10s  %s";
    assertThat(run.outLines())
        .endsWith(
            "manifests: 2",
            String.format(child, "PLATFORM", "DIGEST", "SIZE", "STATUS"),
            String.format(
                child,
                "linux/amd64",
                amd.manifestDigest(),
                Readable.size(amd.manifest().length),
                "present"),
            String.format(
                child,
                "linux/arm64",
                arm.manifestDigest(),
                Readable.size(arm.manifest().length),
                "present"));
    assertThat(run.out()).doesNotContain("{digest=").doesNotContain("null");
  }

  @Test
  void pruneApply_whenDeletionDisabled_printsTheReasonOnceAndNoGarbageCollectionFooter()
      throws IOException {
    push("readable/nodel", "1", TestImages.image(41).layers(1, 100).created(JAN).docker());
    push(
        "readable/nodel",
        "2",
        TestImages.image(42).layers(1, 100).created(JAN.plusSeconds(60)).docker());
    CliRun run;
    registry.restartWith(false, false);
    try {
      run =
          cli(
              "prune",
              "--apply",
              "--repository",
              "readable/nodel",
              "--keep-last",
              "1",
              "--journal",
              Files.createTempFile("journal", ".jsonl").toString());
    } finally {
      registry.restartWith(true, false);
    }

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.DENIED);
    String all = run.out() + run.err();
    assertThat(all.split("storage: \\{delete: \\{enabled: true}}", -1))
        .as(run.toString())
        .hasSize(2);
    assertThat(run.out())
        .contains("Status: ABORTED")
        .doesNotContain("garbage collection to reclaim");
  }

  @Test
  void pruneApply_drawsTheBarOnStderrOnlyForTextOutput() throws IOException {
    for (int i = 0; i < 4; i++) {
      push(
          "readable/bar",
          "t" + i,
          TestImages.image(50 + i).layers(1, 100).created(JAN.plusSeconds(i)).docker());
    }
    push("readable/bar2", "t0", TestImages.image(60).layers(1, 100).created(JAN).docker());
    push(
        "readable/bar2",
        "t1",
        TestImages.image(61).layers(1, 100).created(JAN.plusSeconds(1)).docker());

    CliRun text =
        cliWith(
            java.util.Map.of(DeleteProgress.VARIABLE, "always"),
            "prune",
            "--apply",
            "--repository",
            "readable/bar",
            "--keep-last",
            "1",
            "--journal",
            Files.createTempFile("journal", ".jsonl").toString());
    CliRun json =
        cliWith(
            java.util.Map.of(DeleteProgress.VARIABLE, "always"),
            "prune",
            "--apply",
            "--repository",
            "readable/bar2",
            "--keep-last",
            "1",
            "--output",
            "json",
            "--journal",
            Files.createTempFile("journal", ".jsonl").toString());

    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.err()).contains("\rDeleting").contains("3/3 manifests");
    assertThat(text.out()).doesNotContain("Deleting");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.err()).doesNotContain("Deleting");
    assertThat(json.out()).doesNotContain("Deleting");
  }

  @Test
  void prune_onATerminal_showsPlanningProgressEndingAtTheRepositoryAndTagCounts_neverInJson() {
    for (int i = 0; i < 3; i++) {
      push(
          "readable/plan-a",
          "a" + i,
          TestImages.image(70 + i).layers(1, 100).created(JAN.plusSeconds(i)).docker());
    }
    for (int i = 0; i < 2; i++) {
      push(
          "readable/plan-b",
          "b" + i,
          TestImages.image(80 + i).layers(1, 100).created(JAN.plusSeconds(i)).oci());
    }
    push("readable/plan-b", "b-too", TestImages.image(80).layers(1, 100).created(JAN).oci());

    CliRun text =
        cliWith(
            java.util.Map.of(DeleteProgress.VARIABLE, "always"),
            "prune",
            "--repository",
            "readable/plan-.*",
            "--keep-last",
            "1");
    CliRun json =
        cliWith(
            java.util.Map.of(DeleteProgress.VARIABLE, "always"),
            "prune",
            "--repository",
            "readable/plan-.*",
            "--keep-last",
            "1",
            "--output",
            "json");
    CliRun never =
        cliWith(
            java.util.Map.of(DeleteProgress.VARIABLE, "never"),
            "prune",
            "--repository",
            "readable/plan-.*",
            "--keep-last",
            "1");

    assertThat(text.exitCode()).as(text.toString()).isZero();
    String err = text.err();
    assertThat(err).contains("\rPlanning: ");
    String afterLast = err.substring(err.lastIndexOf("\rPlanning: ") + 1);
    String finalLine = afterLast.substring(0, afterLast.indexOf(System.lineSeparator()));
    assertThat(finalLine)
        .isEqualTo(finalLine.strip())
        .startsWith("Planning: 2/2 repositories, 6 tags (");
    assertThat(text.out()).doesNotContain("Planning");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.err()).doesNotContain("Planning");
    assertThat(json.out()).doesNotContain("Planning");
    assertThat(never.exitCode()).as(never.toString()).isZero();
    assertThat(never.err()).doesNotContain("Planning");
  }

  private CliRun cliWith(java.util.Map<String, String> environment, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--registry",
            registry.baseUrl().toString(),
            "--username",
            registry.username(),
            "--password-env",
            "P"));
    java.util.Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("P", registry.password());
    return CliRun.withEnvironment(env, all.toArray(String[]::new));
  }

  private CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--registry",
            registry.baseUrl().toString(),
            "--username",
            registry.username(),
            "--password-env",
            "P"));
    return CliRun.withEnvironment(
        java.util.Map.of("P", registry.password()), all.toArray(String[]::new));
  }

  private void push(String repository, String tag, ImageBlueprint image) {
    SampleImages.push(client, repository, tag, image).block(TIMEOUT);
  }
}
