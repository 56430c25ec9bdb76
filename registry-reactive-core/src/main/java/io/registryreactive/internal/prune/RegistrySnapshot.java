package io.registryreactive.internal.prune;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a planning run saw in the registry: the input of the pure {@link PrunePlanner}. Built by
 * {@link SnapshotCollector} from the registry, or by hand in tests.
 *
 * @param registry the registry's {@code host[:port]}
 * @param takenAt when the listing finished
 * @param repositories the repositories the policy covers
 * @param missingKeep keep rules that match nothing
 * @param outOfScope the repositories the policy does not cover, read only for what they reference
 *     (nothing in them is planned or deleted; their blobs are not reclaimable)
 * @param estimateCaveats why the reclaimable estimate is only an upper bound (manifests that may
 *     reference blobs but could not be seen), or empty when it is exact
 * @param datesRead whether images were dated from their config blobs (only when an age rule needs
 *     dates): if not, an image without a date is not reported as undated
 */
public record RegistrySnapshot(
    String registry,
    Instant takenAt,
    List<Repo> repositories,
    List<io.registryreactive.prune.PrunePlan.MissingKeep> missingKeep,
    List<Repo> outOfScope,
    List<String> estimateCaveats,
    boolean datesRead) {

  /**
   * Canonical constructor; copies.
   *
   * @param registry the registry's {@code host[:port]}
   * @param takenAt when the listing finished
   * @param repositories the repositories the policy covers
   * @param missingKeep keep rules that match nothing
   * @param outOfScope the repositories the policy does not cover
   * @param estimateCaveats why the reclaimable estimate is only an upper bound
   * @param datesRead whether images were dated from their config blobs
   */
  public RegistrySnapshot {
    repositories = List.copyOf(repositories);
    missingKeep = List.copyOf(missingKeep);
    outOfScope = List.copyOf(outOfScope);
    estimateCaveats = List.copyOf(estimateCaveats);
  }

  /**
   * A snapshot of the covered repositories only, with an exact estimate.
   *
   * @param registry the registry's {@code host[:port]}
   * @param takenAt when the listing finished
   * @param repositories the repositories the policy covers
   * @param missingKeep keep rules that match nothing
   */
  public RegistrySnapshot(
      String registry,
      Instant takenAt,
      List<Repo> repositories,
      List<io.registryreactive.prune.PrunePlan.MissingKeep> missingKeep) {
    this(registry, takenAt, repositories, missingKeep, List.of(), List.of(), true);
  }

  /**
   * A snapshot in which every keep rule matched something.
   *
   * @param registry the registry's {@code host[:port]}
   * @param takenAt when the listing finished
   * @param repositories the repositories the policy covers
   */
  public RegistrySnapshot(String registry, Instant takenAt, List<Repo> repositories) {
    this(registry, takenAt, repositories, List.of());
  }

  /**
   * One repository.
   *
   * @param name repository name
   * @param tags tag to manifest digest
   * @param manifests every manifest reachable from a tag (children of indexes included), by digest
   * @param referrers subject digest to the digests of manifests that refer to it (referrers API)
   * @param broken why nothing may be deleted in this repository (its listing or a manifest could
   *     not be read, or contradicts itself), or empty
   * @param notes what the user should know about the repository (unreadable config blobs, ...)
   * @param tagPushTimes tag to when it was pushed, from the registry's storage; empty without
   *     storage
   * @param revisions every manifest revision the registry's storage holds for the repository,
   *     tagged or not, with when it was pushed (its revision link's modification time); empty when
   *     the storage was not read (then untagged manifests are unknown)
   */
  public record Repo(
      String name,
      Map<String, String> tags,
      Map<String, ManifestInfo> manifests,
      Map<String, List<String>> referrers,
      Optional<String> broken,
      List<String> notes,
      Map<String, Instant> tagPushTimes,
      Optional<Map<String, Instant>> revisions) {

    /**
     * Canonical constructor; copies.
     *
     * @param name repository name
     * @param tags tag to manifest digest
     * @param manifests every manifest reachable from a tag (children of indexes included), by
     *     digest
     * @param referrers subject digest to the digests of manifests that refer to it (referrers API)
     * @param broken why nothing may be deleted in this repository (its listing or a manifest could
     *     not be read, or contradicts itself), or empty
     * @param notes what the user should know about the repository (unreadable config blobs, ...)
     * @param tagPushTimes tag to when it was pushed, from the registry's storage; empty without
     *     storage
     * @param revisions every manifest revision in storage with its push time; empty without storage
     */
    public Repo {
      tags = Map.copyOf(tags);
      manifests = Map.copyOf(manifests);
      referrers = Map.copyOf(referrers);
      notes = List.copyOf(notes);
      tagPushTimes = Map.copyOf(tagPushTimes);
      revisions = revisions.map(Map::copyOf);
    }

    /**
     * A repository without storage revisions.
     *
     * @param name repository name
     * @param tags tag to manifest digest
     * @param manifests every manifest reachable from a tag, by digest
     * @param referrers subject digest to its referrers
     * @param broken why nothing may be deleted here, or empty
     * @param notes what the user should know
     * @param tagPushTimes tag to push time
     */
    public Repo(
        String name,
        Map<String, String> tags,
        Map<String, ManifestInfo> manifests,
        Map<String, List<String>> referrers,
        Optional<String> broken,
        List<String> notes,
        Map<String, Instant> tagPushTimes) {
      this(name, tags, manifests, referrers, broken, notes, tagPushTimes, Optional.empty());
    }

    /**
     * @param revisionTimes every manifest revision in storage with its push time
     * @param more manifests to add (the untagged revisions and their children)
     * @return this repository with those revisions and manifests
     */
    public Repo withRevisions(Map<String, Instant> revisionTimes, Map<String, ManifestInfo> more) {
      Map<String, ManifestInfo> all = new java.util.HashMap<>(more);
      all.putAll(manifests);
      return new Repo(
          name, tags, all, referrers, broken, notes, tagPushTimes, Optional.of(revisionTimes));
    }

    /**
     * A repository without push times.
     *
     * @param name repository name
     * @param tags tag to manifest digest
     * @param manifests every manifest reachable from a tag, by digest
     * @param referrers subject digest to its referrers
     * @param broken why nothing may be deleted here, or empty
     * @param notes what the user should know
     */
    public Repo(
        String name,
        Map<String, String> tags,
        Map<String, ManifestInfo> manifests,
        Map<String, List<String>> referrers,
        Optional<String> broken,
        List<String> notes) {
      this(name, tags, manifests, referrers, broken, notes, Map.of());
    }

    /**
     * @param times tag to push time
     * @return this repository with those push times
     */
    public Repo withTagPushTimes(Map<String, Instant> times) {
      return new Repo(name, tags, manifests, referrers, broken, notes, times, revisions);
    }

    /**
     * @return the revisions in storage that no tag, kept digest or referrer reaches: untagged
     *     manifests (index children and referrers excluded); empty without storage
     */
    public java.util.Set<String> untaggedRoots() {
      if (revisions.isEmpty()) {
        return java.util.Set.of();
      }
      java.util.Set<String> reached = new java.util.HashSet<>(tags.values());
      referrers.values().forEach(reached::addAll);
      for (String root : List.copyOf(reached)) {
        PrunePlanner.collectChildren(this, root, reached);
      }
      // Children of an untagged index are reached through it: not roots themselves.
      java.util.Set<String> childrenOfUntagged = new java.util.HashSet<>();
      for (String d : revisions.get().keySet()) {
        if (!reached.contains(d)) {
          PrunePlanner.collectChildren(this, d, childrenOfUntagged);
        }
      }
      reached.addAll(childrenOfUntagged);
      java.util.Set<String> out = new java.util.TreeSet<>();
      for (String d : revisions.get().keySet()) {
        if (!reached.contains(d) && manifests.containsKey(d)) {
          out.add(d);
        }
      }
      return out;
    }

    /**
     * A readable repository without notes.
     *
     * @param name repository name
     * @param tags tag to manifest digest
     * @param manifests every manifest reachable from a tag, by digest
     * @param referrers subject digest to its referrers
     */
    public Repo(
        String name,
        Map<String, String> tags,
        Map<String, ManifestInfo> manifests,
        Map<String, List<String>> referrers) {
      this(name, tags, manifests, referrers, Optional.empty(), List.of());
    }

    /**
     * @param name repository name
     * @param reason why it cannot be pruned
     * @return a repository in which nothing is deleted
     */
    public static Repo broken(String name, String reason) {
      return new Repo(name, Map.of(), Map.of(), Map.of(), Optional.of(reason), List.of());
    }
  }

  /**
   * One manifest.
   *
   * @param digest its digest
   * @param mediaType its media type
   * @param size its own size in bytes (stored as a blob too)
   * @param children for an index: the child manifest digests; else empty
   * @param blobs for an image: config and layer digests with their sizes, in manifest order; else
   *     empty
   * @param created the image's creation time, if known (an index: unset, derived from children)
   * @param dateSource where {@code created} came from
   * @param subject the digest its {@code subject} member names (a referrer), or empty
   */
  public record ManifestInfo(
      String digest,
      String mediaType,
      long size,
      List<String> children,
      Map<String, Long> blobs,
      Optional<Instant> created,
      io.registryreactive.prune.DigestDecision.DateSource dateSource,
      Optional<String> subject) {

    /**
     * Canonical constructor; copies.
     *
     * @param digest its digest
     * @param mediaType its media type
     * @param size its own size in bytes (stored as a blob too)
     * @param children for an index: the child manifest digests; else empty
     * @param blobs for an image: config and layer digests with their sizes; else empty
     * @param created the image's creation time, if known (an index: unset, derived from children)
     * @param dateSource where {@code created} came from
     * @param subject the digest its {@code subject} member names, or empty
     */
    public ManifestInfo {
      children = List.copyOf(children);
      blobs = BlobSizes.copyOf(blobs);
    }

    /**
     * A manifest without a subject.
     *
     * @param digest its digest
     * @param mediaType its media type
     * @param size its own size
     * @param children an index's children
     * @param blobs an image's config and layers
     * @param created its creation time, if known
     * @param dateSource where {@code created} came from
     */
    public ManifestInfo(
        String digest,
        String mediaType,
        long size,
        List<String> children,
        Map<String, Long> blobs,
        Optional<Instant> created,
        io.registryreactive.prune.DigestDecision.DateSource dateSource) {
      this(digest, mediaType, size, children, blobs, created, dateSource, Optional.empty());
    }

    /**
     * @param date its creation time, if known
     * @param source where it came from
     * @return this manifest with that date
     */
    public ManifestInfo withCreated(
        Optional<Instant> date, io.registryreactive.prune.DigestDecision.DateSource source) {
      return new ManifestInfo(digest, mediaType, size, children, blobs, date, source, subject);
    }

    /**
     * A manifest dated by its config, or undated without {@code created}.
     *
     * @param digest its digest
     * @param mediaType its media type
     * @param size its own size
     * @param children an index's children
     * @param blobs an image's config and layers
     * @param created its creation time, if known
     */
    public ManifestInfo(
        String digest,
        String mediaType,
        long size,
        List<String> children,
        Map<String, Long> blobs,
        Optional<Instant> created) {
      this(
          digest,
          mediaType,
          size,
          children,
          blobs,
          created,
          created.isPresent()
              ? io.registryreactive.prune.DigestDecision.DateSource.CONFIG
              : io.registryreactive.prune.DigestDecision.DateSource.NONE);
    }

    /**
     * @return whether this is an index
     */
    public boolean isIndex() {
      return !children.isEmpty() || io.registryreactive.model.MediaTypes.isIndex(mediaType);
    }
  }
}
