package io.registryreactive.examples.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.PruneEvent;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prune}: plan (dry run) or apply a retention policy. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Delete every tag no rule keeps. Dry run unless --apply.",
        "A tag is kept if ANY rule keeps it; a digest is deleted only if every tag on it is deletable;",
        "children of kept multi-platform indexes are kept."})
final class PruneCommand implements Callable<Integer> {
  @Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  ConnectionOptions connection = new ConnectionOptions();

  @Option(names = "--keep", paramLabel = "REF", description = "Keep this: repo:tag, repo@sha256:..., or repo (whitelist)")
  List<String> keep = new ArrayList<>();

  @Option(names = "--keep-file", paramLabel = "FILE", description = "Whitelist file: one entry per line, # comments")
  Path keepFile;

  @Option(names = "--repository", paramLabel = "REGEX", description = "Only repositories fully matching (repeatable)")
  List<String> repositories = new ArrayList<>();

  @Option(names = "--exclude-repository", paramLabel = "REGEX", description = "Never repositories fully matching")
  List<String> excludeRepositories = new ArrayList<>();

  @Option(names = "--keep-tags", paramLabel = "REGEX", description = "Keep tags fully matching")
  String keepTags;

  @Option(names = "--delete-tags", paramLabel = "REGEX", description = "Only tags fully matching may be deleted")
  String deleteTags;

  @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest images of each repository")
  Integer keepLast;

  @Option(names = "--keep-newer-than", paramLabel = "DURATION", description = "Keep images newer than this (30d, 12h, P2W)")
  String keepNewerThan;

  @Option(names = "--delete-attached", description = "Also delete signatures/attestations of deleted images")
  boolean deleteAttached;

  @Option(names = "--allow-delete-all", description = "Accept a policy without any keep rule (deletes every tag)")
  boolean allowDeleteAll;

  @Option(names = "--allow-missing-keep",
      description = "Apply even if a --keep entry or --repository/--exclude-repository pattern matches nothing")
  boolean allowMissingKeep;

  @Option(names = "--apply", description = "Delete (without it: print the plan only)")
  boolean apply;

  @Option(names = "--details", description = "List every digest decision in text output")
  boolean details;

  @Option(names = "--output", paramLabel = "text|json", defaultValue = "text", description = "Output format (default: text)")
  OutputFormat output;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // A prune makes thousands of requests: transient failures are retried for up to 2 minutes each.
    try (ReactiveRegistryClient client = connection.client(err, io.registryreactive.RetryOptions.batch())) {
      RetentionPolicy policy = policy(client.registryHost());
      Pruner pruner = Pruner.of(client).withConcurrency(Math.max(connection.concurrency * 2, 8));
      if (output == OutputFormat.TEXT) {
        err.println("Listing " + client.baseUrl() + " ...");
      }
      PrunePlan plan = pruner.plan(policy).block();
      if (!apply) {
        if (output == OutputFormat.JSON) {
          out.println(plan.toJson());
        } else {
          TextReport.plan(out, plan, details);
          out.println();
          out.println("Dry run: nothing was deleted. Add --apply to delete.");
        }
        return plan.skippedRepositories().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
      }
      if (output == OutputFormat.TEXT) {
        TextReport.plan(out, plan, details);
        out.println();
      }
      if (plan.refusedForMissingKeep()) {
        // A typo in what to keep would delete it: refuse before any DELETE.
        if (output == OutputFormat.JSON) {
          out.println(plan.toJson());
        }
        err.println("error: not applied, nothing was deleted: " + plan.missingKeep().size()
            + " keep rule(s) match nothing (see the warnings); fix them or add --allow-missing-keep");
        return ExitCodes.USAGE;
      }
      PruneReport report = applyWithProgress(pruner, plan, err, output == OutputFormat.TEXT);
      if (output == OutputFormat.JSON) {
        out.println("{\"plan\": " + plan.toJson() + ",\n\"report\": " + report.toJson() + "}");
      } else {
        TextReport.report(out, report);
      }
      if (report.status() == PruneReport.Status.ABORTED) {
        err.println("error: " + report.abortReason().orElse("aborted"));
        return ExitCodes.DENIED;
      }
      // A skipped repository was not pruned: the run did not do all it was asked.
      return report.failures().isEmpty() && plan.skippedRepositories().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  private static PruneReport applyWithProgress(Pruner pruner, PrunePlan plan, PrintWriter err, boolean text) {
    long total = plan.totals().digestsToDelete();
    boolean terminal = text && System.console() != null && total > 0;
    AtomicLong done = new AtomicLong();
    PruneReport report = pruner.apply(plan)
        .doOnNext(e -> {
          if (terminal && !(e instanceof PruneEvent.RepositoryRechecked) && !(e instanceof PruneEvent.Finished)) {
            long n = done.incrementAndGet();
            int width = 30;
            int filled = (int) (width * n / Math.max(1, total));
            err.print("\r[" + "#".repeat(filled) + " ".repeat(Math.max(0, width - filled)) + "] " + n + "/" + total);
            err.flush();
          }
        })
        .ofType(PruneEvent.Finished.class).map(PruneEvent.Finished::report).blockLast();
    if (terminal) {
      err.println();
    }
    return report;
  }

  RetentionPolicy policy(String registryHost) {
    RetentionPolicy.Builder b = RetentionPolicy.builder().registryHost(registryHost)
        .deleteAttachedArtifacts(deleteAttached).allowDeleteAll(allowDeleteAll).allowMissingKeep(allowMissingKeep);
    keep.forEach(b::keep);
    if (keepFile != null) {
      for (String line : readKeepFile()) {
        String entry = line.replaceFirst("#.*$", "").strip();
        if (!entry.isEmpty()) {
          b.keep(entry);
        }
      }
    }
    repositories.forEach(b::includeRepositories);
    excludeRepositories.forEach(b::excludeRepositories);
    if (keepTags != null) {
      b.keepTags(keepTags);
    }
    if (deleteTags != null) {
      b.deleteOnlyTags(deleteTags);
    }
    if (keepLast != null) {
      b.keepLast(keepLast);
    }
    if (keepNewerThan != null) {
      b.keepNewerThan(Durations.parse(keepNewerThan));
    }
    return b.build();
  }

  private List<String> readKeepFile() {
    try {
      return Files.readAllLines(keepFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // A missing or unreadable whitelist is bad input found before any request: exit 2, not 1.
      throw new IllegalArgumentException("cannot read --keep-file " + keepFile + ": "
          + (e instanceof NoSuchFileException ? "no such file" : e.toString()), e);
    }
  }

  /** Output formats. */
  enum OutputFormat { TEXT, JSON }
}
