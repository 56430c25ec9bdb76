package io.registryreactive.prune;

import io.registryreactive.InvalidReferenceException;
import io.registryreactive.model.ImageReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a prune keeps. Immutable; built with {@link #builder()}, validated completely when built, so
 * a malformed whitelist entry or pattern fails before any request is sent.
 *
 * <h2>Which repositories</h2>
 *
 * Every repository in the catalog whose name fully matches one of the {@linkplain
 * Builder#includeRepositories include patterns} (all, when there are none) and none of the
 * {@linkplain Builder#excludeRepositories exclude patterns}. Repositories outside stay untouched.
 * With {@linkplain Builder#repositoryName named repositories} the catalog is not read at all
 * (Docker Hub and GHCR have none, Harbor and GitLab restrict it): exactly those names are pruned,
 * still subject to the patterns.
 *
 * <h2>Which tags are kept</h2>
 *
 * A tag is <b>kept if any keep rule keeps it</b>; every other tag is deletable:
 *
 * <ul>
 *   <li>{@link Builder#keep(String)}: the whitelist - {@code repo:tag} keeps that tag, {@code
 *       repo@sha256:...} keeps that digest (and so every tag on it), {@code repo} alone keeps the
 *       whole repository; a registry host may prefix an entry if it is the client's registry;
 *   <li>{@link Builder#keepTags(String)}: tags fully matching the pattern;
 *   <li>{@link Builder#deleteOnlyTags(String)}: tags that do <em>not</em> fully match the pattern
 *       (only matching tags may be deleted);
 *   <li>{@link Builder#keepLast(int)}: the newest N images (by creation time) of each repository,
 *       with every tag on them;
 *   <li>{@link Builder#keepLast(int, String)}: the newest N images of each repository among those
 *       with a tag fully matching the pattern (repeatable, each pattern counted by itself);
 *   <li>{@link Builder#keepNewerThan(RetentionAge)}: images created less than the age ago (calendar
 *       months and years counted back from the plan's clock; see {@link RetentionAge}).
 * </ul>
 *
 * When an age rule ({@code keepLast}, {@code keepNewerThan}) is set, images without a creation
 * time, or dated 1970 (reproducible builds), are kept and reported as undated: an age rule never
 * deletes what it cannot date.
 *
 * <h2>Digests, not tags, are deleted</h2>
 *
 * Deleting a digest removes every tag on it, so a digest is deleted only if <em>every</em> tag on
 * it is deletable; a kept tag protects its digest and every other tag on it. Children of a kept
 * index (multi-platform image) are protected too, and so is any tag on such a child.
 *
 * <h2>Untagged manifests</h2>
 *
 * <p>A registry keeps every manifest ever pushed until it is deleted: re-pushing a moving tag
 * ({@code latest}, a branch name) leaves the old manifest untagged, and garbage collection keeps
 * its blobs. With {@link Builder#deleteUntagged(boolean)} (which needs the registry's storage, the
 * only place that lists untagged manifests: {@link Pruner#withStorage}) the plan also deletes every
 * untagged manifest that nothing kept or tagged references: children of a tagged index stay,
 * referrers of a kept image stay, an untagged index goes with those of its children nothing else
 * holds, and a manifest pushed less than {@linkplain Builder#untaggedMinAge the minimum age} ago
 * stays (it may be the child of an index being pushed).
 *
 * <h2>Examples</h2>
 *
 * <pre>{@code
 * // The original whitelist: keep exactly these, delete every other tag in the registry.
 * RetentionPolicy.builder().keep("app:1.4.2").keep("app:latest").keep("tools@sha256:...").build();
 * // Per repository, keep the 10 newest builds and anything from the last 30 days; never touch releases.
 * RetentionPolicy.builder().keepLast(10).keepNewerThan(Duration.ofDays(30)).keepTags("v\\d+\\.\\d+\\.\\d+").build();
 * // Keep the 5 newest pull-request builds and the 3 newest main builds; releases never go.
 * RetentionPolicy.builder().deleteOnlyTags("(pr|main)-.*").keepLast(5, "pr-.*").keepLast(3, "main-.*").build();
 * // Only pull-request builds may go, and only in team/ repositories.
 * RetentionPolicy.builder().includeRepositories("team/.*").deleteOnlyTags("pr-\\d+").build();
 * }</pre>
 */
public final class RetentionPolicy {

  /**
   * The key of {@link Builder#allowMissingKeep(boolean)} in {@link #describe()} and so in plans.
   */
  public static final String ALLOW_MISSING_KEEP = "allowMissingKeep";

  /**
   * The key of the scoped {@link Builder#keepLast(int, String)} rules in {@link #describe()}: a
   * list of {@code N:REGEX}.
   */
  public static final String KEEP_LAST_SCOPED = "keepLastScoped";

  /**
   * The key of the {@linkplain Builder#repositoryName named repositories} in {@link #describe()}.
   */
  public static final String REPOSITORIES = "repositories";

  /** The key of {@link Builder#deleteUntagged(boolean)} in {@link #describe()}. */
  public static final String DELETE_UNTAGGED = "deleteUntagged";

  /** The key of {@link Builder#untaggedMinAge(Duration)} in {@link #describe()}. */
  public static final String UNTAGGED_MIN_AGE = "untaggedMinAge";

  /**
   * The default of {@link Builder#untaggedMinAge(Duration)}: one hour, longer than any push of a
   * multi-platform image takes (its children are pushed untagged before the index).
   */
  public static final Duration DEFAULT_UNTAGGED_MIN_AGE = Duration.ofHours(1);

  private final List<Pattern> includeRepositories;
  private final List<Pattern> excludeRepositories;
  private final List<String> repositoryNames;
  private final List<String> whitelist;
  private final Set<String> keptTagRefs;
  private final Set<String> keptDigestRefs;
  private final Set<String> keptRepositories;
  private final List<Pattern> keepTags;
  private final List<Pattern> deleteOnlyTags;
  private final OptionalInt keepLast;
  private final Map<Pattern, Integer> keepLastScoped;
  private final Optional<RetentionAge> keepNewerThan;
  private final boolean deleteAttachedArtifacts;
  private final boolean allowDeleteAll;
  private final boolean allowMissingKeep;
  private final boolean deleteUntagged;
  private final Duration untaggedMinAge;

  private RetentionPolicy(
      Builder b, Set<String> tagRefs, Set<String> digestRefs, Set<String> repos) {
    this.includeRepositories = List.copyOf(b.includeRepositories);
    this.excludeRepositories = List.copyOf(b.excludeRepositories);
    this.repositoryNames = List.copyOf(new LinkedHashSet<>(b.repositoryNames));
    this.whitelist = List.copyOf(b.whitelist);
    this.keptTagRefs = Set.copyOf(tagRefs);
    this.keptDigestRefs = Set.copyOf(digestRefs);
    this.keptRepositories = Set.copyOf(repos);
    this.keepTags = List.copyOf(b.keepTags);
    this.deleteOnlyTags = List.copyOf(b.deleteOnlyTags);
    this.keepLast = b.keepLast;
    this.keepLastScoped =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.keepLastScoped));
    this.keepNewerThan = Optional.ofNullable(b.keepNewerThan);
    this.deleteAttachedArtifacts = b.deleteAttachedArtifacts;
    this.allowDeleteAll = b.allowDeleteAll;
    this.allowMissingKeep = b.allowMissingKeep;
    this.deleteUntagged = b.deleteUntagged;
    this.untaggedMinAge = b.untaggedMinAge;
  }

  /**
   * @return a builder for a policy
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The original client's rule: keep exactly the whitelisted tags and digests, delete every other
   * tag in the registry. An empty whitelist deletes every tag, as the original call did.
   *
   * @param whitelist entries {@code repo:tag}, {@code repo@digest}, or {@code repo}
   * @param registryHost the client's {@code host[:port]}, which entries may name
   * @return the policy
   * @throws InvalidReferenceException if an entry is malformed or names another registry
   */
  public static RetentionPolicy whitelist(Collection<String> whitelist, String registryHost) {
    Builder b = builder().registryHost(registryHost).allowDeleteAll(true);
    Objects.requireNonNull(whitelist, "'whitelist' must not be null").forEach(b::keep);
    return b.build();
  }

  /**
   * Whether the policy covers a repository.
   *
   * @param repository a repository name
   * @return {@code true} if it matches an include pattern (or there are none) and no exclude
   *     pattern
   */
  public boolean coversRepository(String repository) {
    boolean included =
        includeRepositories.isEmpty()
            || includeRepositories.stream().anyMatch(p -> p.matcher(repository).matches());
    return included && excludeRepositories.stream().noneMatch(p -> p.matcher(repository).matches());
  }

  /**
   * Whether a tag is kept by a rule that needs no date: the whitelist, {@code keepTags} or {@code
   * deleteOnlyTags}.
   *
   * @param repository the repository
   * @param tag the tag
   * @return the reason it is kept, or empty if these rules let it go
   */
  public Optional<String> keepsByName(String repository, String tag) {
    if (keptRepositories.contains(repository)) {
      return Optional.of("whitelisted repository " + repository);
    }
    if (keptTagRefs.contains(repository + ":" + tag)) {
      return Optional.of("whitelisted " + repository + ":" + tag);
    }
    for (Pattern p : keepTags) {
      if (p.matcher(tag).matches()) {
        return Optional.of("tag matches keep pattern " + p.pattern());
      }
    }
    if (!deleteOnlyTags.isEmpty()
        && deleteOnlyTags.stream().noneMatch(p -> p.matcher(tag).matches())) {
      return Optional.of("tag does not match delete pattern");
    }
    return Optional.empty();
  }

  /**
   * Whether a digest is whitelisted ({@code repo@digest}).
   *
   * @param repository the repository
   * @param digest the manifest digest
   * @return {@code true} if whitelisted
   */
  public boolean keepsDigest(String repository, String digest) {
    return keptDigestRefs.contains(repository + "@" + digest);
  }

  /**
   * @return the keep-last count per repository, if set
   */
  public OptionalInt keepLast() {
    return keepLast;
  }

  /**
   * The scoped keep-last rules: each keeps the newest N images of a repository among those with a
   * tag fully matching its pattern.
   *
   * @return tag pattern (as given) to N, in the order given; empty if none
   */
  public Map<String, Integer> keepLastByTagPattern() {
    Map<String, Integer> out = new LinkedHashMap<>();
    keepLastScoped.forEach((p, n) -> out.put(p.pattern(), n));
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * @return the keep-newer-than age, if set
   */
  public Optional<RetentionAge> keepNewerThan() {
    return keepNewerThan;
  }

  /**
   * @return whether an age rule is set (then undated images are kept)
   */
  public boolean hasAgeRule() {
    return keepLast.isPresent() || !keepLastScoped.isEmpty() || keepNewerThan.isPresent();
  }

  /**
   * @return whether signatures and attestations of a deleted image (cosign's {@code
   *     sha256-<hex>.sig|.att|.sbom} tags, referrers) are deleted with it; default off, they are
   *     reported
   */
  public boolean deleteAttachedArtifacts() {
    return deleteAttachedArtifacts;
  }

  /**
   * @return whether a plan may be applied although some keep rule matches nothing; default off
   */
  public boolean allowMissingKeep() {
    return allowMissingKeep;
  }

  /**
   * @return whether untagged manifests that nothing kept or tagged references are deleted; default
   *     off
   */
  public boolean deleteUntagged() {
    return deleteUntagged;
  }

  /**
   * @return how long ago an untagged manifest must have been pushed to be deleted; default {@link
   *     #DEFAULT_UNTAGGED_MIN_AGE}
   */
  public Duration untaggedMinAge() {
    return untaggedMinAge;
  }

  /**
   * @return the repository include patterns, as given
   */
  public List<String> includeRepositoryPatterns() {
    return includeRepositories.stream().map(Pattern::pattern).toList();
  }

  /**
   * @return the repositories named explicitly, in the order given without duplicates; when not
   *     empty, planning reads exactly these and never the catalog
   */
  public List<String> repositoryNames() {
    return repositoryNames;
  }

  /**
   * @return the exclude patterns, as given
   */
  public List<String> excludeRepositoryPatterns() {
    return excludeRepositories.stream().map(Pattern::pattern).toList();
  }

  /**
   * @return the whitelist entries as given
   */
  public List<String> whitelistEntries() {
    return whitelist;
  }

  /**
   * @return a stable, human-readable summary, also written into plans and reports
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("includeRepositories", includeRepositories.stream().map(Pattern::pattern).toList());
    m.put("excludeRepositories", excludeRepositories.stream().map(Pattern::pattern).toList());
    if (!repositoryNames.isEmpty()) {
      m.put(REPOSITORIES, repositoryNames);
    }
    m.put("keep", whitelist);
    m.put("keepTags", keepTags.stream().map(Pattern::pattern).toList());
    m.put("deleteOnlyTags", deleteOnlyTags.stream().map(Pattern::pattern).toList());
    m.put("keepLast", keepLast.isPresent() ? keepLast.getAsInt() : null);
    if (!keepLastScoped.isEmpty()) {
      // Only when set, so plans without it read as before (and an older registry-prune refuses it).
      m.put(
          KEEP_LAST_SCOPED,
          keepLastScoped.entrySet().stream()
              .map(e -> e.getValue() + ":" + e.getKey().pattern())
              .toList());
    }
    m.put("keepNewerThan", keepNewerThan.map(RetentionAge::toString).orElse(null));
    m.put("deleteAttachedArtifacts", deleteAttachedArtifacts);
    if (allowMissingKeep) {
      m.put(ALLOW_MISSING_KEEP, true);
    }
    if (deleteUntagged) {
      // Only when set, so plans without it read as before.
      m.put(DELETE_UNTAGGED, true);
      m.put(UNTAGGED_MIN_AGE, untaggedMinAge.toString());
    }
    return m;
  }

  @Override
  public String toString() {
    return "RetentionPolicy" + describe();
  }

  /** Builds a {@link RetentionPolicy}; {@link #build()} validates everything at once. */
  public static final class Builder {
    private final List<Pattern> includeRepositories = new ArrayList<>();
    private final List<Pattern> excludeRepositories = new ArrayList<>();
    private final List<String> repositoryNames = new ArrayList<>();
    private final List<String> whitelist = new ArrayList<>();
    private final List<Pattern> keepTags = new ArrayList<>();
    private final List<Pattern> deleteOnlyTags = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private OptionalInt keepLast = OptionalInt.empty();
    private final Map<Pattern, Integer> keepLastScoped = new LinkedHashMap<>();
    private @org.jspecify.annotations.Nullable RetentionAge keepNewerThan;
    private boolean deleteAttachedArtifacts;
    private boolean allowDeleteAll;
    private boolean allowMissingKeep;
    private boolean deleteUntagged;
    private Duration untaggedMinAge = DEFAULT_UNTAGGED_MIN_AGE;
    private String registryHost = "";

    private Builder() {}

    /**
     * The registry the policy is for, so whitelist entries may carry its host.
     *
     * @param hostPort {@code host[:port]} as the client names it
     * @return this builder
     */
    public Builder registryHost(String hostPort) {
      this.registryHost =
          Objects.requireNonNull(hostPort, "'hostPort' must not be null").toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Only repositories fully matching one of these patterns (Java regex) are pruned.
     *
     * @param regex a pattern over the repository name
     * @return this builder
     */
    public Builder includeRepositories(String regex) {
      compile(regex, "repository include pattern").ifPresent(includeRepositories::add);
      return this;
    }

    /**
     * Repositories fully matching this pattern are never pruned.
     *
     * @param regex a pattern over the repository name
     * @return this builder
     */
    public Builder excludeRepositories(String regex) {
      compile(regex, "repository exclude pattern").ifPresent(excludeRepositories::add);
      return this;
    }

    /**
     * Names a repository to prune, so that the catalog is never read: once any is named, planning
     * reads exactly the named repositories (those the patterns also cover). Repeatable; a malformed
     * name makes {@link #build()} fail.
     *
     * @param name a repository name, such as {@code team/app}
     * @return this builder
     */
    public Builder repositoryName(String name) {
      Objects.requireNonNull(name, "repository names must not be null");
      try {
        repositoryNames.add(ImageReference.requireValidRepository(name.strip()));
      } catch (InvalidReferenceException e) {
        errors.add("invalid repository name '" + name + "': " + e.getMessage());
      }
      return this;
    }

    /**
     * Names several repositories; see {@link #repositoryName(String)}.
     *
     * @param names repository names
     * @return this builder
     */
    public Builder repositoryNames(Collection<String> names) {
      Objects.requireNonNull(names, "'names' must not be null").forEach(this::repositoryName);
      return this;
    }

    /**
     * Adds a whitelist entry: {@code repo:tag}, {@code repo@digest}, or a bare {@code repo},
     * optionally prefixed with this registry's host.
     *
     * @param entry the entry
     * @return this builder
     */
    public Builder keep(String entry) {
      whitelist.add(Objects.requireNonNull(entry, "whitelist entries must not be null"));
      return this;
    }

    /**
     * Keeps tags fully matching the pattern.
     *
     * @param regex a pattern over the tag
     * @return this builder
     */
    public Builder keepTags(String regex) {
      compile(regex, "keep-tags pattern").ifPresent(keepTags::add);
      return this;
    }

    /**
     * Only tags fully matching the pattern may be deleted; all others are kept.
     *
     * @param regex a pattern over the tag
     * @return this builder
     */
    public Builder deleteOnlyTags(String regex) {
      compile(regex, "delete-tags pattern").ifPresent(deleteOnlyTags::add);
      return this;
    }

    /**
     * Keeps the newest {@code n} images of each repository, by creation time.
     *
     * @param n 1 or more
     * @return this builder
     */
    public Builder keepLast(int n) {
      if (n < 1) {
        errors.add("keep-last must be at least 1, was " + n);
      } else {
        keepLast = OptionalInt.of(n);
      }
      return this;
    }

    /**
     * Keeps, in each repository, the newest {@code n} images among those with at least one tag
     * fully matching the pattern, with every tag on them; images without such a tag are not
     * counted. Repeatable: each pattern counts its own images (an image may be counted by several).
     * The same pattern given twice keeps the larger count. Independent of {@link #keepLast(int)}.
     *
     * @param n 1 or more
     * @param tagRegex a pattern over the tag
     * @return this builder
     */
    public Builder keepLast(int n, String tagRegex) {
      Optional<Pattern> p = compile(tagRegex, "keep-last tag pattern");
      if (n < 1) {
        errors.add("keep-last must be at least 1, was " + n + " (for tags " + tagRegex + ")");
      } else if (p.isPresent()) {
        Pattern existing =
            keepLastScoped.keySet().stream()
                .filter(k -> k.pattern().equals(tagRegex))
                .findFirst()
                .orElse(p.get());
        keepLastScoped.merge(existing, n, Math::max);
      }
      return this;
    }

    /**
     * Keeps images created less than {@code age} ago.
     *
     * @param age a positive duration of at most {@link RetentionAge#MAX_YEARS} years
     * @return this builder
     */
    public Builder keepNewerThan(Duration age) {
      Objects.requireNonNull(age, "'age' must not be null");
      try {
        return keepNewerThan(RetentionAge.of(age));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        return this;
      }
    }

    /**
     * Keeps images created less than {@code age} ago; months and years are calendar months and
     * years counted back from the plan's clock.
     *
     * @param age the age
     * @return this builder
     */
    public Builder keepNewerThan(RetentionAge age) {
      keepNewerThan = Objects.requireNonNull(age, "'age' must not be null");
      return this;
    }

    /**
     * Keeps images created less than {@code age} ago, read by {@link RetentionAge#parse}: {@code
     * 30d}, {@code 12h}, {@code 2w}, {@code 6mo}, {@code 1y}, {@code P6M}, {@code PT12H}, ...; a
     * malformed, ambiguous ({@code 6m}), non-positive or over-100-year age makes {@link #build()}
     * fail.
     *
     * @param age the age as text
     * @return this builder
     */
    public Builder keepNewerThan(String age) {
      Objects.requireNonNull(age, "'age' must not be null");
      try {
        return keepNewerThan(RetentionAge.parse(age));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        return this;
      }
    }

    /**
     * Also deletes signatures and attestations attached to deleted images; default off.
     *
     * @param enabled whether to delete them
     * @return this builder
     */
    public Builder deleteAttachedArtifacts(boolean enabled) {
      this.deleteAttachedArtifacts = enabled;
      return this;
    }

    /**
     * Permits a policy without any keep rule, which deletes every tag it covers; default off, so
     * that a forgotten option cannot empty a registry.
     *
     * @param allowed whether a rule-less policy is accepted
     * @return this builder
     */
    public Builder allowDeleteAll(boolean allowed) {
      this.allowDeleteAll = allowed;
      return this;
    }

    /**
     * Permits applying a plan in which a keep rule matches nothing (a whitelist entry whose
     * repository, tag or digest does not exist, a repository pattern matching no repository);
     * default off, so that a typo in what to keep cannot delete it. The plan lists such rules
     * either way.
     *
     * @param allowed whether such a plan may be applied
     * @return this builder
     */
    public Builder allowMissingKeep(boolean allowed) {
      this.allowMissingKeep = allowed;
      return this;
    }

    /**
     * Also deletes untagged manifests that nothing kept or tagged references (see the class
     * documentation); default off. Planning such a policy needs the registry's storage ({@link
     * Pruner#withStorage}): without it the plan fails before anything is read.
     *
     * @param enabled whether to delete them
     * @return this builder
     */
    public Builder deleteUntagged(boolean enabled) {
      this.deleteUntagged = enabled;
      return this;
    }

    /**
     * With {@link #deleteUntagged(boolean)}: an untagged manifest pushed less than this ago is
     * kept; default {@link #DEFAULT_UNTAGGED_MIN_AGE}.
     *
     * @param age the minimum age, zero or more
     * @return this builder
     */
    public Builder untaggedMinAge(Duration age) {
      Objects.requireNonNull(age, "'untaggedMinAge' must not be null");
      if (age.isNegative()) {
        errors.add("untaggedMinAge must not be negative: " + age);
      } else {
        this.untaggedMinAge = age;
      }
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the policy
     * @throws InvalidReferenceException if anything is malformed; the message lists every problem
     */
    public RetentionPolicy build() {
      List<String> problems = new ArrayList<>(errors);
      Set<String> tagRefs = new LinkedHashSet<>();
      Set<String> digestRefs = new LinkedHashSet<>();
      Set<String> repos = new LinkedHashSet<>();
      for (String entry : whitelist) {
        String e = entry.strip();
        try {
          if (e.isEmpty()) {
            throw new InvalidReferenceException("empty whitelist entry");
          }
          ImageReference ref = ImageReference.parse(e);
          Optional<String> host = ref.registry();
          if (host.isPresent() && !host.get().equalsIgnoreCase(registryHost)) {
            throw new InvalidReferenceException(
                "whitelist entry '"
                    + entry
                    + "' names registry '"
                    + host.get()
                    + "', not this registry"
                    + (registryHost.isEmpty() ? "" : " '" + registryHost + "'"));
          }
          String repo = ref.repository();
          if (ref.digest().isPresent()) {
            digestRefs.add(repo + "@" + ref.digest().get());
            ref.tag().ifPresent(t -> tagRefs.add(repo + ":" + t));
          } else if (ref.tag().isPresent()) {
            tagRefs.add(repo + ":" + ref.tag().get());
          } else {
            repos.add(repo);
          }
        } catch (InvalidReferenceException ex) {
          problems.add(ex.getMessage());
        }
      }
      boolean hasRule =
          !whitelist.isEmpty()
              || !keepTags.isEmpty()
              || !deleteOnlyTags.isEmpty()
              || keepLast.isPresent()
              || !keepLastScoped.isEmpty()
              || keepNewerThan != null;
      if (!hasRule && !allowDeleteAll && problems.isEmpty()) {
        problems.add(
            "the policy has no keep rule and would delete every tag it covers; add a rule "
                + "(keep, keepTags, deleteOnlyTags, keepLast, keepNewerThan) or allowDeleteAll(true)");
      }
      if (!problems.isEmpty()) {
        throw new InvalidReferenceException(
            "invalid retention policy: " + String.join("; ", problems));
      }
      return new RetentionPolicy(this, tagRefs, digestRefs, repos);
    }

    private Optional<Pattern> compile(String regex, String what) {
      Objects.requireNonNull(regex, () -> "'" + what + "' must not be null");
      try {
        return Optional.of(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        errors.add("invalid " + what + " '" + regex + "': " + e.getDescription());
        return Optional.empty();
      }
    }
  }
}
