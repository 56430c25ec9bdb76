package io.registryreactive.benchmarks;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Names per second through the paged listings: one operation is one tag (or repository) delivered
 * by {@code tags(repo, pageSize)} / {@code catalog(pageSize)}, which follow {@code Link} headers
 * page by page. An invocation lists {@value #ITEMS} names, so {@code pageSize} sets how many
 * requests that takes ({@code -p pageSize=100,1000,10000}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListingBenchmark {
  /** Names listed per invocation: tags of one repository, and repositories of the catalog. */
  public static final int ITEMS = 10_000;

  /** The {@code n} the client asks for. */
  @Param({"1000"})
  public int pageSize;

  private StubRegistryServer stub;
  private ReactiveRegistryClient client;

  /** Starts the stub and the client. */
  @Setup(Level.Trial)
  public void start() {
    stub = StubRegistryServer.builder().tags(ITEMS, 1000).catalog(ITEMS, 100).start();
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(stub.baseUrl())
            .retry(RetryOptions.disabled())
            .build();
    check(tags(), "tags");
    check(catalog(), "catalog");
  }

  /** Closes the client and the stub. */
  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    stub.close();
  }

  /**
   * @return tags listed: {@value #ITEMS}
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long tags() {
    return client.tags(StubRegistryServer.REPOSITORY, pageSize).count().block();
  }

  /**
   * @return repositories listed: {@value #ITEMS}
   */
  @Benchmark
  @OperationsPerInvocation(ITEMS)
  public long catalog() {
    return client.catalog(pageSize).count().block();
  }

  private static void check(long listed, String what) {
    if (listed != ITEMS) {
      throw new IllegalStateException(what + " listed " + listed + " names, expected " + ITEMS);
    }
  }
}
