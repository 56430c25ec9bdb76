package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune --report FILE} on the demo sample in a real registry: the page's numbers are the
 * JSON plan's.
 */
@RealRegistry
@Timeout(180)
class CliHtmlReportIT {

  @Test
  void pruneReport_writesASelfContainedPageWhoseNumbersAreThePlans(
      RegistryProcess registry, ReactiveRegistryClient client, @TempDir Path dir)
      throws IOException {
    SampleImages.pushDemoSample(client, Instant.now()).block(Duration.ofSeconds(120));
    Path report = dir.resolve("report.html");

    CliRun run =
        CliRun.withEnvironment(
            Map.of(
                "REGISTRY_URL",
                registry.baseUrl().toString(),
                "REGISTRY_USERNAME",
                registry.username(),
                "REGISTRY_PASSWORD",
                registry.password()),
            "prune",
            "--keep-last",
            "3",
            "--keep-tags",
            "latest",
            "--report",
            report.toString(),
            "--output",
            "json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    PrunePlan plan = PrunePlan.fromJson(run.out());
    Document doc = Jsoup.parse(Files.readString(report, StandardCharsets.UTF_8));
    assertThat(doc.select("script, link, img, iframe, [src], [href]")).isEmpty();
    assertThat(doc.getElementById("reclaimable").attr("data-bytes"))
        .isEqualTo(String.valueOf(plan.totals().reclaimableBytes()));
    assertThat(doc.select("#chart g.repo").eachAttr("data-repository"))
        .containsExactlyElementsOf(
            plan.repositories().stream().map(RepositoryPlan::repository).toList());
    assertThat(doc.select("#chart g.repo").eachAttr("data-before"))
        .containsExactlyElementsOf(
            plan.repositories().stream().map(r -> String.valueOf(HtmlReport.before(r))).toList());
    assertThat(doc.select("#chart g.repo").eachAttr("data-after"))
        .containsExactlyElementsOf(
            plan.repositories().stream().map(r -> String.valueOf(HtmlReport.after(r))).toList());
    long decisions = plan.repositories().stream().mapToLong(r -> r.decisions().size()).sum();
    assertThat(doc.select("#decisions tr").size() - 1L).isEqualTo(decisions);
    assertThat(doc.select("#decisions td.DELETE").size())
        .isEqualTo(plan.totals().digestsToDelete());
    assertThat(plan.totals().digestsToDelete()).isPositive();
    // Kept for the README's screenshot when asked for.
    String keep = System.getProperty("report.copy");
    if (keep != null) {
      Files.copy(report, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
