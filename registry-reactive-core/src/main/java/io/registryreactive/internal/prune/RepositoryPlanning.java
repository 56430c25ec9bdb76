package io.registryreactive.internal.prune;

import io.registryreactive.internal.prune.RegistrySnapshot.ManifestInfo;
import io.registryreactive.internal.prune.RegistrySnapshot.Repo;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.DigestDecision.Action;
import io.registryreactive.prune.DigestDecision.DateSource;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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

/**
 * The planning of one repository, in the phases {@link PrunePlanner} runs in this order: {@link
 * #tagRules}, {@link #digestWhitelist}, {@link #untagged}, {@link #ageRules}, {@link
 * #attachedArtifacts}, {@link #protection}, {@link #decisions}. Each phase adds reasons to keep
 * digests; nothing ever removes a reason, so a later phase can only keep more. Single use.
 */
final class RepositoryPlanning {
  // The reasons for deletion, one list each for every decision that has them.
  private static final List<String> DELETED_WITH_SUBJECT =
      List.of("attached to a deleted image (deleteAttachedArtifacts is on)");
  private static final List<String> UNTAGGED_UNREFERENCED =
      List.of("untagged manifest; nothing kept or tagged refers to it");
  private static final List<String> CHILD_OF_DELETED_INDEX =
      List.of("child of a deleted index; no kept index refers to it");
  private static final List<String> NO_RULE_KEEPS = List.of("no rule keeps any of its tags");

  private final Repo repo;
  private final String name;
  private final RetentionPolicy policy;
  private final Instant now;
  private final List<String> warnings;

  /** Digest to its tags, sorted. */
  private final Map<String, List<String>> tagsByDigest = new TreeMap<>();

  /**
   * Digest to its creation time, for the digests that have one (a 1970 value included): a plan of a
   * million undated images holds no entry for them. A digest of the repository without an entry, or
   * whose entry is a placeholder date, is {@linkplain #undated undated}.
   */
  private final Map<String, Optional<Instant>> created = new HashMap<>();

  /** Where a date came from, for the digests whose source is not {@link DateSource#NONE}. */
  private final Map<String, DateSource> dateSources = new HashMap<>();

  /** Reasons a digest is kept, collected from every rule. */
  final Map<String, List<String>> keep = new LinkedHashMap<>();

  /**
   * Digests a rule keeps as an image (digest whitelist, age rules): their tags are not "protected".
   */
  final Set<String> keptAsImage = new HashSet<>();

  /** Artifact digest (by cosign tag scheme) to its subject. */
  private final Map<String, String> attachedSubject = new HashMap<>();

  /** Subject to its attached artifacts (tag scheme and referrers API), sorted. */
  private final Map<String, List<String>> attachedBySubject = new HashMap<>();

  private final Set<String> attachedArtifacts = new HashSet<>();

  /**
   * Untagged manifests from storage that nothing tagged reaches (not index children, not referrers
   * found by the API); empty without storage.
   */
  private final Set<String> untaggedRoots;

  /** Images age rules count: tagged digests that are not attached artifacts. */
  private List<String> images = List.of();

  /** Whether images were dated from their configs: if not, none is reported as undated. */
  private final boolean datesRead;

  RepositoryPlanning(Repo repo, RetentionPolicy policy, Instant now, List<String> warnings) {
    this(repo, policy, now, warnings, true);
  }

  RepositoryPlanning(
      Repo repo, RetentionPolicy policy, Instant now, List<String> warnings, boolean datesRead) {
    this.datesRead = datesRead;
    this.repo = repo;
    this.name = repo.name();
    this.policy = policy;
    this.now = now;
    this.warnings = warnings;
    // Most digests carry one tag: an immutable list of one (the plan's decision keeps it as it is,
    // where an ArrayList would be copied), a mutable one from the second tag on.
    repo.tags().forEach(this::addTag);
    tagsByDigest.values().stream().filter(l -> l.size() > 1).forEach(l -> l.sort(null));
    untaggedRoots = repo.untaggedRoots();
    for (String digest : repo.manifests().keySet()) {
      Optional<Instant> c = PrunePlanner.createdOf(repo, digest, new HashSet<>());
      if (c.isPresent()) {
        created.put(digest, c);
      }
      if (!PrunePlanner.isUndated(c)) {
        DateSource source = dateSourceOf(digest, c.get());
        if (source != DateSource.NONE) {
          dateSources.put(digest, source);
        }
      }
    }
    // Last resort, with storage: when its tag was pushed (the newest such time, so that an age rule
    // errs towards keeping). Only tagged manifests have one.
    for (Map.Entry<String, List<String>> e : tagsByDigest.entrySet()) {
      if (!undated(e.getKey()) || repo.tagPushTimes().isEmpty()) {
        continue;
      }
      e.getValue().stream()
          .map(repo.tagPushTimes()::get)
          .filter(java.util.Objects::nonNull)
          .filter(t -> !PrunePlanner.isUndated(Optional.of(t)))
          .max(Comparator.naturalOrder())
          .ifPresent(
              t -> {
                created.put(e.getKey(), Optional.of(t));
                dateSources.put(e.getKey(), DateSource.PUSH_TIME);
              });
    }
    datePushedRevisions();
  }

