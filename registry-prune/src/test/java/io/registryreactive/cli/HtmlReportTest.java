package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.DigestDecision.Action;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The HTML report of a plan: self-contained, escaped, and its numbers are the plan's. */
class HtmlReportTest {
  private static final String HOSTILE_TAG = "<script>alert('tag')</script>";
  private static final String HOSTILE_REPO = "evil/<img src=x onerror=alert(1)>";
  private static final String HOSTILE_REASON =
      "\"><script src=https://attacker.example/x.js></script>";

  @Test
  void render_escapesEveryRegistryString_soNoScriptOrExternalResourceAppears() {
    Document doc = Jsoup.parse(HtmlReport.render(plan()));

    assertThat(doc.select("script")).isEmpty();
    assertThat(doc.select("img")).isEmpty();
    assertThat(doc.select("[src]")).isEmpty();
    assertThat(doc.select("[href]")).isEmpty();
    assertThat(doc.select("link, iframe, object, embed")).isEmpty();
    assertThat(
            doc.select("*").stream()
                .flatMap(e -> e.attributes().asList().stream())
                .filter(a -> a.getKey().startsWith("on")))
        .isEmpty();
    // The hostile strings are shown as text, exactly.
    assertThat(doc.select("#decisions td").eachText())
        .contains(HOSTILE_TAG, HOSTILE_REPO, HOSTILE_REASON);
    assertThat(doc.select("#chart g.repo").eachAttr("data-repository")).contains(HOSTILE_REPO);
  }

  @Test
  void render_numbersAreThePlans() {
    PrunePlan plan = plan();
    Document doc = Jsoup.parse(HtmlReport.render(plan));

    assertThat(doc.getElementById("reclaimable").attr("data-bytes"))
        .isEqualTo(String.valueOf(plan.totals().reclaimableBytes()));
    for (RepositoryPlan r : plan.repositories()) {
      Element g =
          doc.select("#chart g.repo").stream()
              .filter(e -> e.attr("data-repository").equals(r.repository()))
              .findFirst()
              .orElseThrow();
      assertThat(Long.parseLong(g.attr("data-before"))).isEqualTo(HtmlReport.before(r));
      assertThat(Long.parseLong(g.attr("data-after"))).isEqualTo(HtmlReport.after(r));
    }
    // app: 3000 + 1000 before, 1000 kept; evil: 500 deleted.
    assertThat(doc.select("#chart g.repo").eachAttr("data-before")).containsExactly("4000", "500");
    assertThat(doc.select("#chart g.repo").eachAttr("data-after")).containsExactly("1000", "0");
    // Largest reclaimable first, only deletions.
    assertThat(doc.select("#largest td[data-bytes]").eachAttr("data-bytes"))
        .containsExactly("3000", "500");
    assertThat(doc.select("#decisions tr").size() - 1).isEqualTo(3);
    assertThat(doc.select("#decisions td.DELETE")).hasSize(2);
    assertThat(doc.getElementById("summary").text())
        .contains("2 repositories, 3 tags scanned, 2 to delete");
  }

  private static PrunePlan plan() {
    DigestDecision bigOld =
        new DigestDecision(
            "sha256:" + "a".repeat(64),
            "application/vnd.oci.image.manifest.v1+json",
            List.of("1.0"),
            Action.DELETE,
            List.of("older than the 1 newest"),
            Optional.empty(),
            false,
            List.of(),
            List.of(),
            List.of(),
            3000);
    DigestDecision kept =
        new DigestDecision(
            "sha256:" + "b".repeat(64),
            "application/vnd.oci.image.manifest.v1+json",
            List.of("2.0"),
            Action.KEEP,
            List.of("among the 1 newest"),
            Optional.empty(),
            false,
            List.of(),
            List.of(),
            List.of(),
            1000);
    DigestDecision hostile =
        new DigestDecision(
            "sha256:" + "c".repeat(64),
            "application/vnd.oci.image.manifest.v1+json",
            List.of(HOSTILE_TAG),
            Action.DELETE,
            List.of(HOSTILE_REASON),
            Optional.empty(),
            false,
            List.of(),
            List.of(),
            List.of(),
            500);
    return new PrunePlan(
        "127.0.0.1:5000",
        Instant.parse("2024-03-01T00:00:00Z"),
        Map.of(),
        List.of(
            new RepositoryPlan("app", 2, List.of(bigOld, kept)),
            new RepositoryPlan(HOSTILE_REPO, 1, List.of(hostile))),
        new PrunePlan.Totals(2, 3, 2, 1, 2, 1, 0, 0, 3500),
        List.of());
  }
}
