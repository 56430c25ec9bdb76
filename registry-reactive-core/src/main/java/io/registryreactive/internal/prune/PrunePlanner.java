package io.registryreactive.internal.prune;

import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link RegistrySnapshot} and a {@link RetentionPolicy} into a {@link PrunePlan}. A pure
 * function: no I/O, no clock but the {@code now} it is given, the same output for the same input.
 *
 * <p>Order of reasoning, per repository (the phases of {@link RepositoryPlanning}): which tags the
 * policy keeps by name; which images the age rules keep; a digest is kept if any tag on it or any
 * rule keeps it; children of kept indexes are kept (to a fixpoint, for nested indexes); signatures
 * and attestations follow their subject; whatever remains is deleted, and so are the children of
 * deleted indexes that nothing keeps.
 */
public final class PrunePlanner {

  /**
   * Cosign's tag scheme for artifacts attached to {@code sha256:<hex>}: {@code
   * sha256-<hex>[.sig|.att|.sbom]}.
   */
  private static final Pattern ATTACHED_TAG =
      Pattern.compile("(sha256|sha512)-([0-9a-f]{64,128})(\\.[a-z]+)?");

  /** Creation times before this are build placeholders (1970, Go's zero time), not dates. */
  private static final Instant FIRST_REAL_DATE = Instant.parse("1971-01-01T00:00:00Z");

  private PrunePlanner() {}

