package io.registryreactive.model;

import java.util.Objects;

/**
 * The outcome of deleting one manifest. Failures are errors, not results; both outcomes here mean
 * the manifest is gone.
 *
 * @param repository the repository
 * @param digest the manifest digest
 * @param outcome whether this call deleted it or it was already gone
 */
public record DeleteResult(String repository, String digest, Outcome outcome) {

  /** How the manifest came to be gone. */
  public enum Outcome {
    /** The registry accepted the delete (202). */
    DELETED,
    /**
     * The registry did not know the manifest (404): someone else deleted it, or it never existed.
     */
    ALREADY_ABSENT
  }

  /**
   * Canonical constructor; checks for nulls.
   *
   * @param repository the repository
   * @param digest the manifest digest
   * @param outcome whether this call deleted it or it was already gone
   */
  public DeleteResult {
    Objects.requireNonNull(repository, "'repository' must not be null");
    Objects.requireNonNull(digest, "'digest' must not be null");
    Objects.requireNonNull(outcome, "'outcome' must not be null");
  }

  /**
   * @return whether this call deleted the manifest
   */
  public boolean deleted() {
    return outcome == Outcome.DELETED;
  }
}
