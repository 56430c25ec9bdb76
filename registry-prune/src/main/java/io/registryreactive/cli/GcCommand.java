package io.registryreactive.cli;

import io.registryreactive.prune.GarbageCollector;
import io.registryreactive.prune.RegistryConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
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
    footerHeading = "%nExamples:%n",
    footer = {
      "  registry-prune gc /etc/docker/registry/config.yml --dry-run",
      "  registry-prune gc /etc/docker/registry/config.yml"
    },
    description = {
      "Run 'registry garbage-collect CONFIG' and report storage before and after.",
      "Stop the registry (or put it in read-only mode) first: garbage collection is stop-the-world.",
      "Refused (exit 2) while the config's http.addr answers, unless storage.maintenance.readonly is enabled "
          + "or --force is given."
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

  @Option(
      names = "--force",
      description =
          "Run even though the registry answers on its http.addr and is not read-only "
              + "(a push during GC can lose blobs the new manifest needs)")
  boolean force;

  /** How long the probe of http.addr waits for a connection; a stopped registry refuses at once. */
  private static final int PROBE_TIMEOUT_MILLIS = 2_000;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!config.toFile().isFile()) {
      throw new IllegalArgumentException("no such config file: " + config);
    }
    RegistryConfig parsed = RegistryConfig.readNow(config, System.getenv());
    refuseIfServing(parsed);
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

  /**
   * Garbage collection marks from the manifests it sees at the start and sweeps the rest: a blob
   * pushed while it runs, for a manifest not yet written, is swept. So a registry that still serves
   * writes is refused.
   */
  private void refuseIfServing(RegistryConfig parsed) {
    if (force || parsed.readOnly() || parsed.httpAddr().isEmpty()) {
      return;
    }
    InetSocketAddress address = probeAddress(parsed.httpAddr().get());
    try (Socket socket = new Socket()) {
      socket.connect(address, PROBE_TIMEOUT_MILLIS);
    } catch (IOException e) {
      return; // nothing listens: stopped
    }
    throw new IllegalArgumentException(
        "the registry of "
            + config
            + " is running (http.addr "
            + parsed.httpAddr().get()
            + " accepts connections) and storage.maintenance.readonly is not enabled; "
            + "stop it or enable read-only mode first, or give --force");
  }

  /**
   * {@code :5000}, {@code 0.0.0.0:5000} and {@code [::]:5000} listen on every interface: probe
   * loopback.
   */
  static InetSocketAddress probeAddress(String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "http.addr '" + addr + "' in " + "the registry config has no port");
    }
    String host = addr.substring(0, colon).replaceAll("^\\[|\\]$", "");
    int port;
    try {
      port = Integer.parseInt(addr.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "http.addr '" + addr + "' in the registry config has no valid port", e);
    }
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return new InetSocketAddress(host, port);
  }
}
