package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.DENIED;
import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code registry-prune} command against a real registry. Tests share the class's registry,
 * so each works in repositories of its own and prunes only those (with {@code --repository}); tests
 * that reconfigure or stop the registry put it back in {@code finally}.
 */
@RealRegistry
@Timeout(90)
class CliIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** Fails on anything after the first JSON value, so "only JSON on stdout" is checked too. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2024-02-01T00:00:00Z");
  private static final Instant MAR = Instant.parse("2024-03-01T00:00:00Z");

  private static ReactiveRegistryClient client;

  private final RegistryProcess registry;

  CliIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @BeforeAll
  static void connect(RegistryProcess registry) {
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @Test
  void ls_withoutRepository_listsRepositoriesAsTextAndJson() throws IOException {
    push("ls/alpha", "1", image(101, JAN));
    push("ls/beta", "1", image(102, JAN));

    CliRun text = cli("ls");
    CliRun json = cli("ls", "--output", "json");

    assertOk(text);
    assertThat(text.outLines()).contains("ls/alpha", "ls/beta");
    assertOk(json);
    assertThat(strings(JSON.readTree(json.out()))).containsExactlyElementsOf(text.outLines());
  }

  @Test
  void ls_withRepository_listsItsTagsAsTextAndJson() throws IOException {
    ImageBlueprint image = image(111, JAN);
    push("ls/tags", "1.0", image);
    push("ls/tags", "1.1", image(112, FEB));
    push("ls/tags", "latest", image);

    CliRun text = cli("ls", "ls/tags");
    CliRun json = cli("ls", "ls/tags", "--output", "json");

    assertOk(text);
    assertThat(text.outLines()).containsExactlyInAnyOrder("1.0", "1.1", "latest");
    assertOk(json);
    assertThat(strings(JSON.readTree(json.out())))
        .containsExactlyInAnyOrder("1.0", "1.1", "latest");
  }

  @Test
  void inspect_whenImage_showsDigestTypeAndLayersAsTextAndJson() throws IOException {
    ImageBlueprint image = TestImages.image(201).layers(3, 1024).created(JAN).docker();
    push("inspect/app", "1.0", image);

    CliRun text = cli("inspect", "inspect/app:1.0");
    CliRun json = cli("inspect", "inspect/app:1.0", "--output", "json");

    assertOk(text);
    assertThat(text.outLines())
        .contains(
            "repository: inspect/app",
            "tag: 1.0",
            "digest: " + image.manifestDigest(),
            "mediaType: " + DOCKER_MANIFEST,
            "layers: 3");
    assertOk(json);
    JsonNode node = JSON.readTree(json.out());
    assertThat(node.path("digest").asText()).isEqualTo(image.manifestDigest());
    assertThat(node.path("mediaType").asText()).isEqualTo(DOCKER_MANIFEST);
    assertThat(node.path("config").asText()).isEqualTo(image.config().orElseThrow().digest());
    assertThat(node.path("layers").asInt()).isEqualTo(3);
  }

  @Test
  void inspect_whenIndex_listsItsManifestsWithPlatforms() throws IOException {
    ImageBlueprint amd64 = TestImages.image(211).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(212).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push("inspect/multi", "2.0", index);

    CliRun text = cli("inspect", "inspect/multi:2.0");
    CliRun json = cli("inspect", "inspect/multi@" + index.manifestDigest(), "--output", "json");

    assertOk(text);
    assertThat(text.outLines())
        .contains("digest: " + index.manifestDigest(), "mediaType: " + OCI_INDEX, "manifests:");
    assertThat(text.out()).contains(amd64.manifestDigest()).contains(arm64.manifestDigest());
    assertOk(json);
    JsonNode node = JSON.readTree(json.out());
    assertThat(node.path("mediaType").asText()).isEqualTo(OCI_INDEX);
    assertThat(node.path("tag").isNull()).as("tag of a digest reference").isTrue();
    List<String> children = new ArrayList<>();
    node.path("manifests")
        .forEach(m -> children.add(m.path("digest").asText() + " " + m.path("platform").asText()));
    assertThat(children)
        .containsExactly(
            amd64.manifestDigest() + " linux/amd64", arm64.manifestDigest() + " linux/arm64/v8");
  }

  @Test
  void delete_withYes_deletesTheDigestAndNamesEveryTagOnIt() {
    ImageBlueprint doomed = image(301, JAN);
    push("del/app", "1", doomed);
    push("del/app", "1-alias", doomed);
    push("del/app", "2", image(302, FEB));

    CliRun run = cli("delete", "del/app:1", "--yes");

    assertOk(run);
    assertThat(run.outLines())
        .containsExactly(
            "Delete del/app@" + doomed.manifestDigest(),
            "This removes every tag on that digest: 1, 1-alias",
            "Deleted.");
    assertThat(tags("del/app")).containsExactly("2");
    assertThatThrownBy(() -> client.metadata("del/app@" + doomed.manifestDigest()).block(TIMEOUT))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void delete_whenChildOfTaggedIndex_exits2NamingTheIndexAndItsTagsAndDeletesNothing() {
    ImageBlueprint amd64 = TestImages.image(311).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(312).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push("delidx/multi", "2.0", index);
    push("delidx/multi", "latest", index);

    CliRun run = cli("delete", "delidx/multi@" + arm64.manifestDigest(), "--yes");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.USAGE);
    assertThat(run.err())
        .as(run.toString())
        .contains(
            "is listed by the tagged index " + index.manifestDigest() + " (tags: 2.0, latest)")
        .contains("--force");
    assertThat(run.out()).doesNotContain("Deleted");
    assertThat(client.metadata("delidx/multi@" + arm64.manifestDigest()).block(TIMEOUT).digest())
        .isEqualTo(arm64.manifestDigest());
  }

  @Test
  void delete_whenChildOfNestedIndexOfTaggedIndex_exits2NamingTheTaggedIndex() {
    ImageBlueprint amd64 = TestImages.image(321).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint inner = TestImages.index(List.of(amd64), true);
    ImageBlueprint outer = TestImages.index(List.of(inner), true);
    push("delnest/multi", "v1", outer);

    CliRun run = cli("delete", "delnest/multi@" + amd64.manifestDigest(), "--yes");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.USAGE);
    assertThat(run.err()).as(run.toString()).contains(outer.manifestDigest() + " (tags: v1)");
    assertThat(client.metadata("delnest/multi@" + amd64.manifestDigest()).block(TIMEOUT).digest())
        .isEqualTo(amd64.manifestDigest());
  }

  @Test
  void delete_withForce_deletesTheChildAndWarnsThatTheIndexBreaks() {
    ImageBlueprint amd64 = TestImages.image(331).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(332).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push("delforce/multi", "2.0", index);

    CliRun run = cli("delete", "delforce/multi@" + arm64.manifestDigest(), "--yes", "--force");

    assertOk(run);
    assertThat(run.err())
        .contains("warning: --force")
        .contains(index.manifestDigest() + " (tags: 2.0)");
    assertThat(run.outLines()).contains("Deleted.");
    assertThatThrownBy(
            () -> client.metadata("delforce/multi@" + arm64.manifestDigest()).block(TIMEOUT))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void inspect_whenIndexChildMissing_marksItInsteadOfFailing() throws IOException {
    ImageBlueprint amd64 = TestImages.image(341).created(JAN).platform("linux", "amd64").oci();
    ImageBlueprint arm64 =
        TestImages.image(342).created(JAN).platform("linux", "arm64", "v8").oci();
    ImageBlueprint index = TestImages.index(List.of(amd64, arm64), true);
    push("inspectgone/multi", "1", index);
    client.deleteManifest("inspectgone/multi", arm64.manifestDigest()).block(TIMEOUT);

    CliRun text = cli("inspect", "inspectgone/multi:1");
    CliRun json = cli("inspect", "inspectgone/multi:1", "--output", "json");

    assertOk(text);
    assertThat(text.outLines())
        .anySatisfy(l -> assertThat(l).contains(arm64.manifestDigest()).endsWith("MISSING (404)"))
        .anySatisfy(l -> assertThat(l).contains(amd64.manifestDigest()).doesNotContain("MISSING"))
        .contains("missingManifests: 1");
    assertOk(json);
    JsonNode node = JSON.readTree(json.out());
    List<String> children = new ArrayList<>();
    node.path("manifests")
        .forEach(
            m -> children.add(m.path("digest").asText() + " " + m.path("missing").asBoolean()));
    assertThat(children)
        .containsExactly(amd64.manifestDigest() + " false", arm64.manifestDigest() + " true");
  }

  @Test
  void prune_withoutApply_printsThePlanAndDeletesNothing() throws IOException {
    push("dry/app", "1", image(401, JAN));
    push("dry/app", "2", image(402, FEB));
    push("dry/app", "3", image(403, MAR));

    CliRun text = cli("prune", "--repository", "dry/.*", "--keep", "dry/app:1");
    CliRun json = cli("prune", "--repository", "dry/.*", "--keep", "dry/app:1", "--output", "json");

    assertOk(text);
    assertThat(text.outLines().get(0)).startsWith("REPOSITORY");
    assertThat(text.outLines())
        .anySatisfy(line -> assertThat(line).matches("dry/app\\s+3\\s+2\\s+1\\s+2\\s+0"));
    assertThat(text.out())
        .contains("tags: 3 scanned, 2 to delete, 1 kept")
        .contains("Dry run: nothing was deleted. Add --apply to delete.");
    assertOk(json);
    JsonNode plan = JSON.readTree(json.out());
    assertThat(plan.path("totals").path("tagsToDelete").asLong()).isEqualTo(2);
    assertThat(plan.path("repositories").findValuesAsText("repository")).containsExactly("dry/app");
    assertThat(tags("dry/app")).containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void prune_withApplyAndKeep_deletesExactlyTheTagsNothingHolds() {
    ImageBlueprint kept = image(411, JAN);
    ImageBlueprint b = image(412, FEB);
    push("apply/app", "a", kept);
    push("apply/app", "b", b);
    push("apply/app", "c", image(413, MAR));
    push("apply/app", "d", b);
    // 'e' is not kept by a rule, but shares its digest with the kept 'a', so it cannot go.
    push("apply/app", "e", kept);

    CliRun run =
        cli(
            "prune",
            "--apply",
            "--repository",
            "apply/.*",
            "--keep",
            "apply/app:a",
            "--journal",
            tempJournal());

    assertOk(run);
    assertThat(run.out())
        .contains("Status: COMPLETED")
        .contains("Deleted: 2 manifests (3 tags)")
        .doesNotContain("Dry run");
    assertThat(tags("apply/app")).containsExactlyInAnyOrder("a", "e");
    assertThat(client.metadata("apply/app:a").block(TIMEOUT).digest())
        .isEqualTo(kept.manifestDigest());
  }

  @Test
  void prune_withApplyAndJsonOutput_printsOneDocumentWithPlanReportAndJournal(@TempDir Path dir)
      throws IOException {
    ImageBlueprint old = image(421, JAN);
    push("applyjson/app", "x", image(422, FEB));
    push("applyjson/app", "y", old);

    CliRun run =
        cli(
            "prune",
            "--apply",
            "--output",
            "json",
            "--repository",
            "applyjson/.*",
            "--keep",
            "applyjson/app:x",
            "--journal",
            dir.resolve("journal.jsonl").toString());

    assertOk(run);
    JsonNode node = JSON.readTree(run.out());
    assertThat(StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false))
        .containsExactly("plan", "report", "journal");
    assertThat(Path.of(node.path("journal").asText())).exists();
    assertThat(node.path("plan").path("totals").path("tagsToDelete").asLong()).isEqualTo(1);
    assertThat(node.path("report").path("status").asText()).isEqualTo("COMPLETED");
    assertThat(node.path("report").path("deleted").findValuesAsText("digest"))
        .containsExactly(old.manifestDigest());
    assertThat(tags("applyjson/app")).containsExactly("x");
  }

  @Test
  void prune_withReviewedPlanFile_deletesOnlyWhatBothThePlanAndAFreshPlanDelete(@TempDir Path dir)
      throws IOException {
    ImageBlueprint a = image(451, JAN);
    ImageBlueprint b = image(452, JAN);
    ImageBlueprint c = image(453, JAN);
    ImageBlueprint d = image(454, JAN);
    ImageBlueprint e = image(455, FEB);
    push("reviewed/app", "a", a);
    push("reviewed/app", "b", b);
    push("reviewed/app", "c", c);
    push("reviewed/app", "d", d);
    CliRun dryRun =
        cli("prune", "--repository", "reviewed/.*", "--keep", "reviewed/app:a", "--output", "json");
    assertOk(dryRun);
    Path planFile = java.nio.file.Files.writeString(dir.resolve("plan.json"), dryRun.out());
    // After the review: the kept tag moves onto c (a deletion in the saved plan, kept now), and a
    // new
    // image e appears (deleted by a fresh plan, but never reviewed).
    push("reviewed/app", "a", c);
    push("reviewed/app", "e", e);

    CliRun run =
        cli("prune", "--plan-file", planFile.toString(), "--apply", "--journal", tempJournal());

    assertOk(run);
    assertThat(run.err())
        .contains("Reviewed plan " + planFile)
        .contains("3 deletions; a plan now: 3; deleting the 2 in both");
    assertThat(run.out()).contains("Deleted: 2 manifests (2 tags)");
    assertThat(tags("reviewed/app")).containsExactlyInAnyOrder("a", "c", "e");
    assertThat(client.metadata("reviewed/app:a").block(TIMEOUT).digest())
        .isEqualTo(c.manifestDigest());
    assertThat(client.metadata("reviewed/app:e").block(TIMEOUT).digest())
        .isEqualTo(e.manifestDigest());
    for (ImageBlueprint gone : List.of(b, d)) {
      assertThatThrownBy(
              () -> client.metadata("reviewed/app@" + gone.manifestDigest()).block(TIMEOUT))
          .isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  void prune_withReviewedPlanFileAndNoApply_printsTheIntersectionAndDeletesNothing(
      @TempDir Path dir) throws IOException {
    push("reviewdry/app", "a", image(461, JAN));
    push("reviewdry/app", "b", image(462, JAN));
    CliRun dryRun =
        cli(
            "prune",
            "--repository",
            "reviewdry/.*",
            "--keep",
            "reviewdry/app:a",
            "--output",
            "json");
    Path planFile = java.nio.file.Files.writeString(dir.resolve("plan.json"), dryRun.out());
    push("reviewdry/app", "c", image(463, JAN));

    CliRun run = cli("prune", "--plan-file", planFile.toString(), "--output", "json");

    assertOk(run);
    JsonNode plan = JSON.readTree(run.out());
    assertThat(plan.path("totals").path("tagsToDelete").asLong()).isEqualTo(1);
    assertThat(tags("reviewdry/app")).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void prune_withKeepLastAndRepositoryPattern_prunesOnlyMatchingRepositories() {
    push("team/one", "t1", image(431, JAN));
    push("team/one", "t2", image(432, FEB));
    push("team/one", "t3", image(433, MAR));
    push("team/two", "u1", image(434, JAN));
    push("team/two", "u2", image(435, FEB));
    push("other/three", "v1", image(436, JAN));
    push("other/three", "v2", image(437, FEB));

    CliRun run =
        cli(
            "prune",
            "--apply",
            "--keep-last",
            "1",
            "--repository",
            "team/.*",
            "--journal",
            tempJournal());

    assertOk(run);
    assertThat(run.out()).contains("team/one").contains("team/two").doesNotContain("other/three");
    assertThat(tags("team/one")).containsExactly("t3");
    assertThat(tags("team/two")).containsExactly("u2");
    assertThat(tags("other/three")).containsExactlyInAnyOrder("v1", "v2");
  }

  @Test
  void commands_withWrongPassword_exit3() {
    String[] wrong = {
      "--registry",
      registry.baseUrl().toString(),
      "--username",
      registry.username(),
      "--password",
      registry.password() + "-wrong"
    };

    CliRun ls = CliRun.of(concat(new String[] {"ls"}, wrong));
    CliRun prune = CliRun.of(concat(new String[] {"prune", "--keep-last", "1"}, wrong));

    assertThat(ls.exitCode()).as(ls.toString()).isEqualTo(DENIED);
    assertThat(ls.err()).as(ls.toString()).contains("rejected the credentials");
    assertThat(ls.out()).isEmpty();
    assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(DENIED);
  }

  @Test
  void pruneApplyAndDelete_whenDeletionDisabled_exit3AndSayHowToEnableIt() {
    push("nodel/app", "1", image(501, JAN));
    push("nodel/app", "2", image(502, FEB));
    CliRun prune;
    CliRun delete;
    registry.restartWith(false, false);
    try {
      prune =
          cli(
              "prune",
              "--apply",
              "--repository",
              "nodel/.*",
              "--keep",
              "nodel/app:1",
              "--journal",
              tempJournal());
      delete = cli("delete", "nodel/app:2", "--yes");
    } finally {
      registry.restartWith(true, false);
    }

    assertThat(prune.exitCode()).as(prune.toString()).isEqualTo(DENIED);
    assertThat(prune.err()).as(prune.toString()).contains("storage: {delete: {enabled: true}}");
    assertThat(prune.out()).contains("Status: ABORTED");
    assertThat(delete.exitCode()).as(delete.toString()).isEqualTo(DENIED);
    assertThat(delete.err()).as(delete.toString()).contains("storage: {delete: {enabled: true}}");
    assertThat(tags("nodel/app")).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void gc_onStoppedRegistry_reportsStorageBeforeAndAfterAndFreesTheDeletedBlobs() {
    ImageBlueprint keep = TestImages.image(601).layers(1, 128 * 1024).created(JAN).docker();
    ImageBlueprint drop = TestImages.image(602).layers(1, 256 * 1024).created(FEB).docker();
    push("gc/app", "keep", keep);
    push("gc/app", "drop", drop);
    client.deleteManifest("gc/app", drop.manifestDigest()).block(TIMEOUT);
    CliRun run;
    long onDiskAfter;
    registry.stop();
    try {
      run = CliRun.of("gc", registry.configFile().toString());
      onDiskAfter = registry.storageBytes();
    } finally {
      registry.start();
    }

    assertOk(run);
    long before = bytes(run, "Storage before:");
    long after = bytes(run, "Storage after:");
    long freed = bytes(run, "Freed:");
    assertThat(freed).isEqualTo(before - after).isGreaterThanOrEqualTo(256 * 1024);
    assertThat(after).isEqualTo(onDiskAfter);
    assertThat(run.out()).contains("Eligible for deletion:");
    keep.layers()
        .forEach(
            layer ->
                assertThat(client.blob("gc/app", layer.digest()).block(TIMEOUT))
                    .hasSize(128 * 1024));
  }

  @Test
  void ls_withPasswordStdin_authenticatesWithoutWarning() {
    push("stdin/app", "1", image(701, JAN));

    CliRun run =
        CliRun.withStdin(
            registry.password() + "\n",
            "ls",
            "--registry",
            registry.baseUrl().toString(),
            "--username",
            registry.username(),
            "--password-stdin");

    assertOk(run);
    assertThat(run.outLines()).contains("stdin/app");
    assertThat(run.err()).doesNotContain("warning");
  }

  @Test
  void ls_withPasswordArgument_warnsOnStderrWithoutEchoingIt() {
    CliRun run = cli("ls");

    assertOk(run);
    assertThat(run.err())
        .contains("warning: --password exposes the password")
        .contains("--password-stdin")
        .doesNotContain(registry.password());
    assertThat(run.out()).doesNotContain("warning");
  }

  /** Runs {@code command} with the connection options and {@code --password}, then {@code args}. */
  private CliRun cli(String command, String... args) {
    String[] connection = {
      command,
      "--registry",
      registry.baseUrl().toString(),
      "--username",
      registry.username(),
      "--password",
      registry.password()
    };
    return CliRun.of(concat(connection, args));
  }

  /**
   * A journal outside the working directory, so applied prunes leave no file in the source tree.
   */
  private static String tempJournal() {
    try {
      Path file = java.nio.file.Files.createTempFile("registry-prune-journal-", ".jsonl");
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String[] concat(String[] first, String[] second) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(second));
    return all.toArray(String[]::new);
  }

  private static void assertOk(CliRun run) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
  }

  private static ImageBlueprint image(long seed, Instant created) {
    return TestImages.image(seed).layers(1, 1024).created(created).docker();
  }

  private static void push(String repository, String tag, ImageBlueprint image) {
    SampleImages.push(client, repository, tag, image).block(TIMEOUT);
  }

  private static List<String> tags(String repository) {
    return client.tags(repository).collectList().block(TIMEOUT);
  }

  private static List<String> strings(JsonNode array) {
    assertThat(array.isArray()).as("JSON array: " + array).isTrue();
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  /** Reads {@code label 12 B} or {@code label 1.5 KiB (1536 bytes)} from the output. */
  private static long bytes(CliRun run, String label) {
    Matcher m =
        Pattern.compile(
                "(?m)^" + Pattern.quote(label) + "\\s+(?:(\\d+) B|\\S+ \\S+ \\((\\d+) bytes\\))$")
            .matcher(run.out());
    assertThat(m.find()).as("'" + label + "' line in " + run).isTrue();
    return Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
  }
}
