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
 * <p>Two kinds of finding stop a plan from deleting what it should not, and are listed apart from
 * the free-text {@link #warnings()} (which repeat them, one line each):
 * <ul>
 *   <li>{@link #skippedRepositories()}: repositories that could not be read consistently (a tag
 *       listing or manifest unreadable after retries, a listed tag that cannot be resolved, a
 *       {@code Docker-Content-Digest} that disagrees with the bytes served, a schema 1 manifest, an
 *       index child the registry does not have, an invalid tag in the listing, no permission). They
 *       are not in {@link #repositories()}: nothing is deleted there, and the rest of the registry is
 *       planned as usual.
 *   <li>{@link #missingKeep()}: keep rules that match nothing - a whitelist entry whose repository,
 *       tag or digest does not exist, a repository pattern that matches no repository. A typo there
 *       would otherwise delete what it was meant to keep, so {@link Pruner#apply} refuses such a plan
 *       before any {@code DELETE} unless the policy was built with {@link
 *       RetentionPolicy.Builder#allowMissingKeep(boolean) allowMissingKeep(true)}.
 * </ul>
 *
 * @param registry the registry's {@code host[:port]}
 * @param createdAt when the registry listing finished
 * @param policy the policy, as {@link RetentionPolicy#describe()}
 * @param repositories per repository, in catalog order; skipped repositories are not among them
 * @param totals counts and the storage estimate
 * @param warnings things the user should know, one line each (undated images, attached artifacts
 *     left behind, unreadable config blobs, skipped repositories, keep rules that match nothing)
 * @param skippedRepositories repositories in which nothing is deleted, with the reason
 * @param missingKeep keep rules that match nothing
 */
public record PrunePlan(String registry, Instant createdAt, Map<String, Object> policy,
    List<RepositoryPlan> repositories, Totals totals, List<String> warnings,
    List<SkippedRepository> skippedRepositories, List<MissingKeep> missingKeep) {

  /** Canonical constructor; copies. */
  public PrunePlan {
    repositories = List.copyOf(repositories);
    warnings = List.copyOf(warnings);
    skippedRepositories = List.copyOf(skippedRepositories);
    missingKeep = List.copyOf(missingKeep);
    policy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(policy));
  }

  /**
   * A plan without skipped repositories or keep rules that match nothing.
   *
   * @param registry the registry's {@code host[:port]}
   * @param createdAt when the registry listing finished
   * @param policy the policy, as {@link RetentionPolicy#describe()}
   * @param repositories per repository
   * @param totals counts and the storage estimate
   * @param warnings things the user should know
   */
  public PrunePlan(String registry, Instant createdAt, Map<String, Object> policy,
      List<RepositoryPlan> repositories, Totals totals, List<String> warnings) {
    this(registry, createdAt, policy, repositories, totals, warnings, List.of(), List.of());
  }

  /**
   * A repository the plan leaves alone because it could not be read consistently.
   *
   * @param repository the repository
   * @param reason what went wrong, naming the tag or digest where known
   */
  public record SkippedRepository(String repository, String reason) {}

  /**
   * A keep rule that matches nothing in the registry.
   *
   * @param rule the rule as given: a whitelist entry, or {@code includeRepositories=<regex>} /
   *     {@code excludeRepositories=<regex>}
   * @param reason what is missing
   */
  public record MissingKeep(String rule, String reason) {}

  /**
   * @return whether {@link Pruner#apply} refuses this plan: some keep rule matches nothing and the
   *     policy does not allow that
   */
  public boolean refusedForMissingKeep() {
    return !missingKeep.isEmpty() && !Boolean.TRUE.equals(policy.get(RetentionPolicy.ALLOW_MISSING_KEEP));
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
