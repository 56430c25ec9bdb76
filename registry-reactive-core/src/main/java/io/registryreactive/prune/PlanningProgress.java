package io.registryreactive.prune;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a plan's listing has got, as given to {@link Pruner#withPlanningProgress}. Every count
 * only grows from one progress to the next; the last one given before the plan is ready holds the
 * totals.
 *
 * @param repositoriesListed covered repositories found so far (the catalog is read page by page, so
 *     this grows while planning)
 * @param repositoriesDone covered repositories whose tags and manifests are all read (or that were
 *     found unreadable and are skipped)
 * @param tagsSeen tags in the tag listings of the covered repositories read so far
 * @param manifestsRead manifests fetched so far: one {@code GET} per listed tag, then one per index
 *     child or referrer not read before (by digest, shared across repositories)
 * @param elapsed time since the planning started
 */
public record PlanningProgress(
    long repositoriesListed,
    long repositoriesDone,
    long tagsSeen,
    long manifestsRead,
    Duration elapsed) {

  /**
   * Checks that no count is negative and that the elapsed time is given.
   *
   * @param repositoriesListed covered repositories found so far
   * @param repositoriesDone covered repositories fully read
   * @param tagsSeen tags listed so far
   * @param manifestsRead manifests fetched so far
   * @param elapsed time since the planning started
   */
  public PlanningProgress {
    if (repositoriesListed < 0 || repositoriesDone < 0 || tagsSeen < 0 || manifestsRead < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    Objects.requireNonNull(elapsed, "'elapsed' must not be null");
  }
}
