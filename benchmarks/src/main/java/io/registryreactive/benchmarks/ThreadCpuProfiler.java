package io.registryreactive.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that splits CPU time per operation by who spent it, so the client's cost can be
 * read apart from the stub's: {@code -prof io.registryreactive.benchmarks.ThreadCpuProfiler}.
 *
 * <p>Per-thread CPU comes from {@link ThreadMXBean#getThreadCpuTime}, grouped by thread name, and
 * is divided by the operations of the iteration (with {@code @OperationsPerInvocation} applied):
 *
 * <ul>
 *   <li>{@code cpu.stub} - the stub server's event loop ({@code stub-*}): the cost to subtract;
 *   <li>{@code cpu.client.netty} - the client's Reactor Netty event loops ({@code reactor-http-*}):
 *       HTTP codec, body handling, and the SDK code that runs on the loop (parsing, mapping);
 *   <li>{@code cpu.client.caller} - the JMH thread that subscribes and waits (request set-up);
 *   <li>{@code cpu.client.schedulers} - Reactor's {@code parallel-*}/{@code boundedElastic-*}
 *       threads (timers, waits);
 *   <li>{@code cpu.client} - the three above together: the client's CPU per operation;
 *   <li>{@code cpu.process} - the whole JVM (adds GC, JIT and JMH's own threads).
 * </ul>
 *
 * Threads that end during an iteration lose their time; none of the groups above does.
 */
public final class ThreadCpuProfiler implements InternalProfiler {
  private static final String[] GROUPS = {
    "cpu.stub", "cpu.client.netty", "cpu.client.caller", "cpu.client.schedulers"
  };

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<Long, Long> before = Map.of();
  private long processBefore;

  /** Creates the profiler; JMH calls this. */
  public ThreadCpuProfiler() {
    if (!threads.isThreadCpuTimeSupported()) {
      throw new UnsupportedOperationException("this JVM cannot measure per-thread CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
  }

  @Override
  public String getDescription() {
    return "CPU time per operation, split into stub server, client event loops, caller and schedulers";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    processBefore = processCpuNanos();
    before = cpuByThread();
  }

  @Override
  @SuppressWarnings(
      "rawtypes") // JMH's InternalProfiler declares Collection<? extends Result>, a raw type
  public List<Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long process = processCpuNanos() - processBefore;
    double[] byGroup = new double[GROUPS.length];
    for (Map.Entry<Long, Long> e : cpuByThread().entrySet()) {
      long id = e.getKey();
      int group = group(threads.getThreadInfo(id));
      if (group >= 0) {
        byGroup[group] += e.getValue() - before.getOrDefault(id, 0L);
      }
    }
    long ops = result.getMetadata().getAllOps();
    @SuppressWarnings("rawtypes")
    List<Result> out = new ArrayList<>();
    if (ops <= 0) {
      return out;
    }
    for (int g = 0; g < GROUPS.length; g++) {
      out.add(perOp(GROUPS[g], byGroup[g], ops));
    }
    out.add(perOp("cpu.client", byGroup[1] + byGroup[2] + byGroup[3], ops));
    out.add(perOp("cpu.process", process, ops));
    return out;
  }

  private static ScalarResult perOp(String label, double nanos, long ops) {
    return new ScalarResult(label, nanos / ops, "ns/op", AggregationPolicy.AVG);
  }

  private static int group(java.lang.management.ThreadInfo info) {
    if (info == null) {
      return -1;
    }
    String name = info.getThreadName();
    if (name.startsWith(StubRegistryServer.THREAD_NAME_PREFIX + "-")) {
      return 0;
    }
    if (name.startsWith("reactor-http-")) {
      return 1;
    }
    if (name.contains("jmh-worker")) {
      return 2;
    }
    if (name.startsWith("parallel-")
        || name.startsWith("boundedElastic-")
        || name.startsWith("single-")) {
      return 3;
    }
    return -1;
  }

  private Map<Long, Long> cpuByThread() {
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
