package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.FaultInjectingProxy;
import io.registryreactive.testkit.FaultInjectingProxy.Fault;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code registry-prune prune --apply} through a proxy that fails 30% of the requests transiently
 * (429 + {@code Retry-After}, 503, reset before, reset after the registry applied it, 2 s stall)
 * exits 0 and leaves exactly the fault-free end state: over 101 repositories, each keeping {@code
 * keep} (and {@code alias}, which shares its digest) and losing {@code old}.
 */
@RealRegistry
class CliChaosIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final int REPOS = 100;
  private static final Set<Fault> FAULTS =
      EnumSet.of(
          Fault.TOO_MANY_REQUESTS,
          Fault.SERVICE_UNAVAILABLE,
          Fault.RESET_BEFORE_FORWARD,
          Fault.DROP_AFTER_FORWARD,
          Fault.DELAYED_RESPONSE);

  private final RegistryProcess registry;

  CliChaosIT(RegistryProcess registry) {
    this.registry = registry;
  }

  /**
   * One seed by default, since a CLI run with its production retry waits takes about three minutes
   * on two cores ({@code PruneChaosIT} covers ten seeds through the SDK); {@code
   * -Dchaos.seeds=5,17,29} runs those.
   */
  static LongStream seeds() {
    String only = System.getProperty("chaos.seeds", "");
    if (!only.isBlank()) {
      return java.util.Arrays.stream(only.split(",")).map(String::strip).mapToLong(Long::parseLong);
    }
    return LongStream.of(5);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void pruneApply_whenThirtyPercentOfRequestsFail_exits0WithTheFaultFreeEndState(long seed) {
    String prefix = "cc" + seed + "/";
    Map<String, ImageBlueprint> kept = new java.util.concurrent.ConcurrentSkipListMap<>();
    try (ReactiveRegistryClient direct =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build()) {
      Flux.range(0, REPOS + 1)
          .flatMap(
              i -> {
                String repo = prefix + (i == REPOS ? "multi/app" : String.format("r%03d", i));
                ImageBlueprint keep = TestImages.image(seed * 10_000 + 2L * i).layers(1, 512).oci();
                ImageBlueprint old =
                    TestImages.image(seed * 10_000 + 2L * i + 1).layers(1, 512).docker();
                kept.put(repo, keep);
                return SampleImages.push(direct, repo, "keep", keep)
                    .then(SampleImages.push(direct, repo, "alias", keep))
                    .then(SampleImages.push(direct, repo, "old", old));
              },
              4)
          .then()
          .block(TIMEOUT);

      CliRun run;
      FaultInjectingProxy.Stats stats;
      long started = System.nanoTime();
      try (FaultInjectingProxy proxy =
          FaultInjectingProxy.builder(registry.baseUrl())
              .seed(seed)
              .failureProbability(0.3)
              .delay(Duration.ofSeconds(2))
              .faults(FAULTS)
              .start()) {
        run =
            CliRun.of(
                "prune",
                "--apply",
                "--registry",
                proxy.baseUrl().toString(),
                "--username",
                registry.username(),
                "--password",
                registry.password(),
                "--repository",
                prefix + ".*",
                "--keep-tags",
                "keep");
        stats = proxy.stats();
      }
      System.out.printf(
          "CliChaosIT seed %d: repositories=%d proxy %s; exit=%d; %d ms%n",
          seed, REPOS + 1, stats, run.exitCode(), (System.nanoTime() - started) / 1_000_000);

      assertThat(stats.faults())
          .allSatisfy(
              (kind, n) -> assertThat(n > 0).as("%s", kind).isEqualTo(FAULTS.contains(kind)));
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
      assertThat(run.out())
          .contains("Status: COMPLETED")
          .contains("Deleted: " + (REPOS + 1) + " manifests");
      for (Map.Entry<String, ImageBlueprint> e : kept.entrySet()) {
        List<String> tags = direct.tags(e.getKey()).collectList().block(TIMEOUT);
        assertThat(tags).as(e.getKey()).containsExactlyInAnyOrder("keep", "alias");
        assertThat(direct.metadata(e.getKey() + ":keep").block(TIMEOUT).digest())
            .isEqualTo(e.getValue().manifestDigest());
        assertThat(
                direct
                    .metadata(e.getKey() + ":old")
                    .map(m -> true)
                    .onErrorResume(NotFoundException.class, x -> Mono.just(false))
                    .block(TIMEOUT))
            .isFalse();
      }
    }
  }
}
