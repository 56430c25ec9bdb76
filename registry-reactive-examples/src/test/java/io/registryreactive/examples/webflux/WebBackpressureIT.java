package io.registryreactive.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Subscription;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.support.GenericApplicationContext;
import reactor.core.publisher.BaseSubscriber;
import reactor.netty.http.client.HttpClient;

/**
 * A slow client of {@code GET /repositories} slows the registry paging down with it: while the
 * client reads nothing, the service stops fetching catalog pages once the socket buffers are full,
 * and it fetches the rest when the client reads again.
 *
 * <p>The catalog is made much larger than what the buffers between the service's registry client
 * and the HTTP client hold: {@value #REPOSITORIES} names of about 100 bytes of NDJSON each, against
 * a few tens of kilobytes of buffers. The test keeps the buffers small on purpose: Linux grows
 * loopback socket buffers to megabytes, and Netty's outbound buffer takes 64 KiB before it reports
 * the channel unwritable, which together would swallow the whole listing.
 */
@RealRegistry
@Timeout(120)
class WebBackpressureIT {

  private static final int REPOSITORIES = 2_000;
  private static final int PAGE_SIZE = 50;
  private static final int TOTAL_PAGES = (REPOSITORIES + PAGE_SIZE - 1) / PAGE_SIZE;

  /** Lines the client reads before it pauses. */
  private static final int READ_BEFORE_PAUSE = 5;

