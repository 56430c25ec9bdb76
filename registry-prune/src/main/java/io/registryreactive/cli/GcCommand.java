package io.registryreactive.cli;

import io.registryreactive.prune.GarbageCollector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gc}: the registry's own garbage collector, for a registry run on this host. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Run 'registry garbage-collect CONFIG' and report storage before and after.",
      "Stop the registry (or put it in read-only mode) first: garbage collection is stop-the-world."
    })
final class GcCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "CONFIG", description = "The registry's config.yml")
  Path config;

  @Option(names = "--dry-run", description = "Only report what would be deleted")
  boolean dryRun;

  @Option(
      names = "--binary",
      paramLabel = "PATH",
      description = "Registry binary (default: docker-registry or registry on PATH)")
  Path binary;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!config.toFile().isFile()) {
      throw new IllegalArgumentException("no such config file: " + config);
    }
    GarbageCollector gc = GarbageCollector.forConfig(config);
    if (binary != null) {
      gc = gc.binary(binary);
    }
    GarbageCollector.GcReport r = gc.run(dryRun).block();
    out.println("Registry " + r.registryVersion() + (r.dryRun() ? " (dry run)" : ""));
    out.println(
        "Eligible for deletion: "
            + r.blobsEligible()
            + " blobs, "
            + r.manifestsEligible()
            + " manifests");
    out.println("Storage before: " + TextReport.bytes(r.storageBytesBefore()));
    out.println("Storage after:  " + TextReport.bytes(r.storageBytesAfter()));
    out.println("Freed:          " + TextReport.bytes(r.bytesFreed()));
    return ExitCodes.OK;
  }
}
