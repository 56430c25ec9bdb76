package io.registryreactive.prune;

import io.registryreactive.internal.prune.PruneJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a prune would delete and keep, computed by {@link Pruner#plan} without deleting anything.
 * {@link #toJson()} gives a stable JSON form for audits and the CLI.
 *
 * <p>Two kinds of finding stop a plan from deleting what it should not, and are listed apart from
 * the free-text {@link #warnings()} (which repeat them, one line each):
 *
 * <ul>
 *   <li>{@link #skippedRepositories()}: repositories that could not be read consistently (a tag
 *       listing or manifest unreadable after retries, a listed tag that cannot be resolved, a
 *       {@code Docker-Content-Digest} that disagrees with the bytes served, a schema 1 manifest, an
 *       index child the registry does not have, an invalid tag in the listing, no permission). They
 *       are not in {@link #repositories()}: nothing is deleted there, and the rest of the registry
 *       is planned as usual.
 *   <li>{@link #missingKeep()}: keep rules that match nothing - a whitelist entry whose repository,
 *       tag or digest does not exist, a repository pattern that matches no repository. A typo there
 *       would otherwise delete what it was meant to keep, so {@link Pruner#apply} refuses such a
 *       plan before any {@code DELETE} unless the policy was built with {@link
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
public record PrunePlan(
    String registry,
    Instant createdAt,
    Map<String, Object> policy,
    List<RepositoryPlan> repositories,
    Totals totals,
    List<String> warnings,
    List<SkippedRepository> skippedRepositories,
    List<MissingKeep> missingKeep) {

  /**
   * Canonical constructor; copies.
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
  public PrunePlan(
      String registry,
      Instant createdAt,
      Map<String, Object> policy,
      List<RepositoryPlan> repositories,
      Totals totals,
      List<String> warnings) {
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
    return !missingKeep.isEmpty()
        && !Boolean.TRUE.equals(policy.get(RetentionPolicy.ALLOW_MISSING_KEEP));
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
   *     (configs, layers, manifests) referenced by deleted manifests and by no manifest that stays
   *     in any repository (covered or not, tagged or not), each counted once
   * @param reclaimableUpperBound whether {@code reclaimableBytes} may count blobs that garbage
   *     collection keeps, because some manifests could not be seen ({@code reclaimableCaveats} says
   *     which)
   * @param reclaimableCaveats why the estimate is only an upper bound; empty when it is exact
   */
  public record Totals(
      int repositories,
      long tagsScanned,
      long tagsToDelete,
      long tagsKept,
      long digestsToDelete,
      long digestsKept,
      long digestsProtected,
      long undated,
      long reclaimableBytes,
      boolean reclaimableUpperBound,
      List<String> reclaimableCaveats) {

    /**
     * Canonical constructor; copies, and marks the estimate an upper bound when there is a caveat.
     *
     * @param repositories repositories covered by the policy
     * @param tagsScanned tags seen
     * @param tagsToDelete tags that disappear
     * @param tagsKept tags that stay
     * @param digestsToDelete manifests deleted (index children included)
     * @param digestsKept manifests kept
     * @param digestsProtected kept manifests carrying a tag the policy alone would delete
     * @param undated manifests without a usable creation time
     * @param reclaimableBytes bytes a garbage collection frees after the plan is applied
     * @param reclaimableUpperBound whether the estimate may count blobs that stay
     * @param reclaimableCaveats why the estimate is only an upper bound
     */
    public Totals {
      reclaimableCaveats = List.copyOf(reclaimableCaveats);
      reclaimableUpperBound = reclaimableUpperBound || !reclaimableCaveats.isEmpty();
    }

    /**
     * Totals with an exact estimate.
     *
     * @param repositories repositories covered by the policy
     * @param tagsScanned tags seen
     * @param tagsToDelete tags that disappear
     * @param tagsKept tags that stay
     * @param digestsToDelete manifests deleted (index children included)
     * @param digestsKept manifests kept
     * @param digestsProtected kept manifests carrying a tag the policy alone would delete
     * @param undated manifests without a usable creation time
     * @param reclaimableBytes bytes a garbage collection frees after the plan is applied
     */
    public Totals(
        int repositories,
        long tagsScanned,
        long tagsToDelete,
        long tagsKept,
        long digestsToDelete,
        long digestsKept,
        long digestsProtected,
        long undated,
        long reclaimableBytes) {
      this(
          repositories,
          tagsScanned,
          tagsToDelete,
          tagsKept,
          digestsToDelete,
          digestsKept,
          digestsProtected,
          undated,
          reclaimableBytes,
          false,
          List.of());
    }
  }

  /**
   * @return the plan as JSON with stable field names (ISO-8601 times)
   */
  public String toJson() {
    return PruneJson.write(this);
  }

  /**
   * Reads a plan {@link #toJson()} wrote, for example a dry run saved for review. Members this
   * version does not know are ignored.
   *
   * @param json the plan as JSON
   * @return the plan
   * @throws IllegalArgumentException if it is not JSON, or a member is missing or of the wrong type
   *     (the message names it)
   */
  public static PrunePlan fromJson(String json) {
    return PruneJson.readPlan(java.util.Objects.requireNonNull(json, "'json' must not be null"));
  }

  /**
   * The references ({@code repository@digest}) this plan deletes.
   *
   * @return them, in plan order
   */
  public java.util.Set<String> deletionReferences() {
    java.util.Set<String> refs = new java.util.LinkedHashSet<>();
    for (RepositoryPlan r : repositories) {
      r.deletions().forEach(d -> refs.add(r.repository() + "@" + d.digest()));
    }
    return java.util.Collections.unmodifiableSet(refs);
  }

  /**
   * This plan with only the deletions also in {@code allowed} (for example the {@link
   * #deletionReferences()} of a reviewed plan): every other deletion becomes a keep, and so does
   * everything a kept manifest holds - an index's children, an image's attached signatures - so
   * that a kept index never loses a child. Nothing becomes a deletion. Totals are recounted; the
   * reclaimable estimate becomes at most this plan's and at most the summed sizes of the remaining
   * deletions (an upper bound: blob sharing is not known from the plan alone).
   *
   * @param allowed {@code repository@digest} references that may be deleted
   * @return the restricted plan (this plan if it deletes nothing else)
   */
  public PrunePlan restrictDeletionsTo(java.util.Collection<String> allowed) {
    java.util.Set<String> may = java.util.Set.copyOf(allowed);
    List<RepositoryPlan> repos = new java.util.ArrayList<>();
    long dropped = 0;
    long tagsToDelete = 0;
    long digestsToDelete = 0;
    long digestsKept = 0;
    long digestsProtected = 0;
    long remainingBytes = 0;
    for (RepositoryPlan r : repositories) {
      Map<String, DigestDecision> byDigest = new java.util.LinkedHashMap<>();
      r.decisions().forEach(d -> byDigest.put(d.digest(), d));
      java.util.Set<String> kept = new java.util.HashSet<>();
      java.util.Set<String> notReviewed = new java.util.HashSet<>();
      for (DigestDecision d : r.decisions()) {
        if (!d.isDelete()) {
          kept.add(d.digest());
        } else if (!may.contains(r.repository() + "@" + d.digest())) {
          kept.add(d.digest());
          notReviewed.add(d.digest());
        }
      }
      java.util.Deque<String> queue = new java.util.ArrayDeque<>(kept);
      java.util.Set<String> heldByKept = new java.util.HashSet<>();
      while (!queue.isEmpty()) {
        DigestDecision d = byDigest.get(queue.poll());
        if (d == null) {
          continue;
        }
        for (String held : concat(d.children(), d.attached())) {
          DigestDecision h = byDigest.get(held);
          if (h != null && h.isDelete() && kept.add(held)) {
            heldByKept.add(held);
            queue.add(held);
          }
        }
      }
      List<DigestDecision> decisions = new java.util.ArrayList<>();
      for (DigestDecision d : r.decisions()) {
        DigestDecision out = d;
        if (d.isDelete() && kept.contains(d.digest())) {
          dropped++;
          List<String> reasons = new java.util.ArrayList<>(d.reasons());
          reasons.add(
              notReviewed.contains(d.digest())
                  ? "not a deletion in the reviewed plan"
                  : "held by a manifest kept because it is not a deletion in the reviewed plan");
          out =
              new DigestDecision(
                  d.digest(),
                  d.mediaType(),
                  d.tags(),
                  DigestDecision.Action.KEEP,
                  reasons,
                  d.created(),
                  d.undated(),
                  d.tags(),
                  d.children(),
                  d.attached(),
                  d.sizeBytes());
        }
        if (out.isDelete()) {
          tagsToDelete += out.tags().size();
          digestsToDelete++;
          remainingBytes += out.sizeBytes();
        } else {
          digestsKept++;
          if (!out.protectedTags().isEmpty()) {
            digestsProtected++;
          }
        }
        decisions.add(out);
      }
      repos.add(new RepositoryPlan(r.repository(), r.tagsScanned(), decisions));
    }
    if (dropped == 0) {
      return this;
    }
    Totals t =
        new Totals(
            totals.repositories(),
            totals.tagsScanned(),
            tagsToDelete,
            totals.tagsScanned() - tagsToDelete,
            digestsToDelete,
            digestsKept,
            digestsProtected,
            totals.undated(),
            Math.min(totals.reclaimableBytes(), remainingBytes),
            totals.reclaimableUpperBound(),
            totals.reclaimableCaveats());
    List<String> w = new java.util.ArrayList<>(warnings);
    w.add(
        dropped
            + " planned deletions are kept: they are not deletions in the reviewed plan (or are held by "
            + "such a manifest)");
    return new PrunePlan(registry, createdAt, policy, repos, t, w);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
