package io.registryreactive.cli;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.prune.GarbageCollector;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.PruneReport;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RegistryStorage;
import io.registryreactive.prune.RetentionPolicy;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a whole prune on a throwaway local registry - start it, push a realistic sample,
 * plan, apply, garbage-collect, and show storage before and after.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "A whole prune on a throwaway local registry: push, plan, apply, garbage-collect.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune demo",
      "  REGISTRY_BIN=/opt/distribution/registry registry-prune demo"
    },
    description = {
      "Start a local registry (docker-registry or registry from PATH) on 127.0.0.1 in a temp directory,",
      "push a sample (several repositories, dozens of tags, shared digests, a multi-arch index),",
      "plan and apply a prune, run garbage collection, and print storage before and after."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (RegistryProcess.findBinary().isEmpty()) {
      err.println(
          "error: the demo needs a registry binary, and none was found on PATH (docker-registry or registry).");
      err.println("Install it:");
      err.println("  Debian/Ubuntu:  sudo apt-get install -y docker-registry");
      err.println(
          "  Other systems:  build or download CNCF distribution (https://github.com/distribution/distribution)");
      err.println(
          "                  and put its 'registry' binary on PATH, or set REGISTRY_BIN=/path/to/registry");
      return ExitCodes.FAILED;
    }
    try (RegistryProcess registry = RegistryProcess.builder().username("demo").start();
        ReactiveRegistryClient client =
            ReactiveRegistryClient.builder()
                .baseUrl(registry.baseUrl().toString())
                .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
                .build()) {
      out.println(
          "1. Started "
              + registry.binary().getFileName()
              + " at "
              + registry.baseUrl()
              + " (storage "
              + registry.storageDir()
              + ")");
      client.checkAuth().block();

      Map<String, Integer> pushed = SampleImages.pushDemoSample(client, Instant.now()).block();
      out.println(
          "2. Pushed the sample: "
              + pushed.values().stream().mapToInt(Integer::intValue).sum()
              + " tags in "
              + pushed.size()
              + " repositories "
              + pushed);
      long storageBefore = registry.storageBytes();
      out.println("   Storage: " + TextReport.bytes(storageBefore));

      RetentionPolicy policy =
          RetentionPolicy.builder()
              .registryHost(client.registryHost())
              .keep("shop/web:1.4.2")
              .keepTags("latest|\\d+\\.\\d+\\.\\d+")
              .keepLast(3)
              .build();
      out.println(
          "3. Policy: keep shop/web:1.4.2, tags 'latest' and releases (N.N.N), and the 3 newest images per"
              + " repository; delete the rest");
      // The storage makes the estimate exact (untagged manifests and every repository are seen).
      Pruner pruner = Pruner.of(client).withStorage(RegistryStorage.ofRoot(registry.storageDir()));
      PrunePlan plan = pruner.plan(policy).block();
      out.println();
      TextReport.plan(out, plan, false);
      out.println();

      PruneReport report = pruner.applyAndReport(plan).block();
      out.println("4. Applied:");
      TextReport.report(out, report);

      out.println();
      out.println("5. Garbage collection (registry stopped, as it must be):");
      registry.stop();
      GarbageCollector.GcReport gc =
          GarbageCollector.forConfig(registry.configFile())
              .binary(registry.binary())
              .storageDirectory(registry.storageDir())
              .run(false)
              .block();
      out.println("   Storage before prune: " + TextReport.bytes(storageBefore));
      out.println("   Storage after GC:     " + TextReport.bytes(gc.storageBytesAfter()));
      out.println(
          "   Freed by GC:          "
              + TextReport.bytes(gc.bytesFreed())
              + "   (plan estimate "
              + TextReport.bytes(plan.totals().reclaimableBytes())
              + ")");
      registry.start();
      long stillThere = SampleImages.verifyKept(client, plan).block();
      out.println(
          "6. Verified after GC: all " + stillThere + " kept tags still resolve to their digests.");
      return report.failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }
}
