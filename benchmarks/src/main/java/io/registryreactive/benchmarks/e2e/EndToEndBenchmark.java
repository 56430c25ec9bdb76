package io.registryreactive.benchmarks.e2e;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.benchmarks.e2e.Measurement.Network;
import io.registryreactive.benchmarks.e2e.Measurement.Operation;
import io.registryreactive.benchmarks.e2e.Measurement.Tool;
import io.registryreactive.testkit.RegistryProcess;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;

/**
 * Runs the end-to-end benchmark: starts a registry, seeds one repository, measures every tool at
 * direct loopback and behind the latency proxy, and writes {@code benchmarks/RESULTS.md} and {@code
 * benchmarks/results.png}.
 *
 * <p>Usage (normally through {@code benchmarks/e2e/run.sh}): {@code java -cp benchmarks.jar
 * io.registryreactive.benchmarks.e2e.EndToEndBenchmark --root DIR [--tags N] [--quick]}
 *
 * <p>Every phase is bounded: a fixed number of requests or a fixed duration, each external command
 * has a timeout, and a watchdog ends the whole run after {@link BenchmarkOptions#maxRunTime()}. A
 * phase that fails is reported as failed and the run goes on; a failed re-seed stops the run, since
 * what follows would measure a different repository.
 */
public final class EndToEndBenchmark {
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

  private final BenchmarkOptions options;
  private final BenchmarkResults results;
  private final RegistryProcess registry;
  private final TagSeeder seeder;
  private final ReactiveRegistryClient seedingClient;
  private final RegistryCpu registryCpu;
  private final RegistryLog registryLog;
  private final String authorization;

  private EndToEndBenchmark(
      BenchmarkOptions options,
      BenchmarkResults results,
      RegistryProcess registry,
      ReactiveRegistryClient seedingClient) {
    this.options = options;
    this.results = results;
    this.registry = registry;
    this.seedingClient = seedingClient;
    this.seeder = new TagSeeder(BenchmarkOptions.REPOSITORY, options.tags());
    this.registryCpu = RegistryCpu.find(registry);
    this.registryLog = new RegistryLog(registry.logFile());
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (registry.username() + ":" + registry.password())
                        .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Entry point. Exits 0 after writing the report, 2 on bad arguments, 1 when the run fails (no
   * report is written then), 3 when the watchdog stops it.
   *
   * @param args {@code --root DIR [--tags N] [--quick] [--invocation TEXT]}
   */
  public static void main(String[] args) {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      log("usage error: " + e.getMessage());
      System.exit(2);
      return;
    }
    int exitCode;
    try {
      exitCode = runAndReport(options);
    } catch (RuntimeException e) {
      log("FAILED: " + e);
      e.printStackTrace();
      exitCode = 1;
    }
    // Reactor Netty and JDK client threads would keep the JVM alive for a while; the work is done.
    System.exit(exitCode);
  }

