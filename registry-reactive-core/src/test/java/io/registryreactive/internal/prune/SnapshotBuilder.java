package io.registryreactive.internal.prune;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.model.MediaTypes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds in-memory {@link RegistrySnapshot}s for planner tests: {@code
 * SnapshotBuilder.registry("r").repo("app").tag("1", d).image(d, created, layer("l", 10)).build()}.
 * Every manifest is {@value #MANIFEST_SIZE} bytes unless {@link RepoBuilder#manifestSize} says
 * otherwise.
 */
public final class SnapshotBuilder {

  /** Default size of a manifest's own bytes. */
  public static final long MANIFEST_SIZE = 1_000;

  /** A config or layer blob with its size. */
  public record Blob(String digest, long size) {}

  private final String registry;
  private Instant takenAt = Instant.parse("2024-06-01T00:00:00Z");
  private final List<RepoBuilder> repos = new ArrayList<>();

  private SnapshotBuilder(String registry) {
    this.registry = registry;
  }

  /**
   * @return a builder for a snapshot of {@code registry}
   */
  public static SnapshotBuilder registry(String registry) {
    return new SnapshotBuilder(registry);
  }

  /**
   * @return a deterministic, well-formed sha256 digest derived from {@code seed}
   */
  public static String digest(String seed) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @return the cosign tag for an artifact attached to {@code subjectDigest}, such as {@code
   *     sha256-<hex>.sig}
   */
  public static String cosignTag(String subjectDigest, String suffix) {
    return subjectDigest.replace(':', '-') + "." + suffix;
  }

  /**
   * @return a blob whose digest derives from {@code seed}
   */
  public static Blob blob(String seed, long size) {
    return new Blob(digest("blob:" + seed), size);
  }

  /** Sets when the snapshot was taken. */
  public SnapshotBuilder takenAt(Instant instant) {
    this.takenAt = instant;
    return this;
  }

  /** Starts a repository. */
  public RepoBuilder repo(String name) {
    RepoBuilder r = new RepoBuilder(name);
    repos.add(r);
    return r;
  }

  /**
   * @return the snapshot
   */
  public RegistrySnapshot build() {
    return new RegistrySnapshot(
        registry, takenAt, repos.stream().map(RepoBuilder::toRepo).toList());
  }

  /**
   * One repository; the fluent calls chain back to the snapshot with {@link #repo} and {@link
   * #build}.
   */
  public final class RepoBuilder {
    private final String name;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final Map<String, ManifestInfo> manifests = new LinkedHashMap<>();
    private final Map<String, List<String>> referrers = new LinkedHashMap<>();

    private RepoBuilder(String name) {
      this.name = name;
    }

    /** Points {@code tag} at {@code digest}. */
    public RepoBuilder tag(String tag, String digest) {
      tags.put(tag, digest);
      return this;
    }

    /** Points {@code tag} at {@code digest} and adds it as an image created at {@code created}. */
    public RepoBuilder taggedImage(String tag, String digest, Instant created, Blob... blobs) {
      return tag(tag, digest).image(digest, created, blobs);
    }

    /** Points {@code tag} at {@code digest} and adds it as an image without a creation time. */
    public RepoBuilder taggedUndatedImage(String tag, String digest, Blob... blobs) {
      return tag(tag, digest).undatedImage(digest, blobs);
    }

    /** Adds an image manifest created at {@code created}. */
    public RepoBuilder image(String digest, Instant created, Blob... blobs) {
      return image(digest, Optional.of(created), blobs);
    }

    /** Adds an image manifest without a creation time. */
    public RepoBuilder undatedImage(String digest, Blob... blobs) {
      return image(digest, Optional.empty(), blobs);
    }

    private RepoBuilder image(String digest, Optional<Instant> created, Blob... blobs) {
      Map<String, Long> b = new LinkedHashMap<>();
      for (Blob blob : blobs) {
        b.put(blob.digest(), blob.size());
      }
      manifests.put(
          digest,
          new ManifestInfo(digest, MediaTypes.OCI_MANIFEST, MANIFEST_SIZE, List.of(), b, created));
      return this;
    }

    /** Points {@code tag} at {@code digest} and adds it as an OCI index over {@code children}. */
    public RepoBuilder taggedIndex(String tag, String digest, String... children) {
      return tag(tag, digest).index(digest, children);
    }

    /** Adds image manifests without blobs, all created at {@code created}. */
    public RepoBuilder images(Instant created, String... digests) {
      for (String digest : digests) {
        image(digest, created);
      }
      return this;
    }

    /** Adds an OCI index over {@code children} (which must be added too). */
    public RepoBuilder index(String digest, String... children) {
      manifests.put(
          digest,
          new ManifestInfo(
              digest,
              MediaTypes.OCI_INDEX,
              MANIFEST_SIZE,
              List.of(children),
              Map.of(),
              Optional.empty()));
      return this;
    }

    /** Changes the own size of an added manifest. */
    public RepoBuilder manifestSize(String digest, long size) {
      ManifestInfo m = manifests.get(digest);
      manifests.put(
          digest,
          new ManifestInfo(digest, m.mediaType(), size, m.children(), m.blobs(), m.created()));
      return this;
    }

    /** Records {@code artifact} as a referrer of {@code subject} (referrers API). */
    public RepoBuilder referrer(String subject, String artifact) {
      referrers.computeIfAbsent(subject, s -> new ArrayList<>()).add(artifact);
      return this;
    }

    /** Starts the next repository. */
    public RepoBuilder repo(String next) {
      return SnapshotBuilder.this.repo(next);
    }

    /**
     * @return the snapshot
     */
    public RegistrySnapshot build() {
      return SnapshotBuilder.this.build();
    }

    /**
     * @return this repository alone, as the snapshot would hold it
     */
    public Repo buildRepo() {
      return toRepo();
    }

    private Repo toRepo() {
      return new Repo(name, tags, manifests, referrers);
    }
  }
}