  /**
   * Plans a prune.
   *
   * @param snapshot what the registry holds
   * @param policy what to keep
   * @param now the time age rules are measured from
   * @return the plan
   */
  public static PrunePlan plan(RegistrySnapshot snapshot, RetentionPolicy policy, Instant now) {
    List<RepositoryPlan> repos = new ArrayList<>();
    List<Repo> planned = new ArrayList<>();
    List<PrunePlan.SkippedRepository> skipped = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Repo repo : snapshot.repositories()) {
      if (repo.broken().isPresent()) {
        skipped.add(new PrunePlan.SkippedRepository(repo.name(), repo.broken().get()));
        warnings.add(repo.name() + ": skipped, nothing is deleted there: " + repo.broken().get());
        continue;
      }
      repo.notes().forEach(n -> warnings.add(repo.name() + ": " + n));
      planned.add(repo);
      repos.add(planRepository(repo, policy, now, warnings, snapshot.datesRead()));
    }
    for (PrunePlan.MissingKeep m : snapshot.missingKeep()) {
      warnings.add(
          "keep rule '"
              + m.rule()
              + "' matches nothing: "
              + m.reason()
              + (policy.allowMissingKeep()
                  ? ""
                  : "; applying this plan is refused unless allowMissingKeep(true)"));
    }
    long reclaimable = reclaimableBytes(planned, repos, snapshot.outOfScope());
    return new PrunePlan(
        snapshot.registry(),
        snapshot.takenAt(),
        policy.describe(),
        repos,
        totals(repos, reclaimable, snapshot.estimateCaveats()),
        warnings,
        skipped,
        snapshot.missingKeep());
  }

  private static RepositoryPlan planRepository(
      Repo repo, RetentionPolicy policy, Instant now, List<String> warnings, boolean datesRead) {
    RepositoryPlanning p = new RepositoryPlanning(repo, policy, now, warnings, datesRead);
    p.tagRules();
    p.digestWhitelist();
    p.untagged();
    p.ageRules();
    p.attachedArtifacts();
    p.protection();
    return p.decisions();
  }

  /**
   * Keeps, from {@code kept} on, every child of a kept index and every artifact of a kept subject.
   */
  static void protect(
      Repo repo,
      Map<String, List<String>> keep,
      Map<String, List<String>> attachedBySubject,
      Collection<String> kept) {
    Deque<String> work = new ArrayDeque<>(kept);
    while (!work.isEmpty()) {
      String parent = work.pop();
      ManifestInfo info = repo.manifests().get(parent);
      List<String> children = info == null ? List.of() : info.children();
      for (String child : children) {
        if (!keep.containsKey(child)) {
          work.push(child);
        }
        keep.computeIfAbsent(child, d -> new ArrayList<>()).add("child of kept index " + parent);
      }
      for (String artifact : attachedBySubject.getOrDefault(parent, List.of())) {
        if (!keep.containsKey(artifact)) {
          work.push(artifact);
        }
        keep.computeIfAbsent(artifact, d -> new ArrayList<>())
            .add("attached to kept image " + parent);
      }
    }
  }

  static void collectChildren(Repo repo, String digest, Set<String> into) {
    ManifestInfo info = repo.manifests().get(digest);
    if (info == null) {
      return;
    }
    for (String child : info.children()) {
      if (into.add(child)) {
        collectChildren(repo, child, into);
      }
    }
  }

  static Optional<String> attachedSubject(String tag) {
    Matcher m = ATTACHED_TAG.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    String alg = m.group(1);
    String hex = m.group(2);
    if ((alg.equals("sha256") && hex.length() != 64)
        || (alg.equals("sha512") && hex.length() != 128)) {
      return Optional.empty();
    }
    return Optional.of(alg + ":" + hex);
  }

  /** An index's creation time is its newest child's. */
  static Optional<Instant> createdOf(Repo repo, String digest, Set<String> seen) {
    ManifestInfo info = repo.manifests().get(digest);
    if (info == null || !seen.add(digest)) {
      return Optional.empty();
    }
    if (!info.isIndex()) {
      return info.created();
    }
    return info.children().stream()
        .map(c -> createdOf(repo, c, seen))
        .flatMap(Optional::stream)
        .filter(t -> !t.isBefore(FIRST_REAL_DATE))
        .max(Comparator.naturalOrder())
        .or(info::created);
  }

  static boolean isUndated(Optional<Instant> created) {
    return created == null || created.isEmpty() || created.get().isBefore(FIRST_REAL_DATE);
  }

  static long sizeOf(Repo repo, String digest, Set<String> seen) {
    ManifestInfo info = repo.manifests().get(digest);
    if (info == null || !seen.add(digest)) {
      return 0;
    }
    long size = info.size() + info.blobs().values().stream().mapToLong(Long::longValue).sum();
    for (String child : info.children()) {
      size += sizeOf(repo, child, seen);
    }
    return size;
  }

  /**
   * Blobs (manifests included: the registry stores them as blobs) referenced by deleted manifests
   * and by no manifest that stays anywhere in the snapshot - kept, undecided, or in a repository
   * the policy does not cover - each counted once.
   */
  static long reclaimableBytes(
      List<Repo> repositories, List<RepositoryPlan> plans, List<Repo> outOfScope) {
    // Two passes over compact sets of the digests the snapshot already holds: first every blob that
    // stays, then the deleted ones not among them, each counted once. (A map of every deleted blob
    // to its size, beside a set of the kept ones, was some 150 MB for a million deleted images.)
    CompactStringSet kept = new CompactStringSet();
    for (int i = 0; i < plans.size(); i++) {
      Repo repo = repositories.get(i);
      CompactStringSet decided = new CompactStringSet();
      for (DigestDecision d : plans.get(i).decisions()) {
        decided.add(d.digest());
        if (!d.isDelete()) {
          keepBlobsOf(repo.manifests().get(d.digest()), kept);
        }
      }
      // Manifests no decision covers (untagged revisions the plan does not decide) stay: their
      // blobs too.
      for (ManifestInfo info : repo.manifests().values()) {
        if (!decided.contains(info.digest())) {
          keepBlobsOf(info, kept);
        }
      }
    }
    for (Repo other : outOfScope) {
      other.manifests().values().forEach(info -> keepBlobsOf(info, kept));
    }
    CompactStringSet counted = new CompactStringSet();
    long bytes = 0;
    for (int i = 0; i < plans.size(); i++) {
      Repo repo = repositories.get(i);
      for (DigestDecision d : plans.get(i).decisions()) {
        ManifestInfo info = d.isDelete() ? repo.manifests().get(d.digest()) : null;
        if (info == null) {
          continue;
        }
        if (!kept.contains(info.digest()) && counted.add(info.digest())) {
          bytes += info.size();
        }
        for (Map.Entry<String, Long> blob : info.blobs().entrySet()) {
          if (!kept.contains(blob.getKey()) && counted.add(blob.getKey())) {
            bytes += blob.getValue();
          }
        }
      }
    }
    return bytes;
  }

  private static void keepBlobsOf(ManifestInfo info, CompactStringSet kept) {
    if (info != null) {
      kept.add(info.digest());
      info.blobs().keySet().forEach(kept::add);
    }
  }

  private static PrunePlan.Totals totals(
      List<RepositoryPlan> repos, long reclaimable, List<String> caveats) {
    long tagsScanned = 0;
    long tagsToDelete = 0;
    long digestsToDelete = 0;
    long digestsKept = 0;
    long protectedDigests = 0;
    long undated = 0;
    for (RepositoryPlan r : repos) {
      tagsScanned += r.tagsScanned();
      for (DigestDecision d : r.decisions()) {
        if (d.isDelete()) {
          digestsToDelete++;
          tagsToDelete += d.tags().size();
        } else {
          digestsKept++;
          if (!d.protectedTags().isEmpty()) {
            protectedDigests++;
          }
        }
        if (d.undated()) {
          undated++;
        }
      }
    }
    return new PrunePlan.Totals(
        repos.size(),
        tagsScanned,
        tagsToDelete,
        tagsScanned - tagsToDelete,
        digestsToDelete,
        digestsKept,
        protectedDigests,
        undated,
        reclaimable,
        !caveats.isEmpty(),
        caveats);
  }
}
