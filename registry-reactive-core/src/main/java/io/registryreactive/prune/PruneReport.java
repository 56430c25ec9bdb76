package io.registryreactive.prune;

import io.registryreactive.ClientMetrics;
import io.registryreactive.internal.prune.PruneJson;
import io.registryreactive.model.DeleteResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Pruner#apply} did. {@link #toJson()} gives a stable JSON form.
 *
 * @param registry the registry's {@code host[:port]}
 * @param startedAt when applying started
 * @param finishedAt when it ended
 * @param status how it ended
 * @param abortReason for {@link Status#ABORTED}: why the run stopped
 * @param deleted manifests now gone
 * @param skipped planned deletions not done on purpose
 * @param failures planned deletions that failed, each with its cause
 * @param notAttempted planned deletions never tried (the run was aborted or cancelled first)
 * @param plannedDeletions deletions in the plan
 * @param reclaimableBytesEstimate the plan's estimate of bytes freed by garbage collection
 * @param metrics the client's request counters at the end (attempts, retries, waits)
 */
public record PruneReport(
    String registry,
    Instant startedAt,
    Instant finishedAt,
    Status status,
    Optional<String> abortReason,
    List<DeletedManifest> deleted,
    List<SkippedManifest> skipped,
    List<FailedManifest> failures,
    long notAttempted,
    long plannedDeletions,
    long reclaimableBytesEstimate,
    ClientMetrics metrics) {

  /** How a run ended. */
  public enum Status {
    /** Every planned deletion was done or skipped on purpose. */
    COMPLETED,
    /** Done, but some deletions failed; see {@link #failures()}. */
    COMPLETED_WITH_FAILURES,
    /** Stopped at the first authentication, permission or deletion-disabled error. */
    ABORTED,
    /**
     * The subscriber cancelled; no deletion was started after that, and deletions already sent were
     * awaited, so {@link #deleted()} lists every manifest the run removed.
     */
    CANCELLED
  }

  /**
   * Canonical constructor; copies.
   *
   * @param registry the registry's {@code host[:port]}
   * @param startedAt when applying started
   * @param finishedAt when it ended
   * @param status how it ended
   * @param abortReason for {@link Status#ABORTED}: why the run stopped
   * @param deleted manifests now gone
   * @param skipped planned deletions not done on purpose
   * @param failures planned deletions that failed, each with its cause
   * @param notAttempted planned deletions never tried (the run was aborted or cancelled first)
   * @param plannedDeletions deletions in the plan
   * @param reclaimableBytesEstimate the plan's estimate of bytes freed by garbage collection
   * @param metrics the client's request counters at the end (attempts, retries, waits)
   */
  public PruneReport {
    deleted = List.copyOf(deleted);
    skipped = List.copyOf(skipped);
    failures = List.copyOf(failures);
  }

  /**
   * A manifest now gone.
   *
   * @param repository repository
   * @param digest digest
   * @param tags tags it carried when planned
   * @param outcome deleted now or already absent
   */
  public record DeletedManifest(
      String repository, String digest, List<String> tags, DeleteResult.Outcome outcome) {
    /**
     * Canonical constructor; copies.
     *
     * @param repository repository
     * @param digest digest
     * @param tags tags it carried when planned
     * @param outcome deleted now or already absent
     */
    public DeletedManifest {
      tags = List.copyOf(tags);
    }
  }

  /**
   * A planned deletion not done on purpose.
   *
   * @param repository repository
   * @param digest digest
   * @param reason why
   */
  public record SkippedManifest(String repository, String digest, String reason) {}

  /**
   * A planned deletion that failed.
   *
   * @param repository repository
   * @param digest digest
   * @param error the error message
   */
  public record FailedManifest(String repository, String digest, String error) {}

  /**
   * @return tags removed by the deletions
   */
  public long tagsDeleted() {
    return deleted.stream().mapToLong(d -> d.tags().size()).sum();
  }

  /**
   * @return the report as JSON with stable field names (ISO-8601 times)
   */
  public String toJson() {
    return PruneJson.write(this);
  }
}
