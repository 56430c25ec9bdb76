package io.registryreactive.internal.prune;

import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.DigestDecision.Action;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link RegistrySnapshot} and a {@link RetentionPolicy} into a {@link PrunePlan}. A pure
 * function: no I/O, no clock but the {@code now} it is given, the same output for the same input.
 *
 * <p>Order of reasoning, per repository: which tags the policy keeps by name; which images the
 * age rules keep; a digest is kept if any tag on it or any rule keeps it; children of kept indexes
 * are kept (to a fixpoint, for nested indexes); signatures and attestations follow their subject;
 * whatever remains is deleted, and so are the children of deleted indexes that nothing keeps.
 */
public final class PrunePlanner {

  /** Cosign's tag scheme for artifacts attached to {@code sha256:<hex>}: {@code sha256-<hex>[.sig|.att|.sbom]}. */
  private static final Pattern ATTACHED_TAG = Pattern.compile("(sha256|sha512)-([0-9a-f]{64,128})(\\.[a-z]+)?");
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
    List<String> warnings = new ArrayList<>();
    for (Repo repo : snapshot.repositories()) {
      repos.add(planRepository(repo, policy, now, warnings));
    }
    long reclaimable = reclaimableBytes(snapshot, repos);
    return new PrunePlan(snapshot.registry(), snapshot.takenAt(), policy.describe(), repos,
        totals(repos, reclaimable), warnings);
  }

  private static RepositoryPlan planRepository(Repo repo, RetentionPolicy policy, Instant now, List<String> warnings) {
    String name = repo.name();
    Map<String, List<String>> tagsByDigest = new TreeMap<>();
    repo.tags().forEach((tag, digest) -> tagsByDigest.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag));
    tagsByDigest.values().forEach(l -> l.sort(null));

    Map<String, Optional<Instant>> created = new HashMap<>();
    for (String digest : repo.manifests().keySet()) {
      created.put(digest, createdOf(repo, digest, new HashSet<>()));
    }

    // Reasons a digest is kept, collected from every rule.
    Map<String, List<String>> keep = new LinkedHashMap<>();
    // Digests a rule keeps as an image (digest whitelist, age rules): their tags are not "protected".
    Set<String> keptAsImage = new HashSet<>();
    Map<String, List<String>> deletableTags = new HashMap<>();
    Map<String, String> attachedSubject = new HashMap<>();
    for (Map.Entry<String, List<String>> e : tagsByDigest.entrySet()) {
      String digest = e.getKey();
      for (String tag : e.getValue()) {
        Optional<String> subject = attachedSubject(tag);
        if (subject.isPresent() && repo.manifests().containsKey(subject.get()) && !subject.get().equals(digest)) {
          attachedSubject.put(digest, subject.get());
        }
        Optional<String> reason = policy.keepsByName(name, tag);
        if (reason.isPresent()) {
          keep.computeIfAbsent(digest, d -> new ArrayList<>()).add(reason.get());
        } else {
          deletableTags.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag);
        }
      }
    }
    // repo@digest keeps that digest even when no tag points at it (an index child, a referrer).
    Set<String> known = new TreeSet<>(tagsByDigest.keySet());
    known.addAll(repo.manifests().keySet());
    for (String digest : known) {
      if (policy.keepsDigest(name, digest)) {
        keep.computeIfAbsent(digest, d -> new ArrayList<>()).add("whitelisted " + name + "@" + digest);
        keptAsImage.add(digest);
      }
    }

    // Age rules count images (tagged digests that are not attached artifacts).
    List<String> images = tagsByDigest.keySet().stream().filter(d -> !attachedSubject.containsKey(d)).toList();
    Set<String> undated = new HashSet<>();
    for (String digest : repo.manifests().keySet()) {
      if (isUndated(created.get(digest))) {
        undated.add(digest);
      }
    }
    if (policy.hasAgeRule()) {
      for (String digest : images) {
        if (undated.contains(digest)) {
          keep.computeIfAbsent(digest, d -> new ArrayList<>())
              .add("undated image: age rules never delete an image without a creation time");
          keptAsImage.add(digest);
        }
      }
      policy.keepNewerThan().ifPresent(age -> {
        Instant cutoff = age.cutoff(now);
        for (String digest : images) {
          Optional<Instant> c = created.get(digest);
          if (c != null && c.isPresent() && !undated.contains(digest) && c.get().isAfter(cutoff)) {
            keep.computeIfAbsent(digest, d -> new ArrayList<>()).add("newer than " + age);
            keptAsImage.add(digest);
          }
        }
      });
      policy.keepLast().ifPresent(n -> {
        List<String> newest = images.stream()
            .filter(d -> !undated.contains(d))
            .sorted(Comparator.comparing((String d) -> created.get(d).orElseThrow()).reversed()
                .thenComparing(Comparator.naturalOrder()))
            .limit(n)
            .toList();
        for (String digest : newest) {
          keep.computeIfAbsent(digest, d -> new ArrayList<>()).add("among the " + n + " newest images");
          keptAsImage.add(digest);
        }
      });
    }

    // Attached artifacts (tag scheme and referrers API) follow their subject.
    Map<String, List<String>> attachedBySubject = new HashMap<>();
    attachedSubject.forEach((artifact, subject) ->
        attachedBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(artifact));
    repo.referrers().forEach((subject, refs) -> attachedBySubject.computeIfAbsent(subject, s -> new ArrayList<>())
        .addAll(refs.stream().filter(repo.manifests()::containsKey).toList()));
    attachedBySubject.values().forEach(l -> l.sort(null));
    Set<String> attachedArtifacts = new HashSet<>();
    attachedBySubject.values().forEach(attachedArtifacts::addAll);

    // Children of kept indexes and artifacts of kept subjects, transitively and in one pass, so that
    // an artifact of an artifact (the signature of an SBOM) or a kept artifact that is an index is
    // protected whatever order the subjects come in.
    protect(repo, keep, attachedBySubject, keep.keySet());

    // Artifacts of deleted subjects: deleted with them, or left behind with a warning. Subjects that
    // are artifacts themselves come last: by then they are kept if their own subject left them behind.
    if (!policy.deleteAttachedArtifacts()) {
      List<String> subjects = attachedBySubject.keySet().stream()
          .sorted(Comparator.comparing((String s) -> attachedArtifacts.contains(s))
              .thenComparing(Comparator.naturalOrder()))
          .toList();
      for (String subject : subjects) {
        if (keep.containsKey(subject)) {
          continue;
        }
        for (String artifact : attachedBySubject.get(subject)) {
          if (!keep.containsKey(artifact)) {
            keep.computeIfAbsent(artifact, d -> new ArrayList<>())
                .add("attached to deleted image " + subject + " (deleteAttachedArtifacts is off)");
            warnings.add(name + "@" + artifact + " is attached to deleted image " + subject
                + " and is left behind; deleteAttachedArtifacts(true) deletes such artifacts with their subject");
            protect(repo, keep, attachedBySubject, List.of(artifact));
          }
        }
      }
    }

    // Every digest reachable from the tags (and referrers) gets a decision.
    Set<String> all = new LinkedHashSet<>(tagsByDigest.keySet());
    for (String digest : new ArrayList<>(all)) {
      collectChildren(repo, digest, all);
    }
    all.addAll(attachedArtifacts);

    List<DigestDecision> decisions = new ArrayList<>();
    for (String digest : all) {
      ManifestInfo info = repo.manifests().get(digest);
      List<String> tags = tagsByDigest.getOrDefault(digest, List.of());
      List<String> reasons = keep.get(digest);
      Action action = reasons == null ? Action.DELETE : Action.KEEP;
      List<String> why;
      if (reasons != null) {
        why = List.copyOf(new LinkedHashSet<>(reasons));
      } else if (tags.isEmpty() && attachedArtifacts.contains(digest)) {
        why = List.of("attached to a deleted image (deleteAttachedArtifacts is on)");
      } else if (tags.isEmpty()) {
        why = List.of("child of a deleted index; no kept index refers to it");
      } else {
        why = List.of("no rule keeps any of its tags");
      }
      // Protected: tags the policy would delete, kept only because their digest is held by something
      // else (a kept sibling tag, a kept index, a kept subject) - not by a rule about the image itself.
      List<String> protectedTags = action == Action.KEEP && !keptAsImage.contains(digest)
          ? deletableTags.getOrDefault(digest, List.of()).stream().sorted().toList() : List.of();
      Optional<Instant> c = created.getOrDefault(digest, Optional.empty());
      decisions.add(new DigestDecision(digest, info == null ? "" : info.mediaType(), tags, action, why,
          c, undated.contains(digest), protectedTags, info == null ? List.of() : info.children(),
          attachedBySubject.getOrDefault(digest, List.of()), sizeOf(repo, digest, new HashSet<>())));
    }
    if (policy.hasAgeRule()) {
      long undatedImages = images.stream().filter(undated::contains).count();
      if (undatedImages > 0) {
        warnings.add(name + ": " + undatedImages + " image(s) have no usable creation time (absent or 1970) and are "
            + "kept by the age rules");
      }
    }
    // Deletions first, then by digest: stable output for audits and diffs.
    decisions.sort(Comparator.comparing((DigestDecision d) -> d.action() == Action.KEEP)
        .thenComparing(DigestDecision::digest));
    return new RepositoryPlan(name, repo.tags().size(), decisions);
  }

  /** Keeps, from {@code kept} on, every child of a kept index and every artifact of a kept subject. */
  private static void protect(Repo repo, Map<String, List<String>> keep, Map<String, List<String>> attachedBySubject,
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
        keep.computeIfAbsent(artifact, d -> new ArrayList<>()).add("attached to kept image " + parent);
      }
    }
  }

  private static void collectChildren(Repo repo, String digest, Set<String> into) {
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

  private static Optional<String> attachedSubject(String tag) {
    Matcher m = ATTACHED_TAG.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    String alg = m.group(1);
    String hex = m.group(2);
    if ((alg.equals("sha256") && hex.length() != 64) || (alg.equals("sha512") && hex.length() != 128)) {
      return Optional.empty();
    }
    return Optional.of(alg + ":" + hex);
  }

  /** An index's creation time is its newest child's. */
  private static Optional<Instant> createdOf(Repo repo, String digest, Set<String> seen) {
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

  private static boolean isUndated(Optional<Instant> created) {
    return created == null || created.isEmpty() || created.get().isBefore(FIRST_REAL_DATE);
  }

  private static long sizeOf(Repo repo, String digest, Set<String> seen) {
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
   * and by no kept one anywhere in the snapshot, each counted once.
   */
  static long reclaimableBytes(RegistrySnapshot snapshot, List<RepositoryPlan> plans) {
    Map<String, Long> deletedBlobs = new HashMap<>();
    Set<String> keptBlobs = new HashSet<>();
    for (int i = 0; i < plans.size(); i++) {
      Repo repo = snapshot.repositories().get(i);
      for (DigestDecision d : plans.get(i).decisions()) {
        ManifestInfo info = repo.manifests().get(d.digest());
        if (info == null) {
          continue;
        }
        if (d.isDelete()) {
          deletedBlobs.put(info.digest(), info.size());
          deletedBlobs.putAll(info.blobs());
        } else {
          keptBlobs.add(info.digest());
          keptBlobs.addAll(info.blobs().keySet());
        }
      }
      // Manifests no decision covers (none today: every known manifest is reachable) stay: their blobs too.
      Set<String> decided = new HashSet<>();
      plans.get(i).decisions().forEach(d -> decided.add(d.digest()));
      for (ManifestInfo info : repo.manifests().values()) {
        if (!decided.contains(info.digest())) {
          keptBlobs.add(info.digest());
          keptBlobs.addAll(info.blobs().keySet());
        }
      }
    }
    return deletedBlobs.entrySet().stream().filter(e -> !keptBlobs.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static PrunePlan.Totals totals(List<RepositoryPlan> repos, long reclaimable) {
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
    return new PrunePlan.Totals(repos.size(), tagsScanned, tagsToDelete, tagsScanned - tagsToDelete, digestsToDelete,
        digestsKept, protectedDigests, undated, reclaimable);
  }
}
