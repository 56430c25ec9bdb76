package io.registryreactive.cli;

import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RetentionAge;
import io.registryreactive.prune.RetentionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code prune --plan-file}: a dry-run plan saved with {@code --output json} and reviewed. The run
 * plans again with that plan's policy against the registry as it is now, and deletes only what both
 * plans delete. Every check here runs before any request: a bad plan file exits 2.
 */
final class ReviewedPlan {
  /** A plan file larger than this is not a reviewed plan. */
  static final long MAX_PLAN_FILE_BYTES = 256L * 1024 * 1024;

  private static final Set<String> POLICY_KEYS =
      Set.of(
          "includeRepositories",
          "excludeRepositories",
          "keep",
          "keepTags",
          "deleteOnlyTags",
          "keepLast",
          RetentionPolicy.KEEP_LAST_SCOPED,
          RetentionPolicy.REPOSITORIES,
          "keepNewerThan",
          "deleteAttachedArtifacts",
          RetentionPolicy.DELETE_UNTAGGED,
          RetentionPolicy.UNTAGGED_MIN_AGE,
          RetentionPolicy.ALLOW_MISSING_KEEP);

  private ReviewedPlan() {}

  /** Reads the file; malformed, unreadable or oversized is bad input. */
  static PrunePlan read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            "--plan-file "
                + file
                + (Files.exists(file) ? " is not a regular file" : ": no such file"));
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) MAX_PLAN_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_PLAN_FILE_BYTES) {
        throw new IllegalArgumentException("--plan-file " + file + " is larger than 256 MiB");
      }
      return PrunePlan.fromJson(new String(bytes, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--plan-file " + file + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --plan-file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("not a prune plan")) {
        throw new IllegalArgumentException("--plan-file " + file + " is " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Refuses a plan for another registry, or older than {@code maxAge}. */
  static void check(
      PrunePlan plan, Path file, String registryHost, RetentionAge maxAge, Instant now) {
    if (!plan.registry().equalsIgnoreCase(registryHost)) {
      throw new IllegalArgumentException(
          "--plan-file "
              + file
              + " is a plan for registry "
              + plan.registry()
              + ", not "
              + registryHost
              + " (--registry)");
    }
    if (plan.createdAt().isBefore(maxAge.cutoff(now))) {
      Duration age = Duration.between(plan.createdAt(), now);
      throw new IllegalArgumentException(
          "--plan-file "
              + file
              + " was made "
              + age.toHours()
              + " h ago ("
              + plan.createdAt()
              + "), more than --max-plan-age "
              + maxAge
              + "; make and review a new plan");
    }
  }

  /**
   * The plan's policy, rebuilt from its description; unknown rules are refused rather than ignored.
   */
  static RetentionPolicy policy(PrunePlan plan, Path file, String registryHost) {
    Map<String, Object> p = plan.policy();
    for (String key : p.keySet()) {
      if (!POLICY_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "--plan-file "
                + file
                + ": its policy has '"
                + key
                + "', which this registry-prune does not know");
      }
    }
    RetentionPolicy.Builder b = RetentionPolicy.builder().registryHost(registryHost);
    strings(p, "includeRepositories", file).forEach(b::includeRepositories);
    strings(p, "excludeRepositories", file).forEach(b::excludeRepositories);
    strings(p, RetentionPolicy.REPOSITORIES, file).forEach(b::repositoryName);
    strings(p, "keep", file).forEach(b::keep);
    strings(p, "keepTags", file).forEach(b::keepTags);
    strings(p, "deleteOnlyTags", file).forEach(b::deleteOnlyTags);
    Object keepLast = p.get("keepLast");
    if (keepLast != null) {
      if (!(keepLast instanceof Integer n)) {
        throw new IllegalArgumentException(
            "--plan-file " + file + ": policy 'keepLast' is not a number");
      }
      b.keepLast(n);
    }
    List<String> scoped = strings(p, RetentionPolicy.KEEP_LAST_SCOPED, file);
    for (String rule : scoped) {
      int colon = rule.indexOf(':');
      try {
        b.keepLast(
            Integer.parseInt(rule.substring(0, Math.max(colon, 0))), rule.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--plan-file "
                + file
                + ": policy '"
                + RetentionPolicy.KEEP_LAST_SCOPED
                + "' has '"
                + rule
                + "', not N:REGEX",
            e);
      }
    }
    Object age = p.get("keepNewerThan");
    if (age != null) {
      b.keepNewerThan(String.valueOf(age));
    }
    b.deleteAttachedArtifacts(Boolean.TRUE.equals(p.get("deleteAttachedArtifacts")));
    // A plan reviewed with --allow-missing-keep was applied as such; without the key, as before.
    b.allowMissingKeep(Boolean.TRUE.equals(p.get(RetentionPolicy.ALLOW_MISSING_KEEP)));
    if (Boolean.TRUE.equals(p.get(RetentionPolicy.DELETE_UNTAGGED))) {
      b.deleteUntagged(true);
      Object minAge = p.get(RetentionPolicy.UNTAGGED_MIN_AGE);
      if (minAge != null) {
        try {
          b.untaggedMinAge(Duration.parse(String.valueOf(minAge)));
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalArgumentException(
              "--plan-file "
                  + file
                  + ": policy '"
                  + RetentionPolicy.UNTAGGED_MIN_AGE
                  + "' is not an ISO-8601 duration",
              e);
        }
      }
    }
    boolean hasRule =
        !strings(p, "keep", file).isEmpty()
            || !strings(p, "keepTags", file).isEmpty()
            || !strings(p, "deleteOnlyTags", file).isEmpty()
            || keepLast != null
            || !scoped.isEmpty()
            || age != null;
    // A saved plan without keep rules was made with --allow-delete-all; the intersection still
    // bounds it.
    b.allowDeleteAll(!hasRule);
    return b.build();
  }

  private static List<String> strings(Map<String, Object> policy, String key, Path file) {
    Object v = policy.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new IllegalArgumentException(
        "--plan-file " + file + ": policy '" + key + "' is not a list of strings");
  }
}
