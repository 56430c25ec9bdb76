package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.FAILED;
import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The deletion journal of {@code prune --apply} and {@code restore}, against a real registry: a
 * pruned registry restored from its journal serves every tag at its old digest and {@code skopeo}
 * copies each; after garbage collection the journal cannot bring images back and says why.
 */
@RealRegistry
@Timeout(120)
class CliJournalIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");

  private static ReactiveRegistryClient client;

  private final RegistryProcess registry;

  CliJournalIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @BeforeAll
  static void connect(RegistryProcess registry) {
    client = clientFor(registry);
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @Test
  void pruneApplyThenRestore_bringsEveryTagBackAtItsDigestAndSkopeoCopiesEach(@TempDir Path dir)
      throws IOException, InterruptedException {
    ImageBlueprint kept = image(901);
    ImageBlueprint b = image(902);
    ImageBlueprint c = TestImages.image(903).layers(2, 2048).created(JAN).oci();
    ImageBlueprint amd64 = TestImages.image(904).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(905).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push(client, "undo/app", "keep", kept);
    push(client, "undo/app", "b", b);
    push(client, "undo/app", "b-alias", b);
    push(client, "undo/app", "c", c);
    push(client, "undo/multi", "m1", index);
    Map<String, String> before = new LinkedHashMap<>();
    for (String ref :
        List.of("undo/app:keep", "undo/app:b", "undo/app:b-alias", "undo/app:c", "undo/multi:m1")) {
      before.put(ref, client.metadata(ref).block(TIMEOUT).digest());
    }
    Path journal = dir.resolve("journal.jsonl");

    CliRun prune =
        cli(
            registry,
            "prune",
            "--apply",
            "--repository",
            "undo/.*",
            "--keep",
            "undo/app:keep",
            "--journal",
            journal.toString());

    assertOk(prune);
    assertThat(prune.out())
        .contains("Journal: " + journal + " (5 manifests recorded before deletion)")
        .contains("registry-prune restore " + journal);
    Map<String, JsonNode> lines = journalLines(journal);
    assertThat(lines.keySet())
        .containsExactlyInAnyOrder(
            b.manifestDigest(),
            c.manifestDigest(),
            index.manifestDigest(),
            amd64.manifestDigest(),
            arm64.manifestDigest());
    for (JsonNode line : lines.values()) {
      assertThat(sha256(Base64.getDecoder().decode(line.path("manifest").asText())))
          .isEqualTo(line.path("digest").asText());
      assertThat(line.path("registry").asText()).isEqualTo(registry.baseUrl().toString());
      assertThat(Instant.parse(line.path("recordedAt").asText())).isNotNull();
    }
    assertThat(strings(lines.get(b.manifestDigest()).path("tags")))
        .containsExactlyInAnyOrder("b", "b-alias");
    assertThat(lines.get(index.manifestDigest()).path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(Files.readString(journal)).doesNotContain(registry.password());
    assertThat(client.tags("undo/app").collectList().block(TIMEOUT)).containsExactly("keep");

    CliRun restore = cli(registry, "restore", journal.toString());

    assertOk(restore);
    assertThat(restore.out()).contains("Restored: 5 of 5 manifests, 4 tags; not restored: 0");
    for (Map.Entry<String, String> ref : before.entrySet()) {
      assertThat(client.metadata(ref.getKey()).block(TIMEOUT).digest())
          .as(ref.getKey())
          .isEqualTo(ref.getValue());
      Path target = dir.resolve("copy-" + ref.getKey().replaceAll("[/:]", "_"));
      Process skopeo =
          new ProcessBuilder(
                  "skopeo",
                  "copy",
                  "--all",
                  "--src-tls-verify=false",
                  "--src-creds",
                  registry.username() + ":" + registry.password(),
                  "docker://" + registry.hostPort() + "/" + ref.getKey(),
                  "dir:" + target)
              .redirectErrorStream(true)
              .start();
      String output = new String(skopeo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(skopeo.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(skopeo.exitValue()).as("skopeo copy " + ref.getKey() + ":\n" + output).isZero();
      assertThat(target.resolve("manifest.json")).exists();
    }
  }

  @Test
  void restoreOnly_whenTagGiven_restoresThatImageAlone(@TempDir Path dir) throws IOException {
    ImageBlueprint kept = image(911);
    ImageBlueprint x = image(912);
    ImageBlueprint y = image(913);
    push(client, "undoonly/app", "keep", kept);
    push(client, "undoonly/app", "x", x);
    push(client, "undoonly/app", "y", y);
    Path journal = dir.resolve("journal.jsonl");
    assertOk(
        cli(
            registry,
            "prune",
            "--apply",
            "--repository",
            "undoonly/.*",
            "--keep",
            "undoonly/app:keep",
            "--journal",
            journal.toString()));

    CliRun restore = cli(registry, "restore", journal.toString(), "--only", "undoonly/app:y");

    assertOk(restore);
    assertThat(restore.out())
        .contains("Restored undoonly/app@" + y.manifestDigest() + " (tags: y)")
        .contains("Restored: 1 of 1 manifests, 1 tags");
    assertThat(client.tags("undoonly/app").collectList().block(TIMEOUT))
        .containsExactlyInAnyOrder("keep", "y");
  }

  @Test
  void restoreOnly_whenIndexTagGiven_bringsItsJournaledChildrenFirst(@TempDir Path dir)
      throws IOException {
    ImageBlueprint kept = image(951);
    ImageBlueprint amd64 = TestImages.image(952).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(953).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push(client, "undoindex/app", "keep", kept);
    push(client, "undoindex/app", "multi", index);
    push(client, "undoindex/app", "other", image(954));
    Path journal = dir.resolve("journal.jsonl");
    assertOk(
        cli(
            registry,
            "prune",
            "--apply",
            "--repository",
            "undoindex/.*",
            "--keep",
            "undoindex/app:keep",
            "--journal",
            journal.toString()));

    CliRun restore = cli(registry, "restore", journal.toString(), "--only", "undoindex/app:multi");

    assertOk(restore);
    assertThat(restore.out()).contains("Restored: 3 of 3 manifests, 1 tags");
    assertThat(restore.outLines().stream().filter(l -> l.startsWith("Restored ")).toList())
        .as("children before their index")
        .last()
        .asString()
        .contains(index.manifestDigest());
    assertThat(client.tags("undoindex/app").collectList().block(TIMEOUT))
        .containsExactlyInAnyOrder("keep", "multi");
    assertThat(client.metadata("undoindex/app:multi").block(TIMEOUT).digest())
        .isEqualTo(index.manifestDigest());
    for (ImageBlueprint child : List.of(amd64, arm64)) {
      assertThat(client.metadata("undoindex/app@" + child.manifestDigest()).block(TIMEOUT).digest())
          .isEqualTo(child.manifestDigest());
    }
  }

  @Test
  void restore_whenTagPushedAgainSincePrune_leavesItAloneAndExits1(@TempDir Path dir)
      throws IOException {
    ImageBlueprint kept = image(921);
    ImageBlueprint old = image(922);
    ImageBlueprint newer = image(923);
    push(client, "undomoved/app", "keep", kept);
    push(client, "undomoved/app", "v", old);
    Path journal = dir.resolve("journal.jsonl");
    assertOk(
        cli(
            registry,
            "prune",
            "--apply",
            "--repository",
            "undomoved/.*",
            "--keep",
            "undomoved/app:keep",
            "--journal",
            journal.toString()));
    push(client, "undomoved/app", "v", newer);

    CliRun restore = cli(registry, "restore", journal.toString());

    assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(FAILED);
    assertThat(restore.out())
        .contains("NOT all its tags")
        .contains("v (now " + newer.manifestDigest() + ")");
    assertThat(client.metadata("undomoved/app:v").block(TIMEOUT).digest())
        .isEqualTo(newer.manifestDigest());
    assertThat(client.metadata("undomoved/app@" + old.manifestDigest()).block(TIMEOUT).digest())
        .as("the manifest itself is back, by digest")
        .isEqualTo(old.manifestDigest());
  }

  @Test
  void pruneApply_withoutJournalOption_writesADefaultJournalInTheWorkingDirectoryAndNamesIt()
      throws IOException {
    push(client, "undodefault/app", "keep", image(931));
    push(client, "undodefault/app", "drop", image(932));

    CliRun prune =
        cli(
            registry,
            "prune",
            "--apply",
            "--repository",
            "undodefault/.*",
            "--keep",
            "undodefault/app:keep");

    Matcher m =
        Pattern.compile(
                "Journal: (\\S+registry-prune-journal-\\d{8}T\\d{6}Z\\.jsonl) \\(1 manifests")
            .matcher(prune.out());
    assertThat(m.find()).as(prune.toString()).isTrue();
    Path journal = Path.of(m.group(1));
    try {
      assertOk(prune);
      assertThat(journal.getParent()).isEqualTo(Path.of("").toAbsolutePath());
      assertThat(journalLines(journal)).hasSize(1);
    } finally {
      Files.deleteIfExists(journal);
    }
  }

  @Test
  void restore_afterGarbageCollection_reportsTheMissingBlobsAndExits1(@TempDir Path dir)
      throws IOException {
    try (RegistryProcess own = RegistryProcess.builder().start();
        ReactiveRegistryClient c = clientFor(own)) {
      ImageBlueprint kept = image(941);
      ImageBlueprint gone = TestImages.image(942).layers(2, 4096).created(JAN).docker();
      push(c, "gcundo/app", "keep", kept);
      push(c, "gcundo/app", "gone", gone);
      Path journal = dir.resolve("journal.jsonl");
      assertOk(
          cli(
              own,
              "prune",
              "--apply",
              "--repository",
              "gcundo/.*",
              "--keep",
              "gcundo/app:keep",
              "--journal",
              journal.toString()));
      own.stop();
      try {
        assertThat(own.garbageCollect(false).exitCode()).isZero();
      } finally {
        own.start();
      }

      CliRun restore = cli(own, "restore", journal.toString());

      assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(FAILED);
      assertThat(restore.out())
          .contains("NOT restored gcundo/app@" + gone.manifestDigest() + " (tags: gone)")
          .contains("blobs are gone (garbage collection already ran)")
          .contains(gone.layers().get(0).digest())
          .contains("Restored: 0 of 1 manifests");
      assertThat(
              c.metadata("gcundo/app:gone")
                  .map(m -> true)
                  .onErrorResume(NotFoundException.class, e -> Mono.just(false))
                  .block(TIMEOUT))
          .isFalse();
    }
  }

  private static CliRun cli(RegistryProcess registry, String command, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                command,
                "--registry",
                registry.baseUrl().toString(),
                "--username",
                registry.username(),
                "--password",
                registry.password()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static ReactiveRegistryClient clientFor(RegistryProcess registry) {
    return ReactiveRegistryClient.builder()
        .baseUrl(registry.baseUrl())
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        .build();
  }

  /** Journal lines by digest. */
  static Map<String, JsonNode> journalLines(Path journal) throws IOException {
    Map<String, JsonNode> lines = new LinkedHashMap<>();
    for (String line : Files.readAllLines(journal)) {
      JsonNode node = JSON.readTree(line);
      lines.put(node.path("digest").asText(), node);
    }
    return lines;
  }

  private static void assertOk(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
  }

  private static ImageBlueprint image(long seed) {
    return TestImages.image(seed).layers(1, 1024).created(JAN).docker();
  }

  private static void push(
      ReactiveRegistryClient c, String repository, String tag, ImageBlueprint image) {
    SampleImages.push(c, repository, tag, image).block(TIMEOUT);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
