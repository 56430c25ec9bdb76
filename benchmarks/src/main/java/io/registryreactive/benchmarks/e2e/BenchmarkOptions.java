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
 * @param bigTags tags of the one-repository layout of the target rows (default 3000; 300 quick)
 * @param repositories repositories of the many-repositories layout (default 500; 50 quick), each
 *     with {@link #TAGS_PER_REPOSITORY} tags
 * @param targetRounds rounds of (wrk, one registry-prune run) per target row (3; 2 quick)
 * @param targets whether the target rows run ({@code --no-targets} skips them)
 * @param baseline whether the existing rows (one repository of {@code tags} tags, every tool, both
 *     networks) run ({@code --targets-only} skips them)
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
    Duration maxRunTime,
    int bigTags,
    int repositories,
    int targetRounds,
    boolean targets,
    boolean baseline) {

  /** The one-way delay of the proxy: 10 ms each way, 20 ms added per round trip. */
  static final Duration ONE_WAY_DELAY = Duration.ofMillis(10);

  /** The repository seeded. */
  static final String REPOSITORY = "bench/app";

  /** The repository of the one-repository layout of the target rows. */
  static final String BIG_REPOSITORY = "bench/big";

  /** Name prefix of the many-repositories layout: {@code many/r000 ..}. */
  static final String MANY_PREFIX = "many/r";

  /** Tags in each repository of the many-repositories layout. */
  static final int TAGS_PER_REPOSITORY = 4;

  private static final String USAGE =
      "usage: [--tags N] [--big-tags N] [--repositories N] [--quick] [--targets-only | --no-targets]"
          + " --root DIR [--invocation TEXT]";

  /**
   * Parses {@code [--tags N] [--quick] --root DIR [--invocation TEXT]}.
   *
   * @param args the arguments
   * @return the options
   * @throws IllegalArgumentException on unknown or malformed arguments
   */
  static BenchmarkOptions parse(String[] args) {
    @Nullable Integer tags = null;
    @Nullable Integer bigTags = null;
    @Nullable Integer repositories = null;
    boolean targets = true;
    boolean baseline = true;
    boolean quick = false;
    @Nullable Path root = null;
    String invocation = "benchmarks/e2e/run.sh";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tags" -> tags = Integer.parseInt(value(args, ++i, "--tags"));
        case "--big-tags" -> bigTags = Integer.parseInt(value(args, ++i, "--big-tags"));
        case "--repositories" ->
            repositories = Integer.parseInt(value(args, ++i, "--repositories"));
        case "--targets-only" -> baseline = false;
        case "--no-targets" -> targets = false;
        case "--quick" -> quick = true;
        case "--root" -> root = Path.of(value(args, ++i, "--root"));
        case "--invocation" -> invocation = value(args, ++i, "--invocation");
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + USAGE);
      }
    }
    if (root == null) {
      throw new IllegalArgumentException("--root DIR (the project root) is required");
    }
    int n = tags != null ? tags : quick ? 200 : 2000;
    if (n < 20 || n > 20_000) {
      throw new IllegalArgumentException("--tags must be 20 to 20000, was " + n);
    }
    int big = bigTags != null ? bigTags : quick ? 300 : 3000;
    if (big < 20 || big > 20_000) {
      throw new IllegalArgumentException("--big-tags must be 20 to 20000, was " + big);
    }
    int repos = repositories != null ? repositories : quick ? 50 : 500;
    if (repos < 2 || repos > 1000) {
      throw new IllegalArgumentException("--repositories must be 2 to 1000, was " + repos);
    }
    if (!targets && !baseline) {
      throw new IllegalArgumentException("--targets-only and --no-targets leave nothing to run");
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
        Duration.ofMinutes(quick ? 20 : 90),
        big,
        repos,
        quick ? 2 : 3,
        targets,
        baseline);
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  /**
   * @return images the {@code --keep-last} target row keeps of the one-repository layout: a tenth
   */
  int bigKeepLast() {
    return Math.max(1, bigTags / 10);
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

  Path cliLauncher() {
    return root.resolve("scripts/registry-prune");
  }

  Path resultsFile() {
    return root.resolve("benchmarks/RESULTS.md");
  }

  Path chartFile() {
    return root.resolve("benchmarks/results.png");
  }
}