  private static final int SMALL_BUFFER = 4 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void repositories_whenClientPauses_fetchesOnlyAFractionOfTheCatalogUntilItResumes(
      RegistryProcess registry) throws Exception {
    List<String> names =
        IntStream.range(0, REPOSITORIES)
            .mapToObj(
                i ->
                    String.format(
                        "backpressure/team-%04d/a-repository-name-long-enough-for-ndjson-lines-of-about-100-bytes",
                        i))
            .sorted()
            .toList();
    seed(registry, names);

    try (RunningApplication app =
        RunningApplication.start(
            Map.of(
                "registry.url", registry.baseUrl().toString(),
                "registry.username", registry.username(),
                "registry.password", registry.password(),
                "registry.page-size", String.valueOf(PAGE_SIZE)),
            context ->
                ((GenericApplicationContext) context)
                    .registerBean(
                        NettyServerCustomizer.class,
                        () ->
                            server ->
                                server
                                    .childOption(ChannelOption.SO_SNDBUF, SMALL_BUFFER)
                                    .childOption(
                                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                                        new WriteBufferWaterMark(1024, 2048))))) {
      long catalogBefore = catalogRequests(registry);
      long attemptsBefore = app.registryClient().metrics().attempts();
      SlowReader reader = new SlowReader(READ_BEFORE_PAUSE);
      long pagesWhilePaused;
      long attemptsWhilePaused;
      long pagesInAll;
      int linesWhilePaused;
      try {
        HttpClient.newConnection()
            .option(ChannelOption.SO_RCVBUF, SMALL_BUFFER)
            .responseTimeout(TIMEOUT)
            .get()
            .uri(app.baseUrl() + "/repositories")
            .responseContent()
            .asByteArray()
            .subscribe(reader);

        assertThat(reader.paused.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            .as("first lines arrive")
            .isTrue();
        pagesWhilePaused = awaitStable(registry) - catalogBefore;
        attemptsWhilePaused = app.registryClient().metrics().attempts() - attemptsBefore;
        linesWhilePaused = reader.lines();
        reader.resume();
        reader.done.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        pagesInAll = catalogRequests(registry) - catalogBefore;
      } finally {
        reader.dispose(); // a failed test must not leave the response open: shutdown would wait for
        // it
      }
      System.out.printf(
          "backpressure: %d repositories in %d pages of %d; while the client was paused after %d"
              + " lines the service fetched %d catalog pages (%d registry attempts); %d pages in all%n",
          REPOSITORIES,
          TOTAL_PAGES,
          PAGE_SIZE,
          linesWhilePaused,
          pagesWhilePaused,
          attemptsWhilePaused,
          pagesInAll);

      assertThat(pagesWhilePaused)
          .as("catalog pages fetched while the client was paused")
          .isPositive()
          .isLessThanOrEqualTo(TOTAL_PAGES / 4);
      assertThat(attemptsWhilePaused)
          .as("registry requests the service sent while the client was paused")
          .isLessThanOrEqualTo(TOTAL_PAGES / 4);
      assertThat(pagesInAll)
          .as("catalog pages once the client read everything")
          .isGreaterThanOrEqualTo(TOTAL_PAGES);
      assertThat(reader.names()).containsExactlyElementsOf(names);
    }
  }

  /**
   * Pushes one image through the SDK, then copies that repository's directory in the registry's
   * storage under every other name. Pushing each repository would take {@value #REPOSITORIES} x 4
   * requests, about a minute on a busy 2-core machine; the copies take seconds, and they are real
   * repositories: the registry keeps blobs in one global store and a repository holds only links to
   * them, which the copies hold too. The last copy is resolved through the registry to prove it.
   */
  private static void seed(RegistryProcess registry, List<String> names) throws IOException {
    ImageBlueprint image = TestImages.image(1).layers(0, 0).docker();
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build()) {
      SampleImages.push(client, names.get(0), "1", image).block(TIMEOUT);
      Path repositories = registry.storageDir().resolve("docker/registry/v2/repositories");
      Path original = repositories.resolve(names.get(0));
      assertThat(original).as("distribution's storage layout").isDirectory();
      for (String name : names.subList(1, names.size())) {
        copyTree(original, repositories.resolve(name));
      }
      String last = names.get(names.size() - 1);
      assertThat(client.metadata(last + ":1").block(TIMEOUT).digest())
          .as("a copied repository resolves")
          .isEqualTo(image.manifestDigest());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  /** Waits until the registry has served no catalog request for 2 seconds; returns the count. */
  private static long awaitStable(RegistryProcess registry) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long last = catalogRequests(registry);
    long stableSince = System.nanoTime();
    while (System.nanoTime() - stableSince < Duration.ofSeconds(2).toNanos()) {
      assertThat(System.nanoTime()).as("catalog requests settle").isLessThan(deadline);
      Thread.sleep(200);
      long now = catalogRequests(registry);
      if (now != last) {
        last = now;
        stableSince = System.nanoTime();
      }
    }
    return last;
  }

  /** Catalog requests the registry has answered, from its request log. */
  private static long catalogRequests(RegistryProcess registry) throws IOException {
    try (var lines = Files.lines(registry.logFile(), StandardCharsets.UTF_8)) {
      return lines
          .filter(l -> l.contains("response completed") && l.contains("/v2/_catalog"))
          .count();
    }
  }

  /** Requests one buffer at a time until it has seen some lines, then nothing until resumed. */
  private static final class SlowReader extends BaseSubscriber<byte[]> {
    private final int pauseAfterLines;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int lines;
    private volatile boolean resumed;
    final CountDownLatch paused = new CountDownLatch(1);
    final CompletableFuture<Void> done = new CompletableFuture<>();

    SlowReader(int pauseAfterLines) {
      this.pauseAfterLines = pauseAfterLines;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      request(1);
    }

    @Override
    protected synchronized void hookOnNext(byte[] chunk) {
      received.writeBytes(chunk);
      for (byte b : chunk) {
        if (b == '\n') {
          lines++;
        }
      }
      if (resumed) {
        return;
      }
      if (lines < pauseAfterLines) {
        request(1);
      } else {
        paused.countDown();
      }
    }

    @Override
    protected void hookOnComplete() {
      done.complete(null);
    }

    @Override
    protected void hookOnError(Throwable error) {
      paused.countDown();
      done.completeExceptionally(error);
    }

    void resume() {
      resumed = true;
      requestUnbounded();
    }

    synchronized int lines() {
      return lines;
    }

    synchronized List<String> names() throws IOException {
      List<String> names = new ArrayList<>();
      for (String line : received.toString(StandardCharsets.UTF_8).split("\n")) {
        names.add(JSON.readValue(line, String.class));
      }
      return names;
    }
  }
}
