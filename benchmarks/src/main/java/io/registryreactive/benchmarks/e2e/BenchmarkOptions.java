package io.registryreactive.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one end-to-end run, from the command line of {@code benchmarks/e2e/run.sh}.
 *
 * @param tags tags seeded into the one repository (default 2000; 200 with {@code --quick})
 * @param quick shorter load tests and smaller samples, to check the harness
 * @param root the project root (jars, script and outputs are found from it)
 * @param invocation the command line that started the run, for the report
 * @param concurrency requests in flight for the SDK, the CLI and the load generators: 16
 * @param ceilingRunLength length of each wrk and each ab run (5 s; 2 s quick)
 * @param lookupRounds rounds of (wrk, ab, one SDK pass over all tags), interleaved (3; 2 quick)
 * @param warmUp how long the SDK and the sequential client run look-ups before they are measured,
 *     at direct loopback in a fresh JVM (30 s; 10 s quick): on a small, busy machine the JIT needs
 *     that long to compile the request path; behind the proxy (same JVM, already compiled) 5 s
 * @param skopeoSample tags per skopeo inspect and delete batch (skopeo needs one process per tag)
 * @param sequentialDeleteBudget time the sequential deleter may spend; it stops early after that
 * @param maxRunTime the whole run is aborted after this (the registry is killed on exit)
 */
record BenchmarkOptions(
    int tags,
    boolean quick,
    Path root,
    String invocation,
    int concurrency,
    Duration ceilingRunLength,
    int lookupRounds,
    Duration warmUp,
    int skopeoSample,
    Duration sequentialDeleteBudget,
    Duration maxRunTime) {

  /** The one-way delay of the proxy: 10 ms each way, 20 ms added per round trip. */
  static final Duration ONE_WAY_DELAY = Duration.ofMillis(10);

  /** The repository seeded. */
  static final String REPOSITORY = "bench/app";

  /**
   * Parses {@code [--tags N] [--quick] --root DIR [--invocation TEXT]}.
   *
   * @param args the arguments
   * @return the options
   * @throws IllegalArgumentException on unknown or malformed arguments
   */
  static BenchmarkOptions parse(String[] args) {
    @Nullable Integer tags = null;
    boolean quick = false;
    @Nullable Path root = null;
    String invocation = "benchmarks/e2e/run.sh";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tags" -> tags = Integer.parseInt(value(args, ++i, "--tags"));
        case "--quick" -> quick = true;
        case "--root" -> root = Path.of(value(args, ++i, "--root"));
        case "--invocation" -> invocation = value(args, ++i, "--invocation");
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; usage: [--tags N] [--quick] --root DIR [--invocation TEXT]");
      }
    }
    if (root == null) {
      throw new IllegalArgumentException("--root DIR (the project root) is required");
    }
    int n = tags != null ? tags : quick ? 200 : 2000;
    if (n < 20 || n > 20_000) {
      throw new IllegalArgumentException("--tags must be 20 to 20000, was " + n);
    }
    return new BenchmarkOptions(
        n,
        quick,
        root.toAbsolutePath().normalize(),
        invocation,
        16,
        Duration.ofSeconds(quick ? 2 : 5),
        quick ? 2 : 3,
        Duration.ofSeconds(quick ? 10 : 30),
        quick ? 10 : 100,
        Duration.ofSeconds(quick ? 60 : 300),
        Duration.ofMinutes(quick ? 20 : 90));
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  /**
   * @return tags kept by every applied deletion: the newest tenth
   */
  int keep() {
    return Math.max(1, tags / 10);
  }

  Path luaScript() {
    return root.resolve("benchmarks/e2e/manifests.lua");
  }

  Path cliJar() {
    return root.resolve("registry-prune/target/registry-prune.jar");
  }

  Path resultsFile() {
    return root.resolve("benchmarks/RESULTS.md");
  }

  Path chartFile() {
    return root.resolve("benchmarks/results.png");
  }
}
