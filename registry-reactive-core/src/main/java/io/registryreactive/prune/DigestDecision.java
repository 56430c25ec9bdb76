package io.registryreactive.prune;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan for one manifest digest in one repository.
 *
 * @param digest the manifest digest
 * @param mediaType its media type
 * @param tags the tags pointing at it when the plan was made (empty for an untagged index child)
 * @param action delete or keep
 * @param reasons why: for a kept digest every rule that keeps it; for a deleted one why nothing
 *     does
 * @param created the image's creation time, if known (an index: its newest child)
 * @param undated whether it has no usable creation time (absent, or 1970 from a reproducible build)
 * @param protectedTags tags on it that no rule keeps, kept only because something else holds the
 *     digest - a kept sibling tag, a kept index listing it, a kept image it is attached to - since
 *     deleting a digest removes every tag on it; empty when a rule keeps the image itself (digest
 *     whitelist, age rules)
 * @param children for an index: its child manifests
 * @param attached signatures, attestations and other referrers of this manifest found by tag scheme
 *     or referrers API
 * @param sizeBytes manifest plus config plus layers (an index: plus its children)
 */
public record DigestDecision(
    String digest,
    String mediaType,
    List<String> tags,
    Action action,
    List<String> reasons,
    Optional<Instant> created,
    boolean undated,
    List<String> protectedTags,
    List<String> children,
    List<String> attached,
    long sizeBytes) {

  /** What happens to the digest. */
  public enum Action {
    /** Deleted by {@link Pruner#apply}, with every tag on it. */
    DELETE,
    /** Left alone. */
    KEEP
  }

  /**
   * Canonical constructor; copies the lists.
   *
   * @param digest the manifest digest
   * @param mediaType its media type
   * @param tags the tags pointing at it when the plan was made (empty for an untagged index child)
   * @param action delete or keep
   * @param reasons why: for a kept digest every rule that keeps it; for a deleted one why nothing
   *     does
   * @param created the image's creation time, if known (an index: its newest child)
   * @param undated whether it has no usable creation time (absent, or 1970 from a reproducible
   *     build)
   * @param protectedTags tags on it that no rule keeps, kept only because something else holds the
   *     digest - a kept sibling tag, a kept index listing it, a kept image it is attached to -
   *     since deleting a digest removes every tag on it; empty when a rule keeps the image itself
   *     (digest whitelist, age rules)
   * @param children for an index: its child manifests
   * @param attached signatures, attestations and other referrers of this manifest found by tag
   *     scheme or referrers API
   * @param sizeBytes manifest plus config plus layers (an index: plus its children)
   */
  public DigestDecision {
    Objects.requireNonNull(digest, "digest");
    tags = List.copyOf(tags);
    reasons = List.copyOf(reasons);
    protectedTags = List.copyOf(protectedTags);
    children = List.copyOf(children);
    attached = List.copyOf(attached);
  }

  /**
   * @return whether the digest is deleted
   */
  public boolean isDelete() {
    return action == Action.DELETE;
  }
}
