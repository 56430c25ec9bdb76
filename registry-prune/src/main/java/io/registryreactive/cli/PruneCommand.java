package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.PruneEvent;
import io.registryreactive.prune.PruneExecution;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RegistryConfig;
import io.registryreactive.prune.RegistryStorage;
import io.registryreactive.prune.RetentionAge;
import io.registryreactive.prune.RetentionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@code prune}: plan (dry run) or apply a retention policy. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune prune --registry http://127.0.0.1:5000 --keep-last 5",
      "  registry-prune prune --keep-tags 'latest' --output json > plan.json",
      "  registry-prune prune --plan-file plan.json --apply",
      "  registry-prune prune --keep-last 5 --report report.html"
    },
    description = {
      "Delete every tag no rule keeps. Dry run unless --apply.",
      "A tag is kept if ANY rule keeps it; a digest is deleted only if every tag on it is deletable;",
      "children of kept multi-platform indexes are kept."
    })
final class PruneCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection = new ConnectionOptions();

  @Option(
      names = "--keep",
      paramLabel = "REF",
      description = "Keep this: repo:tag, repo@sha256:..., or repo (whitelist)")
  List<String> keep = new ArrayList<>();

  @Option(
      names = "--keep-file",
      paramLabel = "FILE",
      description =
          "Whitelist file: one entry per line, # comments; a regular file of at most 16 MiB")
  Path keepFile;

  @Option(
      names = "--repository",
      paramLabel = "REGEX",
      description = "Only repositories fully matching (repeatable)")
  List<String> repositories = new ArrayList<>();

  @Option(
      names = "--repository-name",
      paramLabel = "NAME",
      description =
          "Prune this repository, named exactly, "
              + "without reading the catalog (repeatable; for registries without _catalog: Docker Hub, GHCR, Harbor, GitLab)")
  List<String> repositoryNames = new ArrayList<>();

  @Option(
      names = "--repositories-from",
      paramLabel = "FILE",
      description =
          "Repository names to prune, one per "
              + "line, # comments, without reading the catalog; a regular file of at most 16 MiB")
  Path repositoriesFrom;

  @Option(
      names = "--registry-config",
      paramLabel = "CONFIG",
      description =
          "The registry's config.yml, when its "
              + "filesystem storage is readable here: read-only, for untagged manifests (--untagged, and an exact "
              + "estimate) and tag push times (dates of images without a usable created); other storage drivers are refused")
  Path registryConfig;

  @Option(
      names = "--untagged",
      description =
          "Also delete untagged manifests (left by re-pushed tags) that nothing kept or tagged references: "
              + "children of tagged indexes and referrers of kept images stay; needs --registry-config")
  boolean untagged;

  @Option(
      names = "--covered-only",
      description =
          "Read only the repositories the policy covers (faster on a large registry); by default the others are "
              + "read too, for what they reference, so the estimate does not count blobs they hold")
  boolean coveredOnly;

  @Option(
      names = "--head-first",
      description =
          "Resolve listed tags with HEAD and fetch each manifest once by digest, for registries that count "
              + "manifest GETs as pulls (Docker Hub); kept tags are still resolved by GET")
  boolean headFirst;

  @Option(
      names = "--untagged-min-age",
      paramLabel = "DURATION",
      description =
          "With --untagged: keep untagged manifests pushed less than this ago, which may belong to a push in "
              + "progress (default: 1h; 0s for none)")
  String untaggedMinAge;

  @Option(
      names = "--exclude-repository",
      paramLabel = "REGEX",
      description = "Never repositories fully matching")
  List<String> excludeRepositories = new ArrayList<>();

  @Option(names = "--keep-tags", paramLabel = "REGEX", description = "Keep tags fully matching")
  String keepTags;

  @Option(
      names = "--delete-tags",
      paramLabel = "REGEX",
      description = "Only tags fully matching may be deleted")
  String deleteTags;

  @Option(
      names = "--keep-last",
      paramLabel = "N[:REGEX]",
      description =
          "Keep the N newest images of each "
              + "repository; N:REGEX keeps the N newest among images with a tag fully matching REGEX (repeatable, "
              + "e.g. --keep-last 5:'pr-.*' --keep-last 3:'main-.*')")
  List<String> keepLast = new ArrayList<>();

  @Option(
      names = "--keep-newer-than",
      paramLabel = "DURATION",
      description =
          "Keep images newer than this: 30d, 12h, 90min, 2w, 6mo, 1y or ISO-8601 P6M, PT12H (months and years are calendar ones; at most 100 years)")
  String keepNewerThan;

  @Option(
      names = "--delete-attached",
      description = "Also delete signatures/attestations of deleted images")
  boolean deleteAttached;

  @Option(
      names = "--allow-delete-all",
      description = "Accept a policy without any keep rule (deletes every tag)")
  boolean allowDeleteAll;

  @Option(
      names = "--allow-missing-keep",
      description =
          "Apply even if a --keep entry or --repository/--exclude-repository pattern matches nothing")
  boolean allowMissingKeep;

  @Option(names = "--apply", description = "Delete (without it: print the plan only)")
  boolean apply;

  @Option(
      names = "--plan-file",
      paramLabel = "FILE",
      description =
          "Delete only what this reviewed dry-run plan "
              + "(--output json) deletes and a fresh plan with its policy still deletes; policy options come from the plan")
  Path planFile;

  @Option(
      names = "--max-plan-age",
      paramLabel = "AGE",
      defaultValue = "24h",
      description =
          "Refuse a --plan-file older than this (default: ${DEFAULT-VALUE}; same forms as --keep-newer-than)")
  String maxPlanAge;

  @Option(
      names = "--journal",
      paramLabel = "FILE",
      description =
          "With --apply: record each manifest here before "
              + "deleting it, for 'restore' (default: registry-prune-journal-<UTC time>.jsonl in the working directory)")
  Path journalFile;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Also write the plan as one self-contained HTML "
              + "page: storage per repository before and after, the largest reclaimable images, every decision with reasons")
  Path reportFile;

  @Option(names = "--details", description = "List every digest decision in text output")
  boolean details;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format (default: text)")
  OutputFormat output;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (journalFile != null && !apply) {
      throw new IllegalArgumentException("--journal records deletions: it needs --apply");
    }
    Optional<PrunePlan> reviewed = Optional.empty();
    RetentionAge maxAge = null;
    if (planFile != null) {
      refusePolicyOptions();
      maxAge = age("--max-plan-age", maxPlanAge);
      reviewed = Optional.of(ReviewedPlan.read(planFile));
    }
    // A prune makes thousands of requests: transient failures are retried for up to 2 minutes each.
    try (ReactiveRegistryClient client =
        connection.client(err, io.registryreactive.RetryOptions.batch())) {
      RetentionPolicy policy;
      if (reviewed.isPresent()) {
        ReviewedPlan.check(reviewed.get(), planFile, client.registryHost(), maxAge, Instant.now());
        policy = ReviewedPlan.policy(reviewed.get(), planFile, client.registryHost());
      } else {
        policy = policy(client.registryHost());
      }
      Pruner base =
          Pruner.of(client)
              .withConcurrency(Math.max(connection.concurrency * 2, 8))
              .withHeadFirst(headFirst)
              .withUncoveredRepositoriesRead(!coveredOnly);
      Pruner pruner =
          registryConfig == null
              ? base
              : base.withStorage(
                  RegistryStorage.of(RegistryConfig.readNow(registryConfig, System.getenv())));
      Optional<PrunePlan> reviewedPlan = reviewed;
      // With a reviewed plan: plan again as always (the registry may have changed), then delete
      // only
      // what both plans delete.
      Supplier<PrunePlan> planNow =
          () -> {
            PrunePlan fresh;
            if (DeleteProgress.wanted(output == OutputFormat.TEXT)) {
              try (PlanningProgressLine line = PlanningProgressLine.start(err)) {
                fresh = pruner.withPlanningProgress(line::update).plan(policy).block();
              }
            } else {
              fresh = pruner.plan(policy).block();
            }
            if (reviewedPlan.isEmpty()) {
              writeReport(fresh);
              return fresh;
            }
            PrunePlan both = fresh.restrictDeletionsTo(reviewedPlan.get().deletionReferences());
            writeReport(both);
            if (output == OutputFormat.TEXT) {
              err.printf(
                  java.util.Locale.ROOT,
                  "Reviewed plan %s (made %s): %d deletions; a plan now: %d; deleting the "
                      + "%d in both%n",
                  planFile,
                  reviewedPlan.get().createdAt(),
                  reviewedPlan.get().deletionReferences().size(),
                  fresh.deletionReferences().size(),
                  both.deletionReferences().size());
            }
            return both;
          };
      if (!apply) {
        if (output == OutputFormat.TEXT) {
          err.println("Listing " + client.baseUrl() + " ...");
        }
        PrunePlan plan = planNow.get();
        if (output == OutputFormat.JSON) {
          out.println(plan.toJson());
        } else {
          TextReport.plan(out, plan, details);
          out.println();
          out.println("Dry run: nothing was deleted. Add --apply to delete.");
        }
        return plan.skippedRepositories().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
      }
      // Opened before the first request: an unwritable journal is bad input, not a half-done run.
      try (JournalFile journal =
          JournalFile.open(
              journalFile != null ? journalFile : JournalFile.defaultPath(Instant.now()))) {
        if (output == OutputFormat.TEXT) {
          err.println("Listing " + client.baseUrl() + " ...");
        }
        PrunePlan plan = planNow.get();
        if (output == OutputFormat.TEXT) {
          TextReport.plan(out, plan, details);
          out.println();
        }
        if (plan.refusedForMissingKeep()) {
          // A typo in what to keep would delete it: refuse before any DELETE.
          if (output == OutputFormat.JSON) {
            out.println(plan.toJson());
          }
          err.println(
              "error: not applied, nothing was deleted: "
                  + plan.missingKeep().size()
                  + " keep rule(s) match nothing (see the warnings); fix them or add --allow-missing-keep");
          return ExitCodes.USAGE;
        }
        Consumer<PruneReport> summary =
            report -> {
              if (output == OutputFormat.JSON) {
                out.println(
                    "{\"plan\": "
                        + plan.toJson()
                        + ",\n\"report\": "
                        + report.toJson()
                        + ",\n\"journal\": "
                        + Json.write(journal.path().toString())
                        + "}");
              } else {
                TextReport.report(out, report);
                TextReport.journal(
                    out, journal.path(), journal.entries(), client.baseUrl().toString());
              }
              out.flush();
            };
        PruneReport report =
            applyWithProgress(
                pruner.withJournal(journal), plan, out, err, output == OutputFormat.TEXT, summary);
        summary.accept(report);
        if (report.status() == PruneReport.Status.ABORTED) {
          err.println("error: " + report.abortReason().orElse("aborted"));
          return ExitCodes.DENIED;
        }
        // A skipped repository was not pruned: the run did not do all it was asked.
        return report.failures().isEmpty() && plan.skippedRepositories().isEmpty()
            ? ExitCodes.OK
            : ExitCodes.FAILED;
      }
    }
  }

  /**
   * Runs the deletions with a progress bar on a terminal. Ctrl-C (SIGINT, or SIGTERM) while they
   * run stops new deletes at once, waits for those already sent (the registry may apply them
   * whatever the client does), prints the usual summary with what was deleted and not attempted,
   * and ends the process with {@link ExitCodes#INTERRUPTED}.
   */
  private static PruneReport applyWithProgress(
      Pruner pruner,
      PrunePlan plan,
      PrintWriter out,
      PrintWriter err,
      boolean text,
      Consumer<PruneReport> summary) {
    long total = plan.totals().digestsToDelete();
    DeleteProgress bar =
        DeleteProgress.wanted(text) && total > 0 ? DeleteProgress.start(err, total) : null;
    PruneExecution execution = pruner.execute(plan);
    AtomicBoolean finished = new AtomicBoolean();
    // The report completes when the run ends (cancelled included); an error ends the events
    // instead.
    Sinks.One<PruneReport> failure = Sinks.one();
    Mono<PruneReport> outcome = Mono.firstWithSignal(execution.report(), failure.asMono());
    Disposable run =
        execution
            .events()
            .doOnNext(
                e -> {
                  if (bar != null
                      && !(e instanceof PruneEvent.RepositoryRechecked)
                      && !(e instanceof PruneEvent.Finished)) {
                    bar.step();
                  }
                })
            .subscribe(e -> {}, failure::tryEmitError);
    Thread onInterrupt =
        new Thread(
            () -> {
              if (!finished.compareAndSet(false, true)) {
                return; // the run ended by itself; its summary is printed by the command
              }
              if (bar != null) {
                bar.close();
              } else {
                err.println();
              }
              err.println(
                  "Interrupted: no new deletes are sent; waiting for the deletes already sent ...");
              err.flush();
              run.dispose();
              PruneReport report;
              try {
                report = outcome.block(INTERRUPT_GRACE);
              } catch (RuntimeException e) {
                report = null;
              }
              if (report != null) {
                summary.accept(report);
              }
              err.println(
                  "Interrupted: "
                      + (report == null
                          ? "the deletes in flight did not finish in " + INTERRUPT_GRACE
                          : report.deleted().size()
                              + " manifests deleted, "
                              + report.notAttempted()
                              + " not attempted"));
              err.flush();
              out.flush();
              // Exiting from a shutdown hook with System.exit would deadlock; the hook is the last
              // thing to run.
              Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
            },
            "registry-prune-interrupt");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      PruneReport report = outcome.block();
      if (!finished.compareAndSet(false, true)) {
        // Interrupted: the hook prints the summary and ends the process; nothing more to do here.
        parkForever();
      }
      if (bar != null) {
        bar.close();
      }
      return report;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already shutting down: the hook runs (or ran) and owns the exit.
      }
    }
  }

  private static void parkForever() {
    while (true) {
      LockSupport.park();
    }
  }

  /** How long an interrupted run waits for deletes already sent before exiting anyway. */
  private static final Duration INTERRUPT_GRACE = Duration.ofMinutes(2);

  RetentionPolicy policy(String registryHost) {
    RetentionPolicy.Builder b =
        RetentionPolicy.builder()
            .registryHost(registryHost)
            .deleteAttachedArtifacts(deleteAttached)
            .allowDeleteAll(allowDeleteAll)
            .allowMissingKeep(allowMissingKeep);
    keep.forEach(b::keep);
    if (keepFile != null) {
      for (String line : readBoundedLines("--keep-file", keepFile)) {
        String entry = line.replaceFirst("#.*$", "").strip();
        if (!entry.isEmpty()) {
          b.keep(entry);
        }
      }
    }
    repositories.forEach(b::includeRepositories);
    repositoryNames.forEach(b::repositoryName);
    if (repositoriesFrom != null) {
      for (String line : readBoundedLines("--repositories-from", repositoriesFrom)) {
        String name = line.replaceFirst("#.*$", "").strip();
        if (!name.isEmpty()) {
          b.repositoryName(name);
        }
      }
    }
    excludeRepositories.forEach(b::excludeRepositories);
    if (keepTags != null) {
      b.keepTags(keepTags);
    }
    if (deleteTags != null) {
      b.deleteOnlyTags(deleteTags);
    }
    keepLastRules(keepLast, b);
    if (keepNewerThan != null) {
      b.keepNewerThan(Durations.parse(keepNewerThan));
    }
    if (untaggedMinAge != null && !untagged) {
      throw new IllegalArgumentException("--untagged-min-age is given without --untagged");
    }
    if (untagged) {
      if (registryConfig == null) {
        throw new IllegalArgumentException(
            "--untagged needs --registry-config: only the registry's storage lists untagged "
                + "manifests");
      }
      b.deleteUntagged(true);
      if (untaggedMinAge != null) {
        b.untaggedMinAge(minAge("--untagged-min-age", untaggedMinAge));
      }
    }
    return b.build();
  }

  private void writeReport(PrunePlan plan) {
    if (reportFile != null) {
      HtmlReport.write(reportFile, plan);
      if (output == OutputFormat.TEXT) {
        spec.commandLine().getErr().println("Report: " + reportFile);
      }
    }
  }

  /**
   * With --plan-file the policy is the reviewed plan's: a second policy on the command line is a
   * mistake.
   */
  private void refusePolicyOptions() {
    List<String> given = new ArrayList<>();
    if (!keep.isEmpty()) {
      given.add("--keep");
    }
    if (keepFile != null) {
      given.add("--keep-file");
    }
    if (!repositories.isEmpty()) {
      given.add("--repository");
    }
    if (!repositoryNames.isEmpty()) {
      given.add("--repository-name");
    }
    if (repositoriesFrom != null) {
      given.add("--repositories-from");
    }
    if (!excludeRepositories.isEmpty()) {
      given.add("--exclude-repository");
    }
    if (keepTags != null) {
      given.add("--keep-tags");
    }
    if (deleteTags != null) {
      given.add("--delete-tags");
    }
    if (!keepLast.isEmpty()) {
      given.add("--keep-last");
    }
    if (keepNewerThan != null) {
      given.add("--keep-newer-than");
    }
    if (deleteAttached) {
      given.add("--delete-attached");
    }
    if (allowDeleteAll) {
      given.add("--allow-delete-all");
    }
    if (untagged) {
      given.add("--untagged");
    }
    if (untaggedMinAge != null) {
      given.add("--untagged-min-age");
    }
    if (!given.isEmpty()) {
      throw new IllegalArgumentException(
          "--plan-file takes the policy from the reviewed plan; do not give "
              + String.join(", ", given)
              + " too");
    }
  }

  /** An age as a duration before now; {@code 0}, {@code 0s} or {@code 0min} is none. */
  private static Duration minAge(String option, String text) {
    if (text.strip().matches("0+(s|min|h|d)?")) {
      return Duration.ZERO;
    }
    Instant now = Instant.now();
    return Duration.between(age(option, text).cutoff(now), now);
  }

  private static RetentionAge age(String option, String text) {
    try {
      return RetentionAge.parse(text);
    } catch (IllegalArgumentException e) {
      // RetentionAge words its messages for --keep-newer-than.
      throw new IllegalArgumentException(
          option + ": " + e.getMessage().replace("keep-newer-than", "age"), e);
    }
  }

  /**
   * {@code N} (one at most) and {@code N:REGEX} (repeatable) into the builder; a bad value is bad
   * input.
   */
  static void keepLastRules(List<String> values, RetentionPolicy.Builder b) {
    boolean unscoped = false;
    for (String v : values) {
      int colon = v.indexOf(':');
      String count = colon < 0 ? v : v.substring(0, colon);
      int n;
      try {
        n = Integer.parseInt(count.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--keep-last '" + v + "': expected N or N:REGEX with N a whole number", e);
      }
      if (colon < 0) {
        if (unscoped) {
          throw new IllegalArgumentException(
              "--keep-last N without a pattern may be given once; scope the others "
                  + "with N:REGEX");
        }
        unscoped = true;
        b.keepLast(n);
      } else {
        String regex = v.substring(colon + 1);
        if (regex.isEmpty()) {
          throw new IllegalArgumentException(
              "--keep-last '" + v + "': the pattern after ':' is empty");
        }
        b.keepLast(n, regex);
      }
    }
  }

  /**
   * A whitelist longer than this is not a whitelist (and reading it whole could exhaust the heap).
   */
  static final long MAX_KEEP_FILE_BYTES = 16L * 1024 * 1024;

  private static List<String> readBoundedLines(String option, Path file) {
    // A missing, unreadable or unbounded whitelist is bad input found before any request: exit 2,
    // not 1.
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read "
              + option
              + " "
              + file
              + ": "
              + (e instanceof NoSuchFileException ? "no such file" : e.toString()),
          e);
    }
    if (!attributes.isRegularFile()) {
      // /dev/zero, a FIFO or a directory: never ending, blocking, or not a list at all.
      throw new IllegalArgumentException(
          option
              + " "
              + file
              + " is not a regular file ("
              + (attributes.isDirectory() ? "a directory" : "a device, FIFO or socket")
              + ")");
    }
    if (attributes.size() > MAX_KEEP_FILE_BYTES) {
      throw new IllegalArgumentException(
          option
              + " "
              + file
              + " is "
              + attributes.size()
              + " bytes; at most 16 MiB ("
              + MAX_KEEP_FILE_BYTES
              + " bytes) is accepted");
    }
    try (InputStream in = Files.newInputStream(file)) {
      // The size can change between the check and the read: read one byte past the limit at most.
      byte[] bytes = in.readNBytes((int) MAX_KEEP_FILE_BYTES + 1);
      if (bytes.length > MAX_KEEP_FILE_BYTES) {
        throw new IllegalArgumentException(
            option + " " + file + " grew past 16 MiB while being read");
      }
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e, e);
    }
  }

  /** Output formats. */
  enum OutputFormat {
    TEXT,
    JSON
  }
}
