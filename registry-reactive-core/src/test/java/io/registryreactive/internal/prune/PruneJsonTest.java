package io.registryreactive.internal.prune;

import static io.registryreactive.internal.prune.SnapshotBuilder.blob;
import static io.registryreactive.internal.prune.SnapshotBuilder.digest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ClientMetrics;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PruneJsonTest {

  private static final ObjectMapper JACKSON = new ObjectMapper();
  private static final Instant TAKEN = Instant.parse("2024-06-01T12:00:00.123456789Z");
  private static final Instant NOW = Instant.parse("2024-06-01T12:30:00Z");
  private static final String DATED = digest("dated");
  private static final String UNDATED = digest("undated");
  private static final String OLD = digest("old");
  private static final RetentionPolicy POLICY = RetentionPolicy.builder().keepLast(1).build();

  private static PrunePlan plan() {
    RegistrySnapshot snapshot =
        SnapshotBuilder.registry("127.0.0.1:5000")
            .takenAt(TAKEN)
            .repo("app")
            .taggedImage("new", DATED, Instant.parse("2024-05-31T08:15:30Z"), blob("cfg", 10))
            .tag("repro", UNDATED)
            .undatedImage(UNDATED, blob("cfg2", 20))
            .taggedImage("old", OLD, Instant.parse("2023-01-01T00:00:00Z"), blob("cfg3", 30))
            .build();
    return PrunePlanner.plan(snapshot, POLICY, NOW);
  }

  private static JsonNode parse(String json) throws Exception {
    return JACKSON.readTree(json);
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static JsonNode decision(JsonNode plan, String digest) {
    for (JsonNode d : plan.get("repositories").get(0).get("decisions")) {
      if (d.get("digest").asText().equals(digest)) {
        return d;
      }
    }
    throw new AssertionError("no decision for " + digest);
  }

  @Test
  void planToJson_whenWritten_hasStableTopLevelAndTotalsFieldNames() throws Exception {
    JsonNode json = parse(plan().toJson());

    assertThat(keys(json))
        .containsExactly(
            "registry",
            "createdAt",
            "policy",
            "repositories",
            "totals",
            "warnings",
            "skippedRepositories",
            "missingKeep");
    assertThat(keys(json.get("totals")))
        .containsExactly(
            "repositories",
            "tagsScanned",
            "tagsToDelete",
            "tagsKept",
            "digestsToDelete",
            "digestsKept",
            "digestsProtected",
            "undated",
            "reclaimableBytes",
            "reclaimableUpperBound",
            "reclaimableCaveats");
    assertThat(keys(json.get("repositories").get(0)))
        .containsExactly("repository", "tagsScanned", "decisions");
    assertThat(json.get("registry").asText()).isEqualTo("127.0.0.1:5000");
    assertThat(json.get("totals").get("tagsToDelete").asLong()).isEqualTo(1);
    assertThat(json.get("totals").get("reclaimableBytes").asLong())
        .isEqualTo(SnapshotBuilder.MANIFEST_SIZE + 30);
    assertThat(json.get("warnings").get(0).asText()).contains("no usable creation time");
  }

  @Test
  void planToJson_whenWritten_writesDecisionFieldsWithIsoInstantsAndNullForUnknownDates()
      throws Exception {
    JsonNode json = parse(plan().toJson());

    JsonNode dated = decision(json, DATED);
    JsonNode undated = decision(json, UNDATED);
    assertThat(keys(dated))
        .containsExactly(
            "digest",
            "mediaType",
            "tags",
            "action",
            "reasons",
            "created",
            "undated",
            "protectedTags",
            "children",
            "attached",
            "sizeBytes",
            "dateSource");
    assertThat(dated.get("created").asText()).isEqualTo("2024-05-31T08:15:30Z");
    assertThat(dated.get("action").asText()).isEqualTo("KEEP");
    assertThat(dated.get("tags").get(0).asText()).isEqualTo("new");
    assertThat(undated.get("created").isNull()).isTrue();
    assertThat(undated.get("undated").asBoolean()).isTrue();
    assertThat(decision(json, OLD).get("action").asText()).isEqualTo("DELETE");
    assertThat(Instant.parse(json.get("createdAt").asText())).isEqualTo(TAKEN);
    assertThat(json.get("createdAt").asText()).isEqualTo("2024-06-01T12:00:00.123456789Z");
  }

  @Test
  void planToJson_whenWritten_describesThePolicyWithNullForUnsetRules() throws Exception {
    JsonNode policy = parse(plan().toJson()).get("policy");

    // The names and their order are RetentionPolicy.describe()'s (RetentionPolicyTest pins them).
    assertThat(keys(policy)).containsExactlyElementsOf(POLICY.describe().keySet());
    assertThat(policy.get("keepLast").asInt()).isEqualTo(1);
    assertThat(policy.get("keepNewerThan").isNull()).isTrue();
    assertThat(policy.get("keep").isArray()).isTrue();
    assertThat(policy.get("keep")).isEmpty();
  }

  @Test
  void planToJson_whenSamePlanWrittenTwice_isIdentical() {
    assertThat(plan().toJson()).isEqualTo(plan().toJson());
  }

  private static PruneReport report(PruneReport.Status status, Optional<String> abortReason) {
    ClientMetrics metrics =
        new ClientMetrics(12, 2, Map.of("status 503", 2L), 0, 0, 1, Duration.ofMillis(1500), 1);
    return new PruneReport(
        "127.0.0.1:5000",
        Instant.parse("2024-06-01T13:00:00Z"),
        Instant.parse("2024-06-01T13:00:05.5Z"),
        status,
        abortReason,
        List.of(
            new PruneReport.DeletedManifest(
                "app", OLD, List.of("old"), DeleteResult.Outcome.ALREADY_ABSENT)),
        List.of(new PruneReport.SkippedManifest("app", DATED, "a new tag points at it")),
        List.of(new PruneReport.FailedManifest("app", UNDATED, "status 500")),
        3,
        6,
        4096,
        metrics);
  }

  @Test
  void reportToJson_whenWritten_hasStableFieldNamesAndIsoTimes() throws Exception {
    JsonNode json =
        parse(report(PruneReport.Status.COMPLETED_WITH_FAILURES, Optional.empty()).toJson());

    assertThat(keys(json))
        .containsExactly(
            "registry",
            "startedAt",
            "finishedAt",
            "status",
            "abortReason",
            "deleted",
            "skipped",
            "failures",
            "notAttempted",
            "plannedDeletions",
            "reclaimableBytesEstimate",
            "metrics");
    assertThat(json.get("startedAt").asText()).isEqualTo("2024-06-01T13:00:00Z");
    assertThat(json.get("finishedAt").asText()).isEqualTo("2024-06-01T13:00:05.500Z");
    assertThat(json.get("status").asText()).isEqualTo("COMPLETED_WITH_FAILURES");
    assertThat(json.get("abortReason").isNull()).isTrue();
    assertThat(keys(json.get("deleted").get(0)))
        .containsExactly("repository", "digest", "tags", "outcome");
    assertThat(json.get("deleted").get(0).get("outcome").asText()).isEqualTo("ALREADY_ABSENT");
    assertThat(keys(json.get("skipped").get(0))).containsExactly("repository", "digest", "reason");
    assertThat(keys(json.get("failures").get(0))).containsExactly("repository", "digest", "error");
    assertThat(json.get("notAttempted").asLong()).isEqualTo(3);
    assertThat(json.get("reclaimableBytesEstimate").asLong()).isEqualTo(4096);
  }

  @Test
  void reportToJson_whenWritten_writesMetricsWithIsoDuration() throws Exception {
    JsonNode metrics =
        parse(report(PruneReport.Status.COMPLETED, Optional.empty()).toJson()).get("metrics");

    assertThat(keys(metrics))
        .containsExactly(
            "attempts",
            "retries",
            "retriesByReason",
            "throttled",
            "clientPauses",
            "rateLimitWaits",
            "totalWait",
            "deletesConfirmedOnRetry");
    assertThat(metrics.get("totalWait").asText()).isEqualTo("PT1.5S");
    assertThat(metrics.get("retriesByReason").get("status 503").asLong()).isEqualTo(2);
  }

  @Test
  void reportToJson_whenAborted_writesTheReason() throws Exception {
    JsonNode json =
        parse(report(PruneReport.Status.ABORTED, Optional.of("deletion is disabled")).toJson());

    assertThat(json.get("status").asText()).isEqualTo("ABORTED");
    assertThat(json.get("abortReason").asText()).isEqualTo("deletion is disabled");
  }

  @Test
  void write_whenNestedOptionalsAndEnums_convertsEveryLevel() throws Exception {
    record Inner(Optional<Instant> at, DeleteResult.Outcome outcome, Optional<Duration> pause) {}
    record Outer(List<Inner> items, Map<Integer, Optional<String>> byNumber) {}

    JsonNode json =
        parse(
            PruneJson.write(
                new Outer(
                    List.of(
                        new Inner(
                            Optional.of(Instant.EPOCH),
                            DeleteResult.Outcome.DELETED,
                            Optional.empty())),
                    Map.of(7, Optional.empty()))));

    assertThat(json.get("items").get(0).get("at").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(json.get("items").get(0).get("outcome").asText()).isEqualTo("DELETED");
    assertThat(json.get("items").get(0).get("pause").isNull()).isTrue();
    assertThat(json.get("byNumber").has("7")).isTrue();
    assertThat(json.get("byNumber").get("7").isNull()).isTrue();
  }
}
