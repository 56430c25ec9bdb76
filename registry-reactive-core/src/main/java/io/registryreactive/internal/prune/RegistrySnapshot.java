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
 */
public record RegistrySnapshot(
    String registry,
    Instant takenAt,
    List<Repo> repositories,
    List<io.registryreactive.prune.PrunePlan.MissingKeep> missingKeep) {

  /**
   * Canonical constructor; copies.
   *
   * @param registry the registry's {@code host[:port]}
   * @param takenAt when the listing finished
   * @param repositories the repositories the policy covers
   */
  public RegistrySnapshot {
    repositories = List.copyOf(repositories);
    missingKeep = List.copyOf(missingKeep);
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
   */
  public record Repo(
      String name,
      Map<String, String> tags,
      Map<String, ManifestInfo> manifests,
      Map<String, List<String>> referrers,
      Optional<String> broken,
      List<String> notes,
      Map<String, Instant> tagPushTimes) {

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
     */
    public Repo {
      tags = Map.copyOf(tags);
      manifests = Map.copyOf(manifests);
      referrers = Map.copyOf(referrers);
      notes = List.copyOf(notes);
      tagPushTimes = Map.copyOf(tagPushTimes);
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
      return new Repo(name, tags, manifests, referrers, broken, notes, times);
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
   * @param blobs for an image: config and layer digests with their sizes; else empty
   * @param created the image's creation time, if known (an index: unset, derived from children)
   * @param dateSource where {@code created} came from
   */
  public record ManifestInfo(
      String digest,
      String mediaType,
      long size,
      List<String> children,
      Map<String, Long> blobs,
      Optional<Instant> created,
      io.registryreactive.prune.DigestDecision.DateSource dateSource) {

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
     */
    public ManifestInfo {
      children = List.copyOf(children);
      blobs = Map.copyOf(blobs);
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
