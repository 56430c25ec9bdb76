package io.registryreactive.benchmarks;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.model.MediaTypes;
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
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Client CPU per request, against a baseline: the same {@value #BATCH} manifest {@code HEAD}s at
 * the same concurrency, once through {@link ReactiveRegistryClient#metadata(String)} and once
 * through a bare Reactor Netty {@code HttpClient} (same headers, reads {@code
 * Docker-Content-Digest}). Run with {@code -prof io.registryreactive.benchmarks.ThreadCpuProfiler}:
 * its {@code cpu.client} is the client's CPU per request, {@code cpu.stub} the stub's (the same in
 * both methods, since the stub does the same work), and {@code cpu.client} of {@code sdk} minus
 * that of {@code rawNetty} is what the SDK adds above Reactor Netty (reference parsing, resilience
 * pipeline, header copy, metadata mapping).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ClientCpuBenchmark {
  /** Requests per invocation. */
  public static final int BATCH = 256;

  /** Requests in flight. */
  @Param({"16"})
  public int concurrency;

  private StubRegistryServer stub;
  private ReactiveRegistryClient client;
  private ConnectionProvider rawPool;
  private HttpClient raw;
  private List<String> tags;
  private List<String> references;

  /** Starts the stub, the SDK client and the bare client, with the same pool size. */
  @Setup(Level.Trial)
  public void start() {
    stub = StubRegistryServer.builder().tags(BATCH, BATCH).start();
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(stub.baseUrl())
            .maxConcurrentRequests(concurrency)
            .retry(RetryOptions.disabled())
            .build();
    rawPool = ConnectionProvider.builder("raw-baseline").maxConnections(concurrency + 2).build();
    raw =
        HttpClient.create(rawPool)
            .baseUrl(stub.baseUrl())
            .keepAlive(true)
            .headers(
                h ->
                    h.set(HttpHeaderNames.USER_AGENT, ReactiveRegistryClient.DEFAULT_USER_AGENT)
                        .set(HttpHeaderNames.ACCEPT, MediaTypes.MANIFEST_ACCEPT));
    tags = IntStream.range(0, BATCH).mapToObj(stub::tag).toList();
    references = tags.stream().map(t -> StubRegistryServer.REPOSITORY + ":" + t).toList();
    if (sdk() != BATCH || rawNetty() != BATCH) {
      throw new IllegalStateException("a look-up did not return the stub's digest");
    }
  }

  /** Closes the clients and the stub. */
  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    rawPool.disposeLater().block();
    stub.close();
  }

  /**
   * @return look-ups that returned the expected digest
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long sdk() {
    String expected = stub.manifestDigest();
    return Flux.fromIterable(references)
        .flatMap(client::metadata, concurrency)
        .filter(m -> m.digest().equals(expected))
        .count()
        .block();
  }

  /**
   * @return look-ups that returned the expected digest
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long rawNetty() {
    String expected = stub.manifestDigest();
    return Flux.fromIterable(tags)
        .flatMap(
            tag ->
                raw.head()
                    .uri("/v2/" + StubRegistryServer.REPOSITORY + "/manifests/" + tag)
                    .responseSingle(
                        (res, content) ->
                            content.then(
                                Mono.fromSupplier(
                                    () ->
                                        res.status().code() == 200
                                            ? res.responseHeaders().get("Docker-Content-Digest", "")
                                            : ""))),
            concurrency)
        .filter(expected::equals)
        .count()
        .block();
  }
}
