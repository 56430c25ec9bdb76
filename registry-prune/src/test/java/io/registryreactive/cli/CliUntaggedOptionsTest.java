package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code prune --untagged} and {@code --untagged-min-age} are refused before any request when they
 * cannot work, and a reviewed plan made with them (or with {@code --allow-missing-keep}) replays
 * them.
 */
@Timeout(60)
class CliUntaggedOptionsTest {
  /** Nothing listens there: a request would fail with a connection error, not exit 2. */
  private static final String NOWHERE = "http://127.0.0.1:1";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--untagged                            | --untagged needs --registry-config",
        "--untagged-min-age=2h                 | --untagged-min-age is given without --untagged",
        "--untagged --untagged-min-age=6m --registry-config=/nonexistent | ambiguous"
      })
  void prune_withUnusableUntaggedOptions_exits2BeforeAnyRequest(String options, String message) {
    List<String> args = new java.util.ArrayList<>(List.of("prune", "--registry", NOWHERE));
    args.addAll(List.of(options.strip().split(" +")));
    args.addAll(List.of("--keep", "app:latest"));

    CliRun run = CliRun.of(args.toArray(String[]::new));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err()).contains(message).doesNotContain("Connection refused");
  }

  @Test
  void reviewedPlan_withDeleteUntaggedAndAllowMissingKeep_replaysThem() {
    RetentionPolicy made =
        RetentionPolicy.builder()
            .keep("app:latest")
            .deleteUntagged(true)
            .untaggedMinAge(Duration.ofMinutes(30))
            .allowMissingKeep(true)
            .build();
    PrunePlan plan =
        new PrunePlan(
            "127.0.0.1:5000",
            Instant.parse("2024-06-01T00:00:00Z"),
            made.describe(),
            List.of(),
            new PrunePlan.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0),
            List.of());

    RetentionPolicy replayed =
        ReviewedPlan.policy(
            PrunePlan.fromJson(plan.toJson()), Path.of("plan.json"), "127.0.0.1:5000");

    assertThat(replayed.deleteUntagged()).isTrue();
    assertThat(replayed.untaggedMinAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(replayed.allowMissingKeep()).isTrue();
    assertThat(replayed.describe()).isEqualTo(made.describe());
    assertThat(plan.policy()).containsEntry(RetentionPolicy.DELETE_UNTAGGED, true);
  }
}
