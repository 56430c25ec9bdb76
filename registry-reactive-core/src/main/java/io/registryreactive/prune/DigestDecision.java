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
 * @param dateSource where {@code created} came from; {@link DateSource#NONE} when undated
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
    long sizeBytes,
    DateSource dateSource) {

  /**
   * Where an image's date came from, in the order they are tried; a 1970 value of any counts as
   * absent (reproducible builds: Jib, ko, bazel, nix, {@code buildah commit --timestamp 0}).
   */
  public enum DateSource {
    /** The image config's {@code created}. */
    CONFIG,
    /** The manifest's {@code org.opencontainers.image.created} annotation. */
    ANNOTATION,
    /** When the tag was pushed: its link file's modification time in the registry's storage. */
    PUSH_TIME,
    /** None of these: undated. */
    NONE
  }

  /**
   * A decision without a known date source (plans written before sources were recorded).
   *
   * @param digest the manifest digest
   * @param mediaType its media type
   * @param tags its tags
   * @param action delete or keep
   * @param reasons why
   * @param created its creation time, if known
   * @param undated whether it has no usable creation time
   * @param protectedTags tags kept only because something else holds the digest
   * @param children an index's children
   * @param attached its referrers and attached artifacts
   * @param sizeBytes its size with everything it references
   */
  public DigestDecision(
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
    this(
        digest,
        mediaType,
        tags,
        action,
        reasons,
        created,
        undated,
        protectedTags,
        children,
        attached,
        sizeBytes,
        undated ? DateSource.NONE : DateSource.CONFIG);
  }

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
   * @param dateSource where {@code created} came from; {@link DateSource#NONE} when undated
   */
  public DigestDecision {
    Objects.requireNonNull(digest, "digest");
    tags = List.copyOf(tags);
    reasons = List.copyOf(reasons);
    protectedTags = List.copyOf(protectedTags);
    children = List.copyOf(children);
    attached = List.copyOf(attached);
    Objects.requireNonNull(dateSource, "dateSource");
  }

  /**
   * @return whether the digest is deleted
   */
  public boolean isDelete() {
    return action == Action.DELETE;
  }
}
