package io.registryreactive.cli;

import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code prune --report FILE}: one self-contained HTML page of a plan - storage per repository
 * before and after as SVG bars, the largest reclaimable images, every decision with its reasons.
 * Inline CSS and SVG only, no script and no external resource, so it opens offline and from mail.
 * Every string from the registry (repository names, tags, digests, reasons) is HTML-escaped: a
 * hostile registry can put markup in them.
 */
final class HtmlReport {
  private HtmlReport() {}

  /** How many of the largest reclaimable images are listed. */
  static final int LARGEST = 10;

  static void write(Path file, PrunePlan plan) {
    try {
      Files.writeString(file, render(plan), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write --report " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return summed image sizes of the repository's digests (shared layers count once per image)
   */
  static long before(RepositoryPlan r) {
    return r.decisions().stream().mapToLong(DigestDecision::sizeBytes).sum();
  }

  /**
   * @return summed image sizes of the digests the plan keeps
   */
  static long after(RepositoryPlan r) {
    return r.decisions().stream()
        .filter(d -> !d.isDelete())
        .mapToLong(DigestDecision::sizeBytes)
        .sum();
  }

  static String render(PrunePlan plan) {
    StringBuilder h = new StringBuilder(16 * 1024);
    PrunePlan.Totals t = plan.totals();
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>registry-prune plan: ")
        .append(esc(plan.registry()))
        .append("</title>\n<style>\n")
        .append(
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;"
                + "margin-top:28px}table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #ddd;"
                + "text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
                + ".DELETE{color:#b00020;font-weight:600}.KEEP{color:#2e7d32}code{font-size:12px}"
                + ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}\n")
        .append("</style></head><body>\n");
    h.append("<h1>Prune plan for ")
        .append(esc(plan.registry()))
        .append("</h1>\n<p>Made ")
        .append(esc(plan.createdAt().toString()))
        .append(". <span id=\"summary\">")
        .append(t.repositories())
        .append(" repositories, ")
        .append(t.tagsScanned())
        .append(" tags scanned, ")
        .append(t.tagsToDelete())
        .append(" to delete; ")
        .append(t.digestsToDelete())
        .append(" manifests to delete, ")
        .append(t.digestsKept())
        .append(" kept. Reclaimable after garbage collection: ")
        .append(t.reclaimableUpperBound() ? "at most " : "")
        .append("<b id=\"reclaimable\" data-bytes=\"")
        .append(t.reclaimableBytes())
        .append("\" data-upper-bound=\"")
        .append(t.reclaimableUpperBound())
        .append("\">")
        .append(esc(Readable.size(t.reclaimableBytes())))
        .append("</b>.</span></p>\n");
    for (String c : t.reclaimableCaveats()) {
      h.append("<p class=\"caveat\">an upper bound: ")
          .append(esc(Readable.inFlags(c)))
          .append("</p>\n");
    }
    for (String w : plan.warnings()) {
      h.append("<p class=\"warning\">warning: ").append(esc(Readable.inFlags(w))).append("</p>\n");
    }
    chart(h, plan.repositories());
    largest(h, plan.repositories());
    decisions(h, plan.repositories());
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void chart(StringBuilder h, List<RepositoryPlan> repos) {
    h.append(
        "<h2>Storage per repository, before and after the plan</h2>\n<p class=\"legend\">"
            + "<span style=\"background:#90a4ae\"></span>before<span style=\"background:#1e88e5\"></span>after"
            + " &nbsp; (summed image sizes; layers shared between images count once per image)</p>\n");
    long max = Math.max(1, repos.stream().mapToLong(HtmlReport::before).max().orElse(1));
    int label = 220;
    int barWidth = 560;
    int rowHeight = 34;
    int height = Math.max(1, repos.size()) * rowHeight + 10;
    h.append(
        String.format(
            Locale.ROOT,
            "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " role=\"img\" aria-label=\"storage per repository\">\n",
            label + barWidth + 200,
            height));
    int y = 5;
    for (RepositoryPlan r : repos) {
      long before = before(r);
      long after = after(r);
      int wb = (int) Math.round((double) barWidth * before / max);
      int wa = (int) Math.round((double) barWidth * after / max);
      h.append(
          String.format(
              Locale.ROOT,
              "<g class=\"repo\" data-repository=\"%s\" data-before=\"%d\" data-after=\"%d\">",
              esc(r.repository()),
              before,
              after));
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">%s</text>",
              label - 8,
              y + 19,
              esc(r.repository())));
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"13\" fill=\"#90a4ae\"/>",
              label,
              y + 2,
              Math.max(wb, 1)));
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"13\" fill=\"#1e88e5\"/>",
              label,
              y + 16,
              Math.max(wa, after > 0 ? 1 : 0)));
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s \u2192 %s</text></g>\n",
              label + Math.max(wb, 1) + 8,
              y + 19,
              esc(Readable.size(before)),
              esc(Readable.size(after))));
      y += rowHeight;
    }
    h.append("</svg>\n");
  }

  private record Candidate(String repository, DigestDecision decision) {}

  private static void largest(StringBuilder h, List<RepositoryPlan> repos) {
    List<Candidate> all = new ArrayList<>();
    repos.forEach(r -> r.deletions().forEach(d -> all.add(new Candidate(r.repository(), d))));
    all.sort(Comparator.comparingLong((Candidate c) -> c.decision().sizeBytes()).reversed());
    h.append(
        "<h2>Largest reclaimable images</h2>\n<table id=\"largest\"><tr><th>repository</th><th>tags</th>"
            + "<th>digest</th><th>size</th></tr>\n");
    for (Candidate c : all.subList(0, Math.min(LARGEST, all.size()))) {
      h.append("<tr><td>")
          .append(esc(c.repository()))
          .append("</td><td>")
          .append(tags(c.decision()))
          .append("</td><td><code>")
          .append(esc(TextReport.shortDigest(c.decision().digest())))
          .append("</code></td><td class=\"n\" data-bytes=\"")
          .append(c.decision().sizeBytes())
          .append("\">")
          .append(esc(Readable.size(c.decision().sizeBytes())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void decisions(StringBuilder h, List<RepositoryPlan> repos) {
    h.append(
        "<h2>Decisions</h2>\n<table id=\"decisions\"><tr><th>repository</th><th>action</th><th>tags</th>"
            + "<th>digest</th><th>size</th><th>reasons</th></tr>\n");
    for (RepositoryPlan r : repos) {
      for (DigestDecision d : r.decisions()) {
        h.append("<tr><td>")
            .append(esc(r.repository()))
            .append("</td><td class=\"")
            .append(d.action().name())
            .append("\">")
            .append(d.action().name())
            .append("</td><td>")
            .append(tags(d))
            .append("</td><td><code>")
            .append(esc(TextReport.shortDigest(d.digest())))
            .append("</code></td><td class=\"n\" data-bytes=\"")
            .append(d.sizeBytes())
            .append("\">")
            .append(esc(Readable.size(d.sizeBytes())))
            .append("</td><td>")
            .append(esc(Readable.inFlags(String.join("; ", d.reasons()))))
            .append("</td></tr>\n");
      }
    }
    h.append("</table>\n");
  }

  private static String tags(DigestDecision d) {
    return d.tags().isEmpty() ? "<i>untagged</i>" : esc(String.join(", ", d.tags()));
  }

  /** Escapes text for HTML element content and double-quoted attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
