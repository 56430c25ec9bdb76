package io.registryreactive.internal.prune;

/**
 * How planning reads the registry.
 *
 * @param headFirst whether listed tags the policy does not keep by name are resolved by {@code
 *     HEAD}, then each digest fetched once by {@code GET}
 * @param readUncovered whether repositories outside the policy's scope are read too, for what they
 *     reference (so that the reclaimable estimate does not count blobs they hold)
 */
public record PlanningOptions(boolean headFirst, boolean readUncovered) {

  /** One {@code GET} per tag; every repository read. */
  public static final PlanningOptions DEFAULT = new PlanningOptions(false, true);

  /**
   * @param enabled whether listed tags are resolved by {@code HEAD} first
   * @return these options so
   */
  public PlanningOptions withHeadFirst(boolean enabled) {
    return new PlanningOptions(enabled, readUncovered);
  }

  /**
   * @param enabled whether repositories outside the policy's scope are read
   * @return these options so
   */
  public PlanningOptions withReadUncovered(boolean enabled) {
    return new PlanningOptions(headFirst, enabled);
  }
}
