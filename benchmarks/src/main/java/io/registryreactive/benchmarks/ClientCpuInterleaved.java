package io.registryreactive.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@link ClientCpuBenchmark}'s two methods run in one JVM, alternating in short slices, each slice
 * measured by the client's thread CPU (event loops, caller, Reactor schedulers, as {@link
 * ThreadCpuProfiler} counts it). On a shared machine the load drifts within seconds; JMH runs
 * {@code rawNetty} and {@code sdk} one after the other, so the drift lands on one of them. Here
 * each SDK slice sits next to a bare-Netty slice, and the ratio of each such pair is the reading;
 * the median over the pairs is what to quote.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.registryreactive.benchmarks.ClientCpuInterleaved
 *     [--warmup-seconds 20] [--pairs 30] [--batches 20]
 * </pre>
 *
 * A slice is {@code --batches} invocations of 256 {@code HEAD}s at concurrency 16.
 */
public final class ClientCpuInterleaved {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ClientCpuInterleaved() {}

  /**
   * @param args {@code --warmup-seconds N}, {@code --pairs N}, {@code --batches N}
   */
  public static void main(String[] args) {
    int warmupSeconds = 20;
    int pairs = 30;
    int batches = 20;
    for (int i = 0; i + 1 < args.length; i += 2) {
      int value = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--warmup-seconds" -> warmupSeconds = value;
        case "--pairs" -> pairs = value;
        case "--batches" -> batches = value;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    THREADS.setThreadCpuTimeEnabled(true);
    ClientCpuBenchmark bench = new ClientCpuBenchmark();
    bench.concurrency = 16;
    bench.start();
    try {
      long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
      while (System.nanoTime() < warmupEnd) {
        bench.rawNetty();
        bench.sdk();
      }
      List<Double> raw = new ArrayList<>();
      List<Double> sdk = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int p = 0; p < pairs; p++) {
        double r;
        double s;
        // Alternate the order, so that neither always runs first after the other's garbage.
        if (p % 2 == 0) {
          r = slice(bench::rawNetty, batches);
          s = slice(bench::sdk, batches);
        } else {
          s = slice(bench::sdk, batches);
          r = slice(bench::rawNetty, batches);
        }
        raw.add(r);
        sdk.add(s);
        ratios.add(s / r);
        System.out.printf(
            Locale.ROOT,
            "pair %2d: rawNetty %7.0f ns, sdk %7.0f ns, ratio %.2f%n",
            p + 1,
            r,
            s,
            s / r);
      }
      System.out.printf(
          Locale.ROOT,
          "cpu.client per HEAD, median of %d pairs: rawNetty %.0f ns, sdk %.0f ns;"
              + " ratio sdk/rawNetty median %.2f (quartiles %.2f - %.2f)%n",
          pairs,
          median(raw),
          median(sdk),
          median(ratios),
          quantile(ratios, 0.25),
          quantile(ratios, 0.75));
    } finally {
      bench.stop();
    }
  }

  /** Client CPU nanoseconds per request over {@code batches} invocations. */
  private static double slice(LongSupplier invocation, int batches) {
    long before = clientCpuNanos();
    long ok = 0;
    for (int b = 0; b < batches; b++) {
      ok += invocation.getAsLong();
    }
    long spent = clientCpuNanos() - before;
    if (ok != (long) batches * ClientCpuBenchmark.BATCH) {
      throw new IllegalStateException("a look-up did not return the stub's digest");
    }
    return (double) spent / ok;
  }

  /** CPU of the client's threads: Reactor Netty loops, this thread, Reactor's schedulers. */
  private static long clientCpuNanos() {
    long total = THREADS.getCurrentThreadCpuTime();
    for (long id : THREADS.getAllThreadIds()) {
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (info == null) {
        continue;
      }
      String name = info.getThreadName();
      if (name.startsWith("reactor-http-")
          || name.startsWith("parallel-")
          || name.startsWith("boundedElastic-")
          || name.startsWith("single-")) {
        long t = THREADS.getThreadCpuTime(id);
        if (t > 0) {
          total += t;
        }
      }
    }
    return total;
  }

  private static double median(List<Double> values) {
    return quantile(values, 0.5);
  }

  private static double quantile(List<Double> values, double q) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double pos = q * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (pos - lo);
  }
}