  private static int runAndReport(BenchmarkOptions options) {
    startWatchdog(options.maxRunTime());
    for (var file : List.of(options.cliJar(), options.luaScript())) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(
            "missing " + file + " (build first: ./mvnw -q -B package -DskipTests)");
      }
    }
    var binary =
        RegistryProcess.findBinary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no registry binary; " + RegistryProcess.INSTALL_HINT));
    BenchmarkResults results =
        new BenchmarkResults(
            options,
            ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS),
            MachineInfo.capture(binary));
    log("machine: " + results.machineBefore.cores() + " cores, " + results.machineBefore.uptime());
    if (options.targets()) {
      // Each target layout gets a registry of its own, so a row measures the registry it names
      // (one repository of 3,000 tags is all that registry holds) and not its neighbours too.
      Layout big = Layout.oneRepository(BenchmarkOptions.BIG_REPOSITORY, options.bigTags(), 0);
      Layout many =
          Layout.manyRepositories(
              BenchmarkOptions.MANY_PREFIX,
              options.repositories(),
              BenchmarkOptions.TAGS_PER_REPOSITORY,
              options.bigTags());
      for (Layout layout : List.of(big, many)) {
        withRegistry(options, results, bench -> bench.runTargets(layout, layout == big));
      }
    }
    if (options.baseline()) {
      withRegistry(options, results, EndToEndBenchmark::runBaseline);
    }
    results.machineAfter = MachineInfo.capture(binary);
    new ResultsChart(results).write(options.chartFile());
    new ResultsReport(results).write(options.resultsFile());
    log("wrote " + options.resultsFile() + " and " + options.chartFile());
    return 0;
  }

  /** Starts a registry (Basic auth, deletes on) and runs {@code body} against it, then stops it. */
  private static void withRegistry(
      BenchmarkOptions options,
      BenchmarkResults results,
      java.util.function.Consumer<EndToEndBenchmark> body) {
    try (RegistryProcess registry =
            RegistryProcess.builder().auth(true).deleteEnabled(true).start();
        ReactiveRegistryClient seedingClient =
            client(registry.baseUrl().toString(), registry, options.concurrency())) {
      log(
          "registry "
              + registry.baseUrl()
              + " ("
              + registry.binary()
              + "), storage "
              + registry.storageDir());
      body.accept(new EndToEndBenchmark(options, results, registry, seedingClient));
    }
  }

  /**
   * Seeds one target layout into this (otherwise empty) registry and measures its target rows.
   *
   * @param layout the layout
   * @param oneRepository whether it is the one-repository layout (whitelist and --keep-last rows)
   *     or the many-repositories one (dry run and applied prune)
   */
  private void runTargets(Layout layout, boolean oneRepository) {
    long t0 = System.nanoTime();
    layout.seed(seedingClient, options.concurrency(), Duration.ofMinutes(10));
    layout.requireAllTags(seedingClient, options.concurrency(), CALL_TIMEOUT);
    double seconds = (System.nanoTime() - t0) / 1e9;
    results.layoutSeedSeconds.put(layout.name(), seconds);
    log(String.format("seeded %s in %.1f s", layout.name(), seconds));
    prepareCli(layout.first().repository());
    OtherLoad load = new OtherLoad(registryCpu);
    if (oneRepository) {
      measureOneRepositoryTargets(layout);
    } else {
      measureManyRepositoriesTargets(layout);
    }
    // The report gives the busier of the layouts' stretches.
    load.sinceStart()
        .ifPresent(
            c ->
                results.targetsLoad =
                    results
                        .targetsLoad
                        .filter(o -> o.others() + o.steal() >= c.others() + c.steal())
                        .or(() -> Optional.of(c)));
  }

  private void runBaseline() {
    long start = System.nanoTime();
    seeder.seed(seedingClient, options.concurrency(), Duration.ofMinutes(10));
    results.seedSeconds = (System.nanoTime() - start) / 1e9;
    requireAllTags();
    log(String.format("seeded %d tags in %.1f s", options.tags(), results.seedSeconds));
    prepareCli(BenchmarkOptions.REPOSITORY);
    try (LatencyProxy proxy =
            LatencyProxy.start(
                registry.baseUrl().getPort(),
                BenchmarkOptions.ONE_WAY_DELAY,
                options.maxRunTime());
        Skopeo skopeo =
            new Skopeo(
                List.of(registry.hostPort(), "127.0.0.1:" + proxy.port()),
                registry.username(),
                registry.password())) {
      OtherLoad direct = new OtherLoad(registryCpu);
      measure(Network.DIRECT, registry.hostPort(), skopeo);
      direct.sinceStart().ifPresent(c -> results.otherLoad.put(Network.DIRECT, c));
      OtherLoad delayed = new OtherLoad(registryCpu);
      measure(Network.DELAYED, "127.0.0.1:" + proxy.port(), skopeo);
      delayed.sinceStart().ifPresent(c -> results.otherLoad.put(Network.DELAYED, c));
      results.facts.put(
          "Latency proxy",
          proxy.connectionsAccepted()
              + " connections accepted over the run; "
              + proxy.openConnections()
              + " still open at the end (idle kept-alive client connections), closed with the proxy");
    }
  }

  private void measure(Network network, String hostPort, Skopeo skopeo) {
    String baseUrl = "http://" + hostPort;
    String repo = BenchmarkOptions.REPOSITORY;
    List<String> tags = seeder.tags();
    int n = tags.size();
    log("=== " + network.label + " (" + baseUrl + ") ===");

    phase(
        network,
        "round trip",
        () -> {
          double ms =
              new SequentialClient(
                      java.net.URI.create(baseUrl), registry.username(), registry.password())
                  .medianUnauthenticatedMillis(50);
          results.unauthenticatedRoundTripMillis.put(network, ms);
          log(String.format("GET /v2/ (401) median %.2f ms", ms));
        });

    ServerCeiling ceiling =
        new ServerCeiling(options.luaScript(), authorization, registry.password());
    try (ReactiveRegistryClient client = client(baseUrl, registry, options.concurrency())) {
      phase(
          network,
          "look-ups: ceiling and SDK in interleaved rounds",
          () -> lookUpsAgainstCeiling(network, baseUrl, tags, ceiling, client));
      phase(
          network,
          "SDK listing",
          () -> {
            List<Double> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
              long t0 = System.nanoTime();
              long count = client.tags(repo).count().block(CALL_TIMEOUT);
              runs.add((System.nanoTime() - t0) / 1e9);
              if (count != n) {
                throw new IllegalStateException("listed " + count + " tags, expected " + n);
              }
            }
            results.add(
                new Measurement(
                    network,
                    Operation.LIST,
                    Tool.SDK,
                    n,
                    median(runs),
                    false,
                    Optional.empty(),
                    "tags(repo): one GET tags/list (distribution returns all tags at once); median of 3"));
          });

      phase(
          network,
          "sequential look-ups",
          () -> {
            SequentialClient sequential =
                new SequentialClient(
                    java.net.URI.create(baseUrl), registry.username(), registry.password());
            List<String> warmTags = tags.subList(0, Math.min(n, 200));
            WarmUp warm =
                warmUp(
                    warmUp(network),
                    () -> sequential.lookUp(repo, warmTags).toNanos() / 1e9,
                    warmTags.size());
            results.facts.put("Sequential client warm-up, " + network.label, warm.describe());
            CpuClock cpu = startCpu();
            long jvmCpuBefore = jvmCpuNanos();
            Duration elapsed = sequential.lookUp(repo, tags);
            results.clientCpuMsPerLookup.put(
                network.name() + " " + Tool.SEQUENTIAL.name(),
                (jvmCpuNanos() - jvmCpuBefore) / 1e6 / n);
            add(
                network,
                Operation.LOOKUP,
                Tool.SEQUENTIAL,
                n,
                elapsed.toNanos() / 1e9,
                false,
                cpu,
                "one HEAD at a time over one kept-alive connection, Basic auth up front; after "
                    + warmUp(network).toSeconds()
                    + " s of warm-up");
            log(String.format("sequential look-ups: %.0f/s", n / (elapsed.toNanos() / 1e9)));
          });

      phase(
          network,
          "skopeo list-tags",
          () -> {
            List<Double> runs = new ArrayList<>();
            String command = "";
            for (int i = 0; i < 3; i++) {
              Skopeo.Batch batch = skopeo.listTags(hostPort, repo, n);
              runs.add(batch.seconds());
              command = batch.exampleCommand();
            }
            results.commands.putIfAbsent("skopeo list-tags " + network, command);
            results.add(
                new Measurement(
                    network,
                    Operation.LIST,
                    Tool.SKOPEO,
                    n,
                    median(runs),
                    false,
                    Optional.empty(),
                    "one process, median of 3 (times " + formatSeconds(runs) + ")"));
          });

      List<String> sample = spread(tags, options.skopeoSample());
      phase(
          network,
          "skopeo inspect",
          () -> {
            CpuClock cpu = startCpu();
            Skopeo.Batch batch = skopeo.inspectDigests(hostPort, repo, sample, seeder::digest);
            results.commands.putIfAbsent("skopeo inspect " + network, batch.exampleCommand());
            add(
                network,
                Operation.LOOKUP,
                Tool.SKOPEO,
                batch.calls(),
                batch.seconds(),
                sample.size() < n,
                cpu,
                "skopeo inspect --no-tags --format {{.Digest}} (GETs manifest and config), one process per tag, "
                    + sample.size()
                    + " of "
                    + n
                    + " tags");
          });

      PruneCli cli = pruneCli();
      phase(
          network,
          "prune dry run",
          () -> {
            List<Double> runs = new ArrayList<>();
            CpuClock cpu = startCpu();
            long logMark = registryLog.mark();
            for (int i = 0; i < 2; i++) {
              PruneCli.Run run =
                  cli.prune(baseUrl, repo, options.keep(), options.concurrency(), false);
              run.stdoutWarning().ifPresent(results.warnings::add);
              check(
                  run.tagsScanned() == n && run.tagsToDelete() == n - options.keep(),
                  "dry run planned " + run.tagsToDelete() + " of " + run.tagsScanned());
              runs.add(run.seconds());
              results.commands.putIfAbsent("registry-prune dry run " + network, run.command());
            }
            double best = runs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            Optional<Double> cpuMs = cpu.millis().map(ms -> ms / (2.0 * n));
            results.add(
                new Measurement(
                    network,
                    Operation.PLAN,
                    Tool.CLI,
                    n,
                    best,
                    false,
                    cpuMs,
                    "whole process incl. JVM start-up, --keep-last "
                        + options.keep()
                        + "; best of 2 ("
                        + formatSeconds(runs)
                        + ")"
                        + requestsPerTag(logMark, 2.0 * n)));
            log(String.format("prune dry run: %.1f s", best));
          });

      List<String> deleteSet = tags.subList(0, n - options.keep());
      phase(
          network,
          "prune --apply",
          () -> {
            CpuClock cpu = startCpu();
            long logMark = registryLog.mark();
            PruneCli.Run run =
                cli.prune(baseUrl, repo, options.keep(), options.concurrency(), true);
            String requests = requestsPerTag(logMark, n);
            run.stdoutWarning().ifPresent(results.warnings::add);
            results.commands.putIfAbsent("registry-prune apply " + network, run.command());
            check(
                run.tagsDeleted() == deleteSet.size(),
                "prune deleted " + run.tagsDeleted() + " tags, expected " + deleteSet.size());
            add(
                network,
                Operation.DELETE,
                Tool.CLI,
                run.tagsDeleted(),
                run.seconds(),
                false,
                cpu,
                "--keep-last "
                    + options.keep()
                    + ": whole process incl. JVM start-up and the full plan, then "
                    + run.tagsDeleted()
                    + " DELETEs"
                    + requests);
            log(
                String.format(
                    "prune --apply: %d tags in %.1f s", run.tagsDeleted(), run.seconds()));
          });
      restore(deleteSet);

      phase(
          network,
          "SDK deletes",
          () -> {
            CpuClock cpu = startCpu();
            long t0 = System.nanoTime();
            long deleted =
                Flux.fromIterable(deleteSet)
                    .flatMap(
                        tag -> client.metadata(repo + ":" + tag).flatMap(client::delete),
                        options.concurrency())
                    .count()
                    .block(CALL_TIMEOUT);
            double seconds = (System.nanoTime() - t0) / 1e9;
            check(deleted == deleteSet.size(), "SDK deleted " + deleted);
            add(
                network,
                Operation.DELETE,
                Tool.SDK,
                deleted,
                seconds,
                false,
                cpu,
                "metadata() then delete() per tag (HEAD + DELETE), flatMap concurrency 16");
            log(String.format("SDK deletes: %.0f/s", deleted / seconds));
          });
      restore(deleteSet);

      phase(
          network,
          "sequential deletes",
          () -> {
            SequentialClient sequential =
                new SequentialClient(
                    java.net.URI.create(baseUrl), registry.username(), registry.password());
            CpuClock cpu = startCpu();
            SequentialClient.DeleteRun run =
                sequential.delete(repo, deleteSet, options.sequentialDeleteBudget());
            List<Double> ms = run.deleteMillis();
            int tenth = Math.max(1, ms.size() / 10);
            results.deleteLatencyFirstLast.put(
                network,
                new double[] {
                  mean(ms.subList(0, tenth)),
                  mean(ms.subList(ms.size() - tenth, ms.size())),
                  n,
                  n - ms.size() + tenth
                });
            add(
                network,
                Operation.DELETE,
                Tool.SEQUENTIAL,
                run.deleted(),
                run.elapsed().toNanos() / 1e9,
                run.deleted() < deleteSet.size(),
                cpu,
                "HEAD then DELETE per tag, one request at a time"
                    + (run.deleted() < deleteSet.size()
                        ? "; stopped after the "
                            + options.sequentialDeleteBudget().toSeconds()
                            + " s budget at "
                            + run.deleted()
                            + " of "
                            + deleteSet.size()
                        : ""));
            log(
                String.format(
                    "sequential deletes: %.1f/s", run.deleted() / (run.elapsed().toNanos() / 1e9)));
          });
      restore(deleteSet);

      List<String> deleteSample = spread(deleteSet, options.skopeoSample());
      phase(
          network,
          "skopeo delete",
          () -> {
            CpuClock cpu = startCpu();
            Skopeo.Batch batch = skopeo.delete(hostPort, repo, deleteSample);
            results.commands.putIfAbsent("skopeo delete " + network, batch.exampleCommand());
            add(
                network,
                Operation.DELETE,
                Tool.SKOPEO,
                batch.calls(),
                batch.seconds(),
                deleteSample.size() < deleteSet.size(),
                cpu,
                "skopeo delete per tag (resolve + DELETE), one process per tag, "
                    + deleteSample.size()
                    + " of "
                    + deleteSet.size()
                    + " tags");
          });
      restore(deleteSample);
    }
  }

  /**
   * Issue 13's rows on the one-repository layout, at direct loopback: the whitelist dry run and the
   * {@code --keep-last} dry run. Each row is {@link BenchmarkOptions#targetRounds()} rounds of one
   * wrk run over the layout's manifests and one whole {@code registry-prune} process, the order
   * alternating, so both see the same registry and the same drifting load.
   */
  private void measureOneRepositoryTargets(Layout big) {
    Targets targets = targets(big);
    String bigRepo = big.first().repository();
    List<String> bigTags = big.first().tags();
    List<String> whitelist = bigTags.subList(bigTags.size() - 3, bigTags.size());
    List<String> whitelistPolicy = new ArrayList<>(List.of("--repository", big.repositoryRegex()));
    whitelist.forEach(t -> whitelistPolicy.addAll(List.of("--keep", bigRepo + ":" + t)));
    row(
        targets,
        "dry run, whitelist",
        "dry run, whitelist policy (" + whitelist.size() + " `--keep` tags, no dates)",
        whitelistPolicy,
        0.9,
        big.deletedBy(whitelist::contains),
        false);
    row(
        targets,
        "dry run, --keep-last",
        "dry run, `--keep-last " + options.bigKeepLast() + "` (dates needed)",
        List.of(
            "--repository",
            big.repositoryRegex(),
            "--keep-last",
            Integer.toString(options.bigKeepLast())),
        0.45,
        big.tags() - options.bigKeepLast(),
        false);
  }

  /**
   * Issue 13's rows on the many-repositories layout, at direct loopback: a dry run and an applied
   * prune (plan + deletes), measured as {@link #measureOneRepositoryTargets(Layout)} measures its
   * rows.
   */
  private void measureManyRepositoriesTargets(Layout many) {
    Targets targets = targets(many);
    String keptTag = TagSeeder.tag(BenchmarkOptions.TAGS_PER_REPOSITORY - 1);
    List<String> manyPolicy =
        List.of("--repository", many.repositoryRegex(), "--keep-tags", keptTag);
    row(
        targets,
        "dry run",
        "dry run, `--keep-tags` policy (one tag kept per repository, no dates)",
        manyPolicy,
        0.75,
        many.deletedBy(keptTag::equals),
        false);
    row(
        targets,
        "applied prune",
        "applied prune (plan + deletes), `--keep-tags` policy",
        manyPolicy,
        0.3,
        many.deletedBy(keptTag::equals),
        true);
  }

  /** Starts one layout's target rows: logs them and builds what they share. */
  private Targets targets(Layout layout) {
    String baseUrl = "http://" + registry.hostPort();
    log("=== targets, " + layout.name() + " (direct loopback, " + baseUrl + ") ===");
    return new Targets(
        layout,
        new ServerCeiling(options.luaScript(), authorization, registry.password()),
        pruneCli(),
        baseUrl);
  }

  /** The ceiling, the CLI and the URL one layout's target rows share. */
  private record Targets(Layout layout, ServerCeiling ceiling, PruneCli cli, String baseUrl) {}

  /** One target row, run as a phase of its own. */
  private void row(
      Targets t,
      String phase,
      String name,
      List<String> policy,
      double target,
      int expectedDeletes,
      boolean apply) {
    phase(
        Network.DIRECT,
        "target: " + phase + ", " + t.layout().name(),
        () ->
            target(
                name,
                t.layout(),
                List.copyOf(policy),
                target,
                expectedDeletes,
                apply,
                t.ceiling(),
                t.cli(),
                t.baseUrl()));
  }

  private void target(
      String name,
      Layout layout,
      List<String> policy,
      double target,
      int expectedDeletes,
      boolean apply,
      ServerCeiling ceiling,
      PruneCli cli,
      String baseUrl) {
    int n = layout.tags();
    long wrkRequests = 0;
    double wrkSeconds = 0;
    double wrkCpuMs = 0;
    double cliCpuMs = 0;
    double cliProcessCpu = 0;
    boolean cliProcessCpuKnown = true;
    boolean cpuKnown = registryCpu.total().isPresent();
    List<Double> cliSeconds = new ArrayList<>();
    Map<String, Long> requests = new java.util.TreeMap<>();
    boolean requestsKnown = true;
    String cliCommand = "";
    String wrkCommand = "";
    for (int round = 0; round < options.targetRounds(); round++) {
      if (apply) {
        int restored = layout.restore(seedingClient, options.concurrency(), CALL_TIMEOUT);
        if (restored > 0) {
          log("restored " + restored + " tags");
        }
      }
      ServerCeiling.Run wrk = null;
      PruneCli.Run run = null;
      for (int step = 0; step < 2; step++) {
        // Alternate which goes first, so neither always meets the registry just after the other;
        // an applied run leaves the layout pruned, so there wrk always goes first, after the
        // restore.
        if ((step == 0) == (apply || round % 2 == 0)) {
          CpuClock cpu = startCpu();
          wrk =
              ceiling.wrk(
                  baseUrl,
                  layout.wrkArguments(),
                  options.concurrency(),
                  options.ceilingRunLength());
          wrkCpuMs += cpu.millis().orElse(Double.NaN);
        } else {
          CpuClock cpu = startCpu();
          long logMark = registryLog.mark();
          Optional<Double> childCpu = OtherLoad.reapedChildrenCpuSeconds();
          run = cli.prune(baseUrl, policy, options.concurrency(), apply);
          Optional<Double> childCpuAfter = OtherLoad.reapedChildrenCpuSeconds();
          if (childCpu.isPresent() && childCpuAfter.isPresent()) {
            cliProcessCpu += childCpuAfter.get() - childCpu.get();
          } else {
            cliProcessCpuKnown = false;
          }
          Optional<Map<String, Long>> counted = registryLog.countSince(logMark);
          if (counted.isEmpty()) {
            requestsKnown = false;
          }
          counted.ifPresent(c -> c.forEach((k, v) -> requests.merge(k, v, Long::sum)));
          run.stdoutWarning().ifPresent(results.warnings::add);
          cliCpuMs += cpu.millis().orElse(Double.NaN);
        }
      }
      check(
          run.tagsScanned() == n && run.tagsToDelete() == expectedDeletes,
          name
              + ": planned "
              + run.tagsToDelete()
              + " of "
              + run.tagsScanned()
              + " tags, expected "
              + expectedDeletes
              + " of "
              + n);
      if (apply) {
        check(
            run.tagsDeleted() == expectedDeletes,
            name + ": deleted " + run.tagsDeleted() + " tags, expected " + expectedDeletes);
      }
      wrkRequests += wrk.requests();
      wrkSeconds += wrk.seconds();
      cliSeconds.add(run.seconds());
      cliCommand = run.command();
      wrkCommand = wrk.command();
      log(
          String.format(
              "%s, %s, round %d: wrk %.0f/s, registry-prune %d tags in %.2f s (%.0f tags/s)",
              name, layout.name(), round + 1, wrk.rate(), n, run.seconds(), n / run.seconds()));
    }
    if (apply) {
      layout.restore(seedingClient, options.concurrency(), CALL_TIMEOUT);
    }
    int runs = cliSeconds.size();
    TargetRow row =
        new TargetRow(
            name,
            layout.name(),
            String.join(" ", policy),
            target,
            n,
            apply ? expectedDeletes : 0,
            cliSeconds,
            cpuKnown ? optional(cliCpuMs / ((double) n * runs)) : Optional.empty(),
            cliProcessCpuKnown ? optional(cliProcessCpu / runs) : Optional.empty(),
            wrkRequests,
            wrkSeconds,
            cpuKnown ? optional(wrkCpuMs / wrkRequests) : Optional.empty(),
            cliCommand,
            wrkCommand,
            requestsKnown ? Optional.of(requests) : Optional.empty());
    results.targets.add(row);
    results.commands.putIfAbsent("wrk, " + layout.name(), wrkCommand);
    results.commands.put("registry-prune " + name + ", " + layout.name(), cliCommand);
    log(
        String.format(
            "%s: %.0f tags/s against a ceiling of %.0f/s: %.2f x (target %.2f)",
            name, row.cliRate(), row.ceilingRate(), row.ratio(), target));
  }

  /**
   * The server's ceiling (wrk, ab) and SDK look-up passes, in {@link
   * BenchmarkOptions#lookupRounds()} rounds with the order alternating, so the load other jobs put
   * on the machine, which drifts, weighs on all three alike. Each rate is total count over total
   * time across the rounds.
   */
  private void lookUpsAgainstCeiling(
      Network network,
      String baseUrl,
      List<String> tags,
      ServerCeiling ceiling,
      ReactiveRegistryClient client) {
    String repo = BenchmarkOptions.REPOSITORY;
    int n = tags.size();
    String abUrl = baseUrl + "/v2/" + repo + "/manifests/" + tags.get(n / 2);
    Duration warmUp = warmUp(network);
    WarmUp sdkWarmUp =
        warmUp(
            warmUp, () -> lookUpAll(client, tags.subList(0, Math.min(n, 500))), Math.min(n, 500));
    results.facts.put("SDK warm-up, " + network.label, sdkWarmUp.describe());
    long[] wrkCount = new long[1];
    long[] abCount = new long[1];
    double[] wrkSeconds = new double[1];
    double[] abSeconds = new double[1];
    double[] cpuMs = new double[3];
    List<Double> sdkPasses = new ArrayList<>();
    List<String> roundRatios = new ArrayList<>();
    long[] sdkJvmCpu = new long[1];
    for (int round = 0; round < options.lookupRounds(); round++) {
      double[] roundRates = new double[3];
      Runnable sdk =
          () -> {
            CpuClock cpu = startCpu();
            long before = jvmCpuNanos();
            double seconds = lookUpAll(client, tags);
            sdkJvmCpu[0] += jvmCpuNanos() - before;
            cpuMs[2] += cpu.millis().orElse(Double.NaN);
            sdkPasses.add(seconds);
            roundRates[2] = n / seconds;
          };
      if (round % 2 == 1) {
        sdk.run();
      }
      CpuClock wrkCpu = startCpu();
      ServerCeiling.Run wrk =
          ceiling.wrk(baseUrl, repo, n, options.concurrency(), options.ceilingRunLength());
      cpuMs[0] += wrkCpu.millis().orElse(Double.NaN);
      wrkCount[0] += wrk.requests();
      wrkSeconds[0] += wrk.seconds();
      roundRates[0] = wrk.rate();
      results.commands.putIfAbsent("wrk " + network, wrk.command());
      CpuClock abCpu = startCpu();
      ServerCeiling.Run ab = ceiling.ab(abUrl, options.concurrency(), options.ceilingRunLength());
      cpuMs[1] += abCpu.millis().orElse(Double.NaN);
      abCount[0] += ab.requests();
      abSeconds[0] += ab.seconds();
      roundRates[1] = ab.rate();
      results.commands.putIfAbsent("ab " + network, ab.command());
      if (round % 2 == 0) {
        sdk.run();
      }
      roundRatios.add(String.format("%.0f/%.0f/%.0f", roundRates[0], roundRates[1], roundRates[2]));
      log(
          String.format(
              "round %d: wrk %.0f/s, ab %.0f/s, SDK %.0f/s",
              round + 1, roundRates[0], roundRates[1], roundRates[2]));
    }
    int rounds = options.lookupRounds();
    double sdkSeconds = sdkPasses.stream().mapToDouble(Double::doubleValue).sum();
    String per = " Per round (wrk/ab/SDK per second): " + String.join(", ", roundRatios) + ".";
    results.add(
        new Measurement(
            network,
            Operation.LOOKUP,
            Tool.CEILING_WRK,
            wrkCount[0],
            wrkSeconds[0],
            false,
            optional(cpuMs[0] / wrkCount[0]),
            "GET (wrk cannot HEAD, see notes) cycling through all "
                + n
                + " tags, 2 threads; "
                + rounds
                + " runs of "
                + options.ceilingRunLength().toSeconds()
                + " s interleaved with the SDK passes."));
    results.add(
        new Measurement(
            network,
            Operation.LOOKUP,
            Tool.CEILING_AB,
            abCount[0],
            abSeconds[0],
            false,
            optional(cpuMs[1] / abCount[0]),
            "HEAD, keep-alive, one tag's URL; "
                + rounds
                + " runs of "
                + options.ceilingRunLength().toSeconds()
                + " s interleaved with the SDK passes."));
    results.add(
        new Measurement(
            network,
            Operation.LOOKUP,
            Tool.SDK,
            (long) n * rounds,
            sdkSeconds,
            false,
            optional(cpuMs[2] / ((double) n * rounds)),
            "metadata() = HEAD per tag, flatMap concurrency 16, client"
                + " maxConcurrentRequests 16; "
                + rounds
                + " passes over all tags after "
                + warmUp.toSeconds()
                + " s of warm-up, interleaved with the ceiling runs (order alternating)."
                + per));
    results.clientCpuMsPerLookup.put(
        network.name() + " " + Tool.SDK.name(), sdkJvmCpu[0] / 1e6 / ((double) n * rounds));
  }

  /**
   * @return "; the registry logged ... requests per tag (...)" for the requests since {@code mark},
   *     or nothing if the log could not be read
   */
  private String requestsPerTag(long mark, double tags) {
    return registryLog
        .countSince(mark)
        .map(
            counts ->
                String.format(
                    java.util.Locale.ROOT,
                    "; the registry logged %.2f requests per tag (%s)",
                    counts.values().stream().mapToLong(Long::longValue).sum() / tags,
                    String.join(
                        ", ",
                        counts.entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .map(
                                e ->
                                    String.format(
                                        java.util.Locale.ROOT,
                                        "%s %.3f",
                                        e.getKey(),
                                        e.getValue() / tags))
                            .toList())))
        .orElse("");
  }

  private Duration warmUp(Network network) {
    return network == Network.DIRECT ? options.warmUp() : Duration.ofSeconds(5);
  }

  /**
   * What a warm-up did: the first batch (cold) and the whole.
   *
   * @param firstRate items per second of the first batch
   * @param items items in all batches
   * @param seconds time of all batches
   */
  private record WarmUp(double firstRate, long items, double seconds) {
    String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "first batch %s/s, then %d look-ups in %.1f s in all (%s/s)",
          ResultsReport.rate(firstRate),
          items,
          seconds,
          ResultsReport.rate(items / seconds));
    }
  }

  /** Runs {@code batch} (returning its seconds) until {@code length} has passed, at least once. */
  private static WarmUp warmUp(
      Duration length, java.util.function.DoubleSupplier batch, int batchItems) {
    long start = System.nanoTime();
    double first = batch.getAsDouble();
    long items = batchItems;
    while (System.nanoTime() - start < length.toNanos()) {
      batch.getAsDouble();
      items += batchItems;
    }
    return new WarmUp(batchItems / first, items, (System.nanoTime() - start) / 1e9);
  }

  private static Optional<Double> optional(double value) {
    return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
  }

  private double lookUpAll(ReactiveRegistryClient client, List<String> tags) {
    long t0 = System.nanoTime();
    Set<String> digests =
        new HashSet<>(
            Flux.fromIterable(tags)
                .flatMap(
                    tag -> client.metadata(BenchmarkOptions.REPOSITORY + ":" + tag),
                    options.concurrency())
                .map(m -> m.digest())
                .collectList()
                .block(CALL_TIMEOUT));
    double seconds = (System.nanoTime() - t0) / 1e9;
    check(
        digests.size() == tags.size(),
        "resolved " + digests.size() + " distinct digests for " + tags.size() + " tags");
    return seconds;
  }

  /** Pushes back the deleted tags' manifests and checks the repository is whole again. */
  private void restore(List<String> tags) {
    Set<String> present =
        new HashSet<>(
            seedingClient.tags(BenchmarkOptions.REPOSITORY).collectList().block(CALL_TIMEOUT));
    List<String> missing = tags.stream().filter(t -> !present.contains(t)).toList();
    seeder.restore(seedingClient, missing, options.concurrency(), CALL_TIMEOUT);
    requireAllTags();
  }

  private void requireAllTags() {
    List<String> listed =
        seedingClient.tags(BenchmarkOptions.REPOSITORY).collectList().block(CALL_TIMEOUT);
    if (listed == null || !new HashSet<>(listed).equals(new HashSet<>(seeder.tags()))) {
      throw new IllegalStateException(
          "the repository does not hold exactly the " + options.tags() + " seeded tags");
    }
  }

  private void phase(Network network, String name, Runnable body) {
    log(name + " ...");
    try {
      body.run();
    } catch (RuntimeException e) {
      String message = network.label + ", " + name + ": " + e.getMessage();
      results.failures.add(message);
      log("FAILED " + message);
      e.printStackTrace();
    }
  }

  private void add(
      Network network,
      Operation operation,
      Tool tool,
      long count,
      double seconds,
      boolean extrapolated,
      CpuClock cpu,
      String note) {
    results.add(
        new Measurement(
            network,
            operation,
            tool,
            count,
            seconds,
            extrapolated,
            cpu.millis().map(ms -> ms / count),
            note));
  }

  /** Registry CPU time since the phase started. */
  private final class CpuClock {
    private final Optional<Duration> start = registryCpu.total();

    Optional<Double> millis() {
      Optional<Duration> end = registryCpu.total();
      return start.isPresent() && end.isPresent()
          ? Optional.of(end.get().minus(start.get()).toNanos() / 1e6)
          : Optional.empty();
    }
  }

  private CpuClock startCpu() {
    return new CpuClock();
  }

  static ReactiveRegistryClient client(String baseUrl, RegistryProcess registry, int concurrency) {
    return ReactiveRegistryClient.builder()
        .baseUrl(baseUrl)
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
        .maxConcurrentRequests(concurrency)
        .build();
  }

  /** The CLI as the README runs it, against this run's registry. */
  private PruneCli pruneCli() {
    return new PruneCli(
        options.cliLauncher(),
        options.cliJar(),
        registry.username(),
        registry.password(),
        CALL_TIMEOUT);
  }

  /**
   * Once, before the first measured CLI run: lets the launcher record its class-data-sharing
   * archives (an {@code ls} and a dry-run {@code prune} of one seeded repository), then measures
   * the CLI's start-up.
   */
  private void prepareCli(String repository) {
    if (results.cliStartupSeconds > 0) {
      return;
    }
    PruneCli cli = pruneCli();
    double recording = cli.recordClassArchive("http://" + registry.hostPort(), repository);
    log(
        String.format(
            "registry-prune ls and prune recorded their class-data-sharing archives in %.2f s",
            recording));
    results.cliStartupSeconds = cli.startupSeconds();
  }

  /**
   * @return {@code count} items spread evenly over {@code list} (all of it if it is shorter)
   */
  static List<String> spread(List<String> list, int count) {
    if (list.size() <= count) {
      return List.copyOf(list);
    }
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(list.get((int) ((long) i * list.size() / count)));
    }
    return out;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static String formatSeconds(List<Double> values) {
    return String.join(", ", values.stream().map(v -> String.format("%.2f s", v)).toList());
  }

  private static long jvmCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  private static void startWatchdog(Duration limit) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              log(
                  "ABORT: the run exceeded "
                      + limit
                      + "; stopping (the registry is killed on exit)");
              System.exit(3);
            },
            "e2e-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  static void log(String message) {
    System.err.println("[e2e " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
  }
}
