package io.registryreactive.benchmarks;

import io.registryreactive.Page;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;

/**
 * Lists a million tags from an in-process {@link StubRegistryServer} with the client, counts them,
 * and prints tags per second and the peak heap. Meant to run in a small heap:
 *
 * <pre>
 * java -Xmx128m -cp benchmarks/target/benchmarks.jar io.registryreactive.benchmarks.ListMillionTags
 * java -Xmx128m -cp benchmarks/target/benchmarks.jar io.registryreactive.benchmarks.ListMillionTags --one-page
 * </pre>
 *
 * <p>Options: {@code --tags N} (default 1,000,000), {@code --page-size N} (the {@code n} asked for
 * and served, default 10,000), {@code --one-page} (the stub ignores {@code n} and sends every tag
 * in one response, as distribution does), {@code --by-page} (count through {@code byPage()} instead
 * of the tag {@code Flux}), {@code --runs N} (default 2: the first warms up the JIT and the stub's
 * page cache, the last is reported).
 *
 * <p>Peak heap is the larger of the heap in use seen just before each GC (what the heap had to
 * hold) and a 5 ms sampler; "heap after GC" is the most the heap still held right after a GC (for
 * G1's young collections that includes old-generation garbage, so it bounds the live set from
 * above). Both include the stub, whose page cache is off-heap (direct memory) and whose heap share
 * is printed as the baseline before the listing.
 *
 * <p>A run that does not finish within {@code --timeout} seconds (default 120) is reported as
 * failed: an {@link OutOfMemoryError} thrown on a Netty event loop is logged there and never
 * reaches the subscriber, so without the timeout the listing would wait forever.
 */
public final class ListMillionTags {

  private ListMillionTags() {}

  /**
   * Runs the listing.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    int tags = 1_000_000;
    int pageSize = 10_000;
    boolean onePage = false;
    boolean byPage = false;
    int runs = 2;
    int timeoutSeconds = 120;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tags" -> tags = Integer.parseInt(args[++i]);
        case "--page-size" -> pageSize = Integer.parseInt(args[++i]);
        case "--one-page" -> onePage = true;
        case "--by-page" -> byPage = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: ListMillionTags [--tags N] [--page-size N] [--one-page] [--by-page] [--runs N] [--timeout SECONDS]");
          System.exit(2);
        }
      }
    }
    StubRegistryServer.Builder stubConfig = StubRegistryServer.builder();
    if (onePage) {
      stubConfig.tagsInOnePage(tags);
    } else {
      stubConfig.tags(tags, pageSize);
    }
    HeapWatch heap = new HeapWatch();
    String mode =
        (onePage ? "one page of " + tags + " tags" : tags + " tags in pages of " + pageSize)
            + (byPage ? ", counted by page" : ", counted as a Flux<String>");
    System.out.printf(
        Locale.ROOT,
        "ListMillionTags: %s, max heap %d MiB (-Xmx), %s%n",
        mode,
        HeapWatch.mib(Runtime.getRuntime().maxMemory()),
        gcNames());
    int exit = 0;
    try (StubRegistryServer stub = stubConfig.start();
        ReactiveRegistryClient client =
            ReactiveRegistryClient.builder()
                .baseUrl(stub.baseUrl())
                .retry(RetryOptions.disabled())
                .build()) {
      int requestSize = onePage ? 0 : pageSize;
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      for (int run = 1; run <= runs; run++) {
        System.gc();
        long baseline = heap.usedNow();
        heap.reset();
        long requestsBefore = stub.requestsServed();
        long started = System.nanoTime();
        long counted;
        try {
          counted =
              byPage
                  ? client
                      .tags(StubRegistryServer.REPOSITORY, requestSize)
                      .byPage()
                      .map(Page::items)
                      .reduce(0L, (n, items) -> n + items.size())
                      .block(timeout)
                  : client.tags(StubRegistryServer.REPOSITORY, requestSize).count().block(timeout);
        } catch (OutOfMemoryError | RuntimeException e) {
          Throwable cause = HeapWatch.rootCause(e);
          // An error thrown on an event loop (an OutOfMemoryError while buffering or parsing the
          // page)
          // is logged by Netty and never reaches the subscriber: the listing then only times out.
          System.out.printf(
              Locale.ROOT,
              "run %d FAILED after %.2f s: %s%n  peak heap used %d MiB, heap after GC %d MiB"
                  + " (baseline %d MiB), %d GCs%n",
              run,
              (System.nanoTime() - started) / 1e9,
              cause,
              HeapWatch.mib(heap.peak()),
              HeapWatch.mib(heap.peakAfterGc()),
              HeapWatch.mib(baseline),
              heap.gcs());
          exit = 1;
          break;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "run %d%s: %,d tags in %.2f s = %,.0f tags/s, %d requests;"
                + " peak heap used %d MiB, heap after GC %d MiB (baseline before listing %d MiB), %d GCs;"
                + " stub page cache %d MiB off-heap%n",
            run,
            run == runs ? " (reported)" : " (warm-up)",
            counted,
            seconds,
            counted / seconds,
            stub.requestsServed() - requestsBefore,
            HeapWatch.mib(heap.peak()),
            HeapWatch.mib(heap.peakAfterGc()),
            HeapWatch.mib(baseline),
            heap.gcs(),
            HeapWatch.mib(stub.cachedPageBytes()));
        if (counted != tags) {
          System.out.printf("run %d: counted %d tags, expected %d%n", run, counted, tags);
          exit = 1;
        }
      }
    } finally {
      heap.close();
    }
    System.exit(exit);
  }

  private static String gcNames() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName)
        .toList()
        .toString();
  }
}