  private void addTag(String tag, String digest) {
    List<String> tags = tagsByDigest.get(digest);
    if (tags == null) {
      tagsByDigest.put(digest, List.of(tag));
    } else if (tags.size() == 1) {
      List<String> two = new ArrayList<>(2);
      two.add(tags.get(0));
      two.add(tag);
      tagsByDigest.put(digest, two);
    } else {
      tags.add(tag);
    }
  }

  /**
   * @return whether a manifest of the repository has no usable creation time (none, or a 1970
   *     placeholder, and no push time to fall back on)
   */
  private boolean undated(String digest) {
    return repo.manifests().containsKey(digest)
        && PrunePlanner.isUndated(created.getOrDefault(digest, Optional.empty()));
  }

  /** With storage, an untagged manifest's last-resort date is when it was pushed. */
  private void datePushedRevisions() {
    for (String digest : untaggedRoots) {
      Instant pushed = repo.revisions().orElse(Map.of()).get(digest);
      if (undated(digest) && pushed != null && !PrunePlanner.isUndated(Optional.of(pushed))) {
        created.put(digest, Optional.of(pushed));
        dateSources.put(digest, DateSource.PUSH_TIME);
      }
    }
  }

  /** An index's date is its newest child's (or its own annotation): so is its source. */
  private DateSource dateSourceOf(String digest, Instant date) {
    ManifestInfo info = repo.manifests().get(digest);
    if (info == null) {
      return DateSource.NONE;
    }
    if (!info.isIndex()) {
      return info.dateSource();
    }
    for (String child : info.children()) {
      Optional<Instant> c = PrunePlanner.createdOf(repo, child, new HashSet<>());
      if (c.isPresent() && c.get().equals(date)) {
        return dateSourceOf(child, date);
      }
    }
    return info.dateSource();
  }

  /**
   * Tags the policy keeps by name keep their digest; the others are deletable. Finds tag-scheme
   * artifacts.
   */
  void tagRules() {
    for (Map.Entry<String, List<String>> e : tagsByDigest.entrySet()) {
      String digest = e.getKey();
      for (String tag : e.getValue()) {
        Optional<String> subject = PrunePlanner.attachedSubject(tag);
        if (subject.isPresent()
            && repo.manifests().containsKey(subject.get())
            && !subject.get().equals(digest)) {
          attachedSubject.put(digest, subject.get());
        }
        Optional<String> reason = policy.keepsByName(name, tag);
        reason.ifPresent(r -> keep(digest, r));
      }
    }
    images = tagsByDigest.keySet().stream().filter(d -> !attachedSubject.containsKey(d)).toList();
  }

  /**
   * {@code repo@digest} keeps that digest even when no tag points at it (an index child, a
   * referrer).
   */
  void digestWhitelist() {
    // Only the matches are gathered (in digest order), not a sorted copy of every digest.
    Set<String> whitelisted =
        java.util.stream.Stream.concat(
                tagsByDigest.keySet().stream(), repo.manifests().keySet().stream())
            .filter(d -> policy.keepsDigest(name, d))
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    for (String digest : whitelisted) {
      keepImage(digest, "whitelisted " + name + "@" + digest);
    }
  }

