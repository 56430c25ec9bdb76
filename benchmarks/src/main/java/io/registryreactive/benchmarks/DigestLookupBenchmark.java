package io.registryreactive.benchmarks;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.ImageMetadata;
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
 * {@code metadata("repo:tag")} look-ups per second ({@code HEAD /v2/<repo>/manifests/<tag>}): one
 * invocation resolves {@value #BATCH} distinct tags with {@code flatMap(..., concurrency)}, and the
 * client's {@code maxConcurrentRequests} equals {@code concurrency}, so the parameter is the number
 * of requests (and connections) in flight.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DigestLookupBenchmark {
  /** Look-ups per invocation. */
  public static final int BATCH = 256;

  /** Requests in flight. */
  @Param({"1", "4", "16", "64"})
  public int concurrency;

  private StubRegistryServer stub;
  private ReactiveRegistryClient client;
  private List<String> references;

  /** Starts the stub and a client sized to the concurrency. */
  @Setup(Level.Trial)
  public void start() {
    stub = StubRegistryServer.builder().tags(BATCH, BATCH).start();
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(stub.baseUrl())
            .maxConcurrentRequests(concurrency)
            .retry(RetryOptions.disabled())
            .build();
    references =
        IntStream.range(0, BATCH)
            .mapToObj(i -> StubRegistryServer.REPOSITORY + ":" + stub.tag(i))
            .toList();
    ImageMetadata first = client.metadata(references.get(0)).block();
    if (first == null
        || !first.digest().equals(stub.manifestDigest())
        || first.size() != stub.manifestSize()) {
      throw new IllegalStateException("unexpected metadata from the stub: " + first);
    }
  }

  /** Closes the client and the stub. */
  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    stub.close();
  }

  /**
   * @return the summed manifest sizes, so the results are used
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long metadata() {
    return Flux.fromIterable(references)
        .flatMap(client::metadata, concurrency)
        .reduce(0L, (sum, m) -> sum + m.size())
        .block();
  }
}
