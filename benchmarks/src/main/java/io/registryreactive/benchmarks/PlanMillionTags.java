package io.registryreactive.benchmarks;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionPolicy;
import java.time.Duration;
import java.util.Locale;

/**
 * Plans a prune (a dry run through {@link Pruner#plan}) of a large registry served by an in-process
 * {@link StubRegistryServer} in {@linkplain StubRegistryServer.Builder#distinctManifests distinct
 * mode} (every tag an image of its own, as CI pushes them), and prints tags planned per second and
 * the peak heap. Meant to run in a small heap, to see how many tags a heap holds:
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.registryreactive.benchmarks.PlanMillionTags
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.registryreactive.benchmarks.PlanMillionTags --repositories 10000
 * </pre>
 *
 * <p>Options: {@code --tags N} (in all, default 1,000,000), {@code --repositories N} (default 1;
 * the tags are spread evenly), {@code --page-size N} (tags per listing page, default 1,000), {@code
 * --concurrency N} (the planner's and the client's, default 16), {@code --timeout SECONDS} (default
 * 900). The policy keeps the last tag of every repository by name ({@code keepTags}) and deletes
 * the rest; no age rule, so no config blob is read. The plan is checked: every tag scanned, all but
 * one per repository to delete.
 *
 * <p>Peak heap is as in {@link ListMillionTags}; "plan retained" is the heap in use after a full GC
 * with the plan still referenced, less the baseline before planning: what holding the plan costs.
 * An {@link OutOfMemoryError} ends the run as failed (exit 1).
 */
public final class PlanMillionTags {

  private PlanMillionTags() {}

  /**
   * Runs the plan.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    int tags = 1_000_000;
    int repositories = 1;
    int pageSize = 1_000;
    int concurrency = 16;
    int timeoutSeconds = 900;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tags" -> tags = Integer.parseInt(args[++i]);
        case "--repositories" -> repositories = Integer.parseInt(args[++i]);
        case "--page-size" -> pageSize = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: PlanMillionTags [--tags N] [--repositories N] [--page-size N]"
                  + " [--concurrency N] [--timeout SECONDS]");
          System.exit(2);
        }
      }
    }
    if (repositories < 1 || tags < repositories || tags % repositories != 0) {
      System.err.println("--tags must be a positive multiple of --repositories");
      System.exit(2);
    }
    int perRepository = tags / repositories;
    HeapWatch heap = new HeapWatch();
    System.out.printf(
        Locale.ROOT,
        "PlanMillionTags: %,d tags over %,d repositories (%,d each, distinct images), pages of %d,"
            + " concurrency %d, max heap %d MiB (-Xmx)%n",
        tags,
        repositories,
        perRepository,
        pageSize,
        concurrency,
        HeapWatch.mib(Runtime.getRuntime().maxMemory()));
    int exit = 0;
    try (StubRegistryServer stub =
            StubRegistryServer.builder()
                .distinctManifests()
                .tags(perRepository, pageSize)
                .catalog(repositories, Math.min(repositories, 1_000))
                .start();
        ReactiveRegistryClient client =
            ReactiveRegistryClient.builder()
                .baseUrl(stub.baseUrl())
                .maxConcurrentRequests(concurrency)
                .retry(RetryOptions.disabled())
                .build()) {
      String keptTag = stub.tag(perRepository - 1);
      RetentionPolicy policy =
          RetentionPolicy.builder()
              .keepTags(java.util.regex.Pattern.quote(keptTag))
              .allowMissingKeep(true)
              .build();
      System.gc();
      long baseline = heap.usedNow();
      heap.reset();
      long started = System.nanoTime();
      PrunePlan plan;
      try {
        plan =
            Pruner.of(client)
                .withConcurrency(concurrency)
                .plan(policy)
                .block(Duration.ofSeconds(timeoutSeconds));
      } catch (OutOfMemoryError | RuntimeException e) {
        Throwable cause = HeapWatch.rootCause(e);
        System.out.printf(
            Locale.ROOT,
            "FAILED after %.1f s: %s%n  peak heap used %d MiB, heap after GC %d MiB (baseline %d"
                + " MiB), %d GCs, %,d manifest GETs served%n",
            (System.nanoTime() - started) / 1e9,
            cause,
            HeapWatch.mib(heap.peak()),
            HeapWatch.mib(heap.peakAfterGc()),
            HeapWatch.mib(baseline),
            heap.gcs(),
            stub.requestsServed(StubRegistryServer.Route.MANIFEST_GET));
        System.exit(1);
        return;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long peak = heap.peak();
      long peakAfterGc = heap.peakAfterGc();
      long gcs = heap.gcs();
      System.gc();
      long retained = heap.usedNow() - baseline;
      PrunePlan.Totals t = plan.totals();
      System.out.printf(
          Locale.ROOT,
          "planned %,d tags in %.1f s = %,.0f tags/s (%,d to delete, %,d kept), %,d manifest GETs,"
              + " %,d HEADs;%n  peak heap used %d MiB, heap after GC %d MiB (baseline before"
              + " planning %d MiB), %d GCs; plan retained %d MiB (%,.0f bytes per tag)%n",
          t.tagsScanned(),
          seconds,
          t.tagsScanned() / seconds,
          t.tagsToDelete(),
          t.tagsKept(),
          stub.requestsServed(StubRegistryServer.Route.MANIFEST_GET),
          stub.requestsServed(StubRegistryServer.Route.MANIFEST_HEAD),
          HeapWatch.mib(peak),
          HeapWatch.mib(peakAfterGc),
          HeapWatch.mib(baseline),
          gcs,
          HeapWatch.mib(retained),
          (double) retained / Math.max(1, t.tagsScanned()));
      long expectedDeletes = (long) tags - repositories;
      if (t.tagsScanned() != tags || t.tagsToDelete() != expectedDeletes) {
        System.out.printf(
            Locale.ROOT,
            "WRONG PLAN: %,d tags scanned and %,d to delete, expected %,d and %,d%n",
            t.tagsScanned(),
            t.tagsToDelete(),
            (long) tags,
            expectedDeletes);
        exit = 1;
      }
    } finally {
      heap.close();
    }
    System.exit(exit);
  }
}
