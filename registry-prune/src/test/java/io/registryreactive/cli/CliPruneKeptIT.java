package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.FAILED;
import static io.registryreactive.cli.CliRun.OK;
import static io.registryreactive.cli.CliRun.USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code registry-prune prune} with keep rules that match nothing (refused with exit 2 before any
 * DELETE unless {@code --allow-missing-keep}) and with a broken repository (skipped, the others
 * pruned, exit 1).
 */
@RealRegistry
@Timeout(90)
class CliPruneKeptIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static ReactiveRegistryClient client;

  private final RegistryProcess registry;

  CliPruneKeptIT(RegistryProcess registry) {
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
  void pruneApply_whenAKeepEntryMatchesNothing_exits2BeforeAnyDeleteAndSaysWhich()
      throws IOException {
    push("typo/app", "keep1", image(811));
    push("typo/app", "other", image(812));

    CliRun text = cli("prune", "--apply", "--repository", "typo/.*", "--keep", "typo/app:kep1");
    assertThat(text.exitCode()).as(text.toString()).isEqualTo(USAGE);
    assertThat(text.out()).contains("warning: keep rule 'typo/app:kep1' matches nothing");
    assertThat(text.err()).contains("--allow-missing-keep").contains("nothing was deleted");

    CliRun json =
        cli(
            "prune",
            "--apply",
            "--output",
            "json",
            "--repository",
            "typo/.*",
            "--keep",
            "typo/app:kep1");
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(USAGE);
    JsonNode plan = new ObjectMapper().readTree(json.out());
    assertThat(plan.path("missingKeep").findValuesAsText("rule")).containsExactly("typo/app:kep1");
    assertThat(plan.path("warnings").toString()).contains("typo/app:kep1");
    assertThat(tags("typo/app")).containsExactlyInAnyOrder("keep1", "other");

    CliRun allowed =
        cli(
            "prune",
            "--apply",
            "--allow-missing-keep",
            "--repository",
            "typo/.*",
            "--keep",
            "typo/app:kep1",
            "--keep",
            "typo/app:keep1");
    assertThat(allowed.exitCode()).as(allowed.toString()).isEqualTo(OK);
    assertThat(tags("typo/app")).containsExactly("keep1");
  }

  @Test
  void pruneApply_whenOneRepositoryHasADanglingIndexChild_prunesTheOthersAndExits1() {
    ImageBlueprint amd = TestImages.image(821).layers(1, 1024).platform("linux", "amd64").oci();
    ImageBlueprint arm = TestImages.image(822).layers(1, 1024).platform("linux", "arm64").oci();
    ImageBlueprint index = TestImages.index(List.of(amd, arm), true);
    SampleImages.push(client, "broken/multi", "multi", index).block(TIMEOUT);
    push("broken/multi", "old", image(823));
    push("broken/fine", "keep", image(824));
    push("broken/fine", "old", image(825));
    client.deleteManifest("broken/multi", amd.manifestDigest()).block(TIMEOUT);

    CliRun run = cli("prune", "--apply", "--repository", "broken/.*", "--keep", "broken/fine:keep");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(FAILED);
    assertThat(run.out())
        .contains("broken/multi: skipped, nothing is deleted there")
        .contains(amd.manifestDigest());
    assertThat(tags("broken/fine")).containsExactly("keep");
    assertThat(tags("broken/multi")).containsExactlyInAnyOrder("multi", "old");
  }

  private CliRun cli(String command, String... args) {
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

  private static ImageBlueprint image(long seed) {
    return TestImages.image(seed).layers(1, 1024).docker();
  }

  private static void push(String repository, String tag, ImageBlueprint image) {
    SampleImages.push(client, repository, tag, image).block(TIMEOUT);
  }

  private static List<String> tags(String repository) {
    return client.tags(repository).collectList().block(TIMEOUT);
  }
}
