package io.registryreactive.prune;

import io.registryreactive.internal.prune.PruneJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a prune would delete and keep, computed by {@link Pruner#plan} without deleting anything.
 * {@link #toJson()} gives a stable JSON form for audits and the CLI.
 *
 * @param registry the registry's {@code host[:port]}
 * @param createdAt when the registry listing finished
 * @param policy the policy, as {@link RetentionPolicy#describe()}
 * @param repositories per repository, in catalog order
 * @param totals counts and the storage estimate
 * @param warnings things the user should know (undated images, attached artifacts left behind, ...)
 */
public record PrunePlan(String registry, Instant createdAt, Map<String, Object> policy,
    List<RepositoryPlan> repositories, Totals totals, List<String> warnings) {

  /** Canonical constructor; copies. */
  public PrunePlan {
    repositories = List.copyOf(repositories);
    warnings = List.copyOf(warnings);
    policy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(policy));
  }

  /**
   * Plan totals.
   *
   * @param repositories repositories covered by the policy
   * @param tagsScanned tags seen
   * @param tagsToDelete tags that disappear
   * @param tagsKept tags that stay
   * @param digestsToDelete manifests deleted (index children included)
   * @param digestsKept manifests kept
   * @param digestsProtected kept manifests carrying a tag the policy alone would delete
   * @param undated manifests without a usable creation time
   * @param reclaimableBytes bytes a garbage collection frees after the plan is applied: blobs
   *     (configs, layers, manifests) referenced only by deleted manifests, each counted once
   *     across the whole registry
   */
  public record Totals(int repositories, long tagsScanned, long tagsToDelete, long tagsKept, long digestsToDelete,
      long digestsKept, long digestsProtected, long undated, long reclaimableBytes) {}

  /** @return the plan as JSON with stable field names (ISO-8601 times) */
  public String toJson() {
    return PruneJson.write(this);
  }
}