  /**
   * Untagged manifests (from storage): a referrer of a manifest here is an attached artifact and
   * follows its subject; any other is kept unless the policy deletes untagged manifests, and even
   * then while younger than the policy's minimum age or than {@code keepNewerThan}.
   */
  void untagged() {
    for (String digest : untaggedRoots) {
      ManifestInfo info = repo.manifests().get(digest);
      Optional<String> subject = info == null ? Optional.empty() : info.subject();
      if (subject.isPresent()
          && repo.manifests().containsKey(subject.get())
          && !subject.get().equals(digest)) {
        attachedSubject.put(digest, subject.get());
        continue;
      }
      if (!policy.deleteUntagged()) {
        keep(
            digest,
            "untagged manifest: untagged manifests are deleted only with deleteUntagged(true)");
        continue;
      }
      Instant pushed = repo.revisions().orElse(Map.of()).get(digest);
      if (pushed == null || pushed.isAfter(now.minus(policy.untaggedMinAge()))) {
        keep(
            digest,
            "untagged manifest pushed less than "
                + policy.untaggedMinAge()
                + " ago (untaggedMinAge): it may belong to a push in progress");
      }
      policy
          .keepNewerThan()
          .ifPresent(
              age -> {
                Optional<Instant> c = created.get(digest);
                if (c == null || c.isEmpty() || undated(digest)) {
                  keep(
                      digest,
                      "undated untagged manifest: age rules never delete what they cannot date");
                } else if (c.get().isAfter(age.cutoff(now))) {
                  keep(digest, "newer than " + age);
                }
              });
    }
  }

  /** Age rules count images; an image they cannot date is kept. */
  void ageRules() {
    if (!policy.hasAgeRule()) {
      return;
    }
    for (String digest : images) {
      if (undated(digest)) {
        keepImage(digest, "undated image: age rules never delete an image without a creation time");
      }
    }
    policy
        .keepNewerThan()
        .ifPresent(
            age -> {
              Instant cutoff = age.cutoff(now);
              for (String digest : images) {
                Optional<Instant> c = created.get(digest);
                if (c != null && c.isPresent() && !undated(digest) && c.get().isAfter(cutoff)) {
                  keepImage(digest, "newer than " + age);
                }
              }
            });
    policy
        .keepLast()
        .ifPresent(
            n -> {
              List<String> newest =
                  images.stream()
                      .filter(d -> !undated(d))
                      .sorted(
                          Comparator.comparing((String d) -> created.get(d).orElseThrow())
                              .reversed()
                              .thenComparing(Comparator.naturalOrder()))
                      .limit(n)
                      .toList();
              for (String digest : newest) {
                keepImage(digest, "among the " + n + " newest images");
              }
            });
    policy
        .keepLastByTagPattern()
        .forEach(
            (regex, n) -> {
              java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
              List<String> newest =
                  images.stream()
                      .filter(d -> !undated(d))
                      .filter(
                          d ->
                              tagsByDigest.getOrDefault(d, List.of()).stream()
                                  .anyMatch(t -> pattern.matcher(t).matches()))
                      .sorted(
                          Comparator.comparing((String d) -> created.get(d).orElseThrow())
                              .reversed()
                              .thenComparing(Comparator.naturalOrder()))
                      .limit(n)
                      .toList();
              for (String digest : newest) {
                keepImage(digest, "among the " + n + " newest images with a tag matching " + regex);
              }
            });
  }

  /** Attached artifacts (tag scheme and referrers API) are grouped by their subject. */
  void attachedArtifacts() {
    attachedSubject.forEach(
        (artifact, subject) ->
            attachedBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(artifact));
    repo.referrers()
        .forEach(
            (subject, refs) ->
                attachedBySubject
                    .computeIfAbsent(subject, s -> new ArrayList<>())
                    .addAll(refs.stream().filter(repo.manifests()::containsKey).toList()));
    attachedBySubject.values().forEach(l -> l.sort(null));
    attachedBySubject.values().forEach(attachedArtifacts::addAll);
  }

  /**
   * Children of kept indexes and artifacts of kept subjects are kept, transitively and in one pass,
   * so that an artifact of an artifact (the signature of an SBOM) or a kept artifact that is an
   * index is protected whatever order the subjects come in. Then artifacts of deleted subjects are
   * kept with a warning, unless the policy deletes them with their subject; subjects that are
   * artifacts themselves come last, since by then they are kept if their own subject left them
   * behind.
   */
  void protection() {
    PrunePlanner.protect(repo, keep, attachedBySubject, keep.keySet());
    if (policy.deleteAttachedArtifacts()) {
      return;
    }
    List<String> subjects =
        attachedBySubject.keySet().stream()
            .sorted(
                Comparator.comparing((String s) -> attachedArtifacts.contains(s))
                    .thenComparing(Comparator.naturalOrder()))
            .toList();
    for (String subject : subjects) {
      if (keep.containsKey(subject)) {
        continue;
      }
      for (String artifact : attachedBySubject.get(subject)) {
        if (!keep.containsKey(artifact)) {
          keep(
              artifact,
              "attached to deleted image " + subject + " (deleteAttachedArtifacts is off)");
          warnings.add(
              name
                  + "@"
                  + artifact
                  + " is attached to deleted image "
                  + subject
                  + " and is left behind; deleteAttachedArtifacts(true) deletes such artifacts with their subject");
          PrunePlanner.protect(repo, keep, attachedBySubject, List.of(artifact));
        }
      }
    }
  }

