package io.registryreactive.benchmarks;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.DeleteResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import reactor.core.publisher.Flux;

/**
 * {@code deleteManifest(repo, digest)} calls per second ({@code DELETE
 * /v2/<repo>/manifests/<digest>} answered 202): one invocation deletes {@value #BATCH} distinct
 * digests with {@code flatMap(..., concurrency)}, with the client's {@code maxConcurrentRequests}
 * equal to {@code concurrency}. The stub deletes nothing, so every call succeeds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeleteBenchmark {
  /** Deletes per invocation. */
  public static final int BATCH = 256;

  /** Requests in flight. */
  @Param({"1", "4", "16", "64"})
  public int concurrency;

  private StubRegistryServer stub;
  private ReactiveRegistryClient client;
  private List<String> digests;

  /** Starts the stub and a client sized to the concurrency. */
  @Setup(Level.Trial)
  public void start() {
    stub = StubRegistryServer.builder().start();
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(stub.baseUrl())
            .maxConcurrentRequests(concurrency)
            .retry(RetryOptions.disabled())
            .build();
    digests =
        IntStream.range(0, BATCH)
            .mapToObj(
                i ->
                    "sha256:"
                        + StubRegistryServer.sha256Hex(
                            ("manifest " + i).getBytes(StandardCharsets.UTF_8)))
            .toList();
    if (deletes() != BATCH) {
      throw new IllegalStateException("the stub did not accept every delete");
    }
  }

  /** Closes the client and the stub. */
  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    stub.close();
  }

  /**
   * @return how many deletes the registry accepted: {@value #BATCH}
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long deletes() {
    return Flux.fromIterable(digests)
        .flatMap(d -> client.deleteManifest(StubRegistryServer.REPOSITORY, d), concurrency)
        .filter(r -> r.outcome() == DeleteResult.Outcome.DELETED)
        .count()
        .block();
  }
}
