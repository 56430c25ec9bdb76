package io.registryreactive.prune;

import io.registryreactive.model.DeleteResult;
import java.util.List;

/**
 * Progress of {@link Pruner#apply}: one event per manifest deleted, skipped or failed, one per
 * repository re-checked, and a final {@link Finished} carrying the report.
 */
public sealed interface PruneEvent {

  /**
   * A repository's tags were listed again just before its deletions.
   *
   * @param repository the repository
   * @param newOrMovedTags tags not in the plan, or kept tags now pointing elsewhere
   * @param protectedDigests planned deletions now kept because such a tag points at them
   */
  record RepositoryRechecked(
      String repository, List<String> newOrMovedTags, List<String> protectedDigests)
      implements PruneEvent {
    /**
     * Canonical constructor; copies.
     *
     * @param repository the repository
     * @param newOrMovedTags tags not in the plan, or kept tags now pointing elsewhere
     * @param protectedDigests planned deletions now kept because such a tag points at them
     */
    public RepositoryRechecked {
      newOrMovedTags = List.copyOf(newOrMovedTags);
      protectedDigests = List.copyOf(protectedDigests);
    }
  }

  /**
   * A manifest is gone.
   *
   * @param repository the repository
   * @param digest the manifest digest
   * @param tags the tags it carried when planned
   * @param outcome deleted now, or already absent
   */
  record Deleted(String repository, String digest, List<String> tags, DeleteResult.Outcome outcome)
      implements PruneEvent {
    /**
     * Canonical constructor; copies.
     *
     * @param repository the repository
     * @param digest the manifest digest
     * @param tags the tags it carried when planned
     * @param outcome deleted now, or already absent
     */
    public Deleted {
      tags = List.copyOf(tags);
    }
  }

  /**
   * A planned deletion was not done, on purpose.
   *
   * @param repository the repository
   * @param digest the manifest digest
   * @param reason why (a new tag points at it, its index could not be deleted, ...)
   */
  record Skipped(String repository, String digest, String reason) implements PruneEvent {}

  /**
   * A planned deletion failed; the run goes on with the others.
   *
   * @param repository the repository
   * @param digest the manifest digest
   * @param error the error message (never credentials)
   */
  record Failed(String repository, String digest, String error) implements PruneEvent {}

  /**
   * The run is over; always the last event, unless the subscriber cancelled.
   *
   * @param report what was done
   */
  record Finished(PruneReport report) implements PruneEvent {}
}