  /**
   * Every digest reachable from the tags (and referrers) gets a decision: kept with every reason
   * found, or deleted with why nothing keeps it.
   *
   * @return the repository's plan, deletions first, then by digest
   */
  RepositoryPlan decisions() {
    // The tagged digests, then what else gets a decision: untagged roots, index children, attached
    // artifacts. Only the second group is gathered in a set: a copy of a million tagged digests
    // would be some 50 MB more while the plan is built.
    Set<String> untagged = new LinkedHashSet<>(untaggedRoots);
    for (String digest : tagsByDigest.keySet()) {
      PrunePlanner.collectChildren(repo, digest, untagged);
    }
    for (String digest : new ArrayList<>(untagged)) {
      PrunePlanner.collectChildren(repo, digest, untagged);
    }
    untagged.addAll(attachedArtifacts);
    untagged.removeIf(tagsByDigest::containsKey);

    List<DigestDecision> decisions = new ArrayList<>(tagsByDigest.size() + untagged.size());
    tagsByDigest.keySet().forEach(digest -> decisions.add(decision(digest)));
    untagged.forEach(digest -> decisions.add(decision(digest)));
    if (policy.hasAgeRule()) {
      long undatedImages = images.stream().filter(this::undated).count();
      if (undatedImages > 0) {
        warnings.add(
            name
                + ": "
                + undatedImages
                + " image(s) have no usable creation time (config "
                + "created, org.opencontainers.image.created annotation and, with storage, push time: absent or 1970) "
                + "and are kept by the age rules");
      }
    }
    decisions.sort(
        Comparator.comparing((DigestDecision d) -> d.action() == Action.KEEP)
            .thenComparing(DigestDecision::digest));
    return new RepositoryPlan(name, repo.tags().size(), decisions);
  }

  /** The decision for one digest, from what the phases found. */
  private DigestDecision decision(String digest) {
    ManifestInfo info = repo.manifests().get(digest);
    List<String> tags = tagsByDigest.getOrDefault(digest, List.of());
    List<String> reasons = keep.get(digest);
    Action action = reasons == null ? Action.DELETE : Action.KEEP;
    List<String> why;
    if (reasons != null) {
      why = List.copyOf(new LinkedHashSet<>(reasons));
    } else if (tags.isEmpty() && attachedArtifacts.contains(digest)) {
      why = DELETED_WITH_SUBJECT;
    } else if (untaggedRoots.contains(digest)) {
      why = UNTAGGED_UNREFERENCED;
    } else if (tags.isEmpty()) {
      why = CHILD_OF_DELETED_INDEX;
    } else {
      why = NO_RULE_KEEPS;
    }
    // Protected: tags the policy would delete, kept only because their digest is held by something
    // else (a kept sibling tag, a kept index, a kept subject) - not by a rule about the image
    // itself.
    List<String> protectedTags =
        action == Action.KEEP && !keptAsImage.contains(digest)
            ? tags.stream().filter(t -> policy.keepsByName(name, t).isEmpty()).sorted().toList()
            : List.of();
    return new DigestDecision(
        digest,
        info == null ? "" : info.mediaType(),
        tags,
        action,
        why,
        created.getOrDefault(digest, Optional.empty()),
        datesRead && undated(digest),
        protectedTags,
        info == null ? List.of() : info.children(),
        attachedBySubject.getOrDefault(digest, List.of()),
        PrunePlanner.sizeOf(repo, digest, new HashSet<>()),
        dateSources.getOrDefault(digest, DateSource.NONE));
  }

  private void keep(String digest, String reason) {
    keep.computeIfAbsent(digest, d -> new ArrayList<>(1)).add(reason);
  }

  private void keepImage(String digest, String reason) {
    keep(digest, reason);
    keptAsImage.add(digest);
  }
}
