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
   */
  public record Repo(
      String name,
      Map<String, String> tags,
      Map<String, ManifestInfo> manifests,
      Map<String, List<String>> referrers,
      Optional<String> broken,
      List<String> notes) {

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
     */
    public Repo {
      tags = Map.copyOf(tags);
      manifests = Map.copyOf(manifests);
      referrers = Map.copyOf(referrers);
      notes = List.copyOf(notes);
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
   */
  public record ManifestInfo(
      String digest,
      String mediaType,
      long size,
      List<String> children,
      Map<String, Long> blobs,
      Optional<Instant> created) {

    /**
     * Canonical constructor; copies.
     *
     * @param digest its digest
     * @param mediaType its media type
     * @param size its own size in bytes (stored as a blob too)
     * @param children for an index: the child manifest digests; else empty
     * @param blobs for an image: config and layer digests with their sizes; else empty
     * @param created the image's creation time, if known (an index: unset, derived from children)
     */
    public ManifestInfo {
      children = List.copyOf(children);
      blobs = Map.copyOf(blobs);
    }

    /**
     * @return whether this is an index
     */
    public boolean isIndex() {
      return !children.isEmpty() || io.registryreactive.model.MediaTypes.isIndex(mediaType);
    }
  }
}
