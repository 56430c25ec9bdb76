package io.registryreactive.benchmarks;

import io.registryreactive.Page;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RetryOptions;
import io.registryreactive.internal.endpoint.RegistryEndpoints;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One page of {@value #TAGS} tags, as distribution serves a big repository (it ignores {@code n}):
 * time per page and, with {@code -prof gc}, bytes allocated per page ({@code gc.alloc.rate.norm}).
 * Four layers of the same work:
 *
 * <ul>
 *   <li>{@code listOnePage} - {@code client.tags(repo).count()}: HTTP, body buffering, parse, and
 *       the {@code PagedFlux} hand-off of every tag;
 *   <li>{@code listOnePageByPage} - {@code client.tags(repo).byPage()}: the same without emitting
 *       tags one by one;
 *   <li>{@code fetchBodyRaw} - a bare Reactor Netty {@code HttpClient} GET aggregating the body:
 *       the transport floor (and the stub's share);
 *   <li>{@code parseBody} - only the client's streaming JSON parse of the body bytes, through
 *       {@link RegistryEndpoints#parseTagList}: a documented seam, public in a package the core's
 *       {@code module-info} does not export, reachable because benchmarks run on the class path.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PageParseBenchmark {
  /** Tags in the one page. */
  public static final int TAGS = 100_000;

  private static final String TAGS_PATH = "/v2/" + StubRegistryServer.REPOSITORY + "/tags/list";

  private StubRegistryServer stub;
  private ReactiveRegistryClient client;
  private ConnectionProvider rawPool;
  private HttpClient raw;
  private byte[] body;

  /** Starts the stub in one-page mode, the client and a bare HTTP client; fetches the body once. */
  @Setup(Level.Trial)
  public void start() {
    stub = StubRegistryServer.builder().tagsInOnePage(TAGS).start();
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(stub.baseUrl())
            .retry(RetryOptions.disabled())
            .build();
    rawPool = ConnectionProvider.create("raw-baseline", 1);
    raw = HttpClient.create(rawPool).baseUrl(stub.baseUrl());
    body = raw.get().uri(TAGS_PATH).responseContent().aggregate().asByteArray().block();
    if (parseBody() != TAGS || listOnePage() != TAGS || listOnePageByPage() != TAGS) {
      throw new IllegalStateException("the stub's page does not hold " + TAGS + " tags");
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
   * @return tags listed
   */
  @Benchmark
  public long listOnePage() {
    return client.tags(StubRegistryServer.REPOSITORY).count().block();
  }

  /**
   * @return tags listed
   */
  @Benchmark
  public long listOnePageByPage() {
    return client
        .tags(StubRegistryServer.REPOSITORY)
        .byPage()
        .map(Page::items)
        .reduce(0L, (n, items) -> n + items.size())
        .block();
  }

  /**
   * @return body length
   */
  @Benchmark
  public int fetchBodyRaw() {
    return raw.get().uri(TAGS_PATH).responseContent().aggregate().asByteArray().block().length;
  }

  /**
   * @return tags parsed
   */
  @Benchmark
  public int parseBody() {
    return RegistryEndpoints.parseTagList(body).size();
  }
}
