package io.registryreactive.prune;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Where an applied prune records each manifest it is about to delete, so that the deletion can be
 * undone: until the registry's garbage collector runs, the blobs stay, and pushing the recorded
 * manifest bytes back (and its tags) restores the image exactly.
 *
 * <p>The pruner calls {@link #record} before it sends each {@code DELETE} and sends it only after
 * the returned {@code Mono} completes; an error from the journal fails that deletion (nothing is
 * sent). Implementations that write to disk must do so off the event loop (for example on {@code
 * Schedulers.boundedElastic()}).
 */
@FunctionalInterface
public interface DeletionJournal {

  /**
   * Records one manifest before it is deleted.
   *
   * @param entry what is about to be deleted
   * @return completes once the entry is recorded durably enough to restore from
   */
  Mono<Void> record(Entry entry);

  /**
   * @return a journal that records nothing (the default)
   */
  static DeletionJournal none() {
    return entry -> Mono.empty();
  }

  /**
   * One manifest about to be deleted.
   *
   * @param registry the registry's base URL, without credentials
   * @param repository the repository name
   * @param digest the manifest's digest ({@code sha256:...}), the sha256 of {@code manifest}
   * @param mediaType the manifest's media type, as it must be sent back with a {@code PUT}
   * @param manifest the exact manifest bytes the registry served for {@code digest}
   * @param tags the tags that pointed at the digest when it was planned
   * @param recordedAt when the entry was made
   */
  record Entry(
      String registry,
      String repository,
      String digest,
      String mediaType,
      byte[] manifest,
      List<String> tags,
      Instant recordedAt) {

    /**
     * Checks that no component is null and copies the bytes and tags.
     *
     * @param registry the registry's base URL, without credentials
     * @param repository the repository name
     * @param digest the manifest's digest ({@code sha256:...}), the sha256 of {@code manifest}
     * @param mediaType the manifest's media type, as it must be sent back with a {@code PUT}
     * @param manifest the exact manifest bytes the registry served for {@code digest}
     * @param tags the tags that pointed at the digest when it was planned
     * @param recordedAt when the entry was made
     */
    public Entry {
      Objects.requireNonNull(registry, "'registry' must not be null");
      Objects.requireNonNull(repository, "'repository' must not be null");
      Objects.requireNonNull(digest, "'digest' must not be null");
      Objects.requireNonNull(mediaType, "'mediaType' must not be null");
      manifest = Objects.requireNonNull(manifest, "'manifest' must not be null").clone();
      tags = List.copyOf(tags);
      Objects.requireNonNull(recordedAt, "'recordedAt' must not be null");
    }

    /**
     * @return a copy of the manifest bytes
     */
    @Override
    public byte[] manifest() {
      return manifest.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && registry.equals(e.registry)
          && repository.equals(e.repository)
          && digest.equals(e.digest)
          && mediaType.equals(e.mediaType)
          && Arrays.equals(manifest, e.manifest)
          && tags.equals(e.tags)
          && recordedAt.equals(e.recordedAt);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          registry, repository, digest, mediaType, Arrays.hashCode(manifest), tags, recordedAt);
    }

    @Override
    public String toString() {
      return "Entry["
          + repository
          + "@"
          + digest
          + " "
          + mediaType
          + " "
          + manifest.length
          + " bytes, tags="
          + tags
          + "]";
    }
  }
}
