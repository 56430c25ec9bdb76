package io.registryreactive.cli;

import io.registryreactive.ClientMetrics;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.RepositoryPlan;
import java.io.PrintWriter;
import java.util.Locale;

/** Text tables for plans and reports. */
final class TextReport {
  private TextReport() {}

  /**
   * When an image was made and which source says so (config, annotation, push time), or undated.
   */
  static String dated(DigestDecision d) {
    if (d.undated() || d.created().isEmpty()) {
      return " undated";
    }
    return " created "
        + d.created().get()
        + " ("
        + switch (d.dateSource()) {
          case CONFIG -> "config";
          case ANNOTATION -> "annotation";
          case PUSH_TIME -> "push time";
          case NONE -> "unknown";
        }
        + ")";
  }

  static void plan(PrintWriter out, PrunePlan plan, boolean details) {
    int width =
        Math.max(
            10,
            plan.repositories().stream().mapToInt(r -> r.repository().length()).max().orElse(10));
    String row = "%-" + width + "s %7s %8s %7s %10s %9s%n";
    out.printf(Locale.ROOT, row, "REPOSITORY", "TAGS", "DELETE", "KEEP", "DIGESTS-", "PROTECTED");
    for (RepositoryPlan r : plan.repositories()) {
      long tagsDelete = r.tagsToDelete().size();
      long digestsDelete = r.deletions().size();
      long prot = r.decisions().stream().filter(d -> !d.protectedTags().isEmpty()).count();
      out.printf(
          Locale.ROOT,
          row,
          r.repository(),
          r.tagsScanned(),
          tagsDelete,
          r.tagsScanned() - tagsDelete,
          digestsDelete,
          prot);
      if (details) {
        for (DigestDecision d : r.decisions()) {
          out.printf(
              Locale.ROOT,
              "    %-6s %s %s%s  (%s)%s%n",
              d.action(),
              shortDigest(d.digest()),
              d.tags().isEmpty() ? "<untagged>" : String.join(",", d.tags()),
              d.protectedTags().isEmpty()
                  ? ""
                  : " protected:" + String.join(",", d.protectedTags()),
              Readable.inFlags(String.join("; ", d.reasons())),
              dated(d));
        }
      }
    }
    PrunePlan.Totals t = plan.totals();
    out.printf(
        Locale.ROOT,
        "%nRepositories: %d   tags: %d scanned, %d to delete, %d kept%n",
        t.repositories(),
        t.tagsScanned(),
        t.tagsToDelete(),
        t.tagsKept());
    out.printf(
        Locale.ROOT,
        "Manifests: %d to delete, %d kept (%d protected: a tag on them is deletable, but a kept "
            + "tag, index or image holds them), %d undated%n",
        t.digestsToDelete(),
        t.digestsKept(),
        t.digestsProtected(),
        t.undated());
    out.printf(
        Locale.ROOT,
        "Reclaimable after garbage collection: %s%s%n",
        t.reclaimableUpperBound() ? "at most " : "",
        bytes(t.reclaimableBytes()));
    for (String c : t.reclaimableCaveats()) {
      out.println("  (an upper bound: " + Readable.inFlags(c) + ")");
    }
    for (String w : plan.warnings()) {
      out.println("warning: " + Readable.inFlags(w));
    }
  }

  static void report(PrintWriter out, PruneReport report) {
    out.printf(Locale.ROOT, "Status: %s%n", report.status());
    out.printf(
        Locale.ROOT,
        "Deleted: %d manifests (%d tags); skipped: %d; failed: %d; not attempted: %d%n",
        report.deleted().size(),
        report.tagsDeleted(),
        report.skipped().size(),
        report.failures().size(),
        report.notAttempted());
    for (PruneReport.SkippedManifest s : report.skipped()) {
      out.printf(
          Locale.ROOT,
          "  skipped %s@%s: %s%n",
          s.repository(),
          shortDigest(s.digest()),
          s.reason());
    }
    for (PruneReport.FailedManifest f : report.failures()) {
      if (report.status() == PruneReport.Status.ABORTED
          && report.abortReason().filter(f.error()::equals).isPresent()) {
        continue; // the reason the run stopped is printed once, as the error on stderr
      }
      out.printf(
          Locale.ROOT, "  FAILED %s@%s: %s%n", f.repository(), shortDigest(f.digest()), f.error());
    }
    ClientMetrics m = report.metrics();
    out.printf(
        Locale.ROOT,
        "Requests: %d attempts, %d retries, %d throttled (429)%n",
        m.attempts(),
        m.retries(),
        m.throttled());
    if (report.status() != PruneReport.Status.ABORTED) {
      // An aborted run (deletion disabled, credentials refused) stopped on a problem to fix first.
      out.printf(
          Locale.ROOT,
          "Run garbage collection to reclaim about %s (registry-prune gc CONFIG, registry stopped)%n",
          bytes(report.reclaimableBytesEstimate()));
    }
  }

  static void journal(PrintWriter out, java.nio.file.Path path, long entries, String registryUrl) {
    out.printf(Locale.ROOT, "Journal: %s (%d manifests recorded before deletion)%n", path, entries);
    if (entries > 0) {
      out.printf(
          Locale.ROOT,
          "Undo (before garbage collection): registry-prune restore %s --registry %s%n",
          path,
          registryUrl);
    }
  }

  static String shortDigest(String digest) {
    int colon = digest.indexOf(':');
    return colon >= 0 && digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[i], n);
  }
}
