package io.registryreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * Runs every class whose code the README shows ({@link ReadmeSnippetsTest} checks the text) as a
 * user would - {@code java -cp ... Class args} with the password in {@code REGISTRY_PASSWORD} -
 * against one real registry, in an order where each run sees what the previous ones left.
 */
@RealRegistry
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeSnippetsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String PKG = "io.registryreactive.examples.";
  private static final Instant RECENT = Instant.now().minus(Duration.ofDays(1));
  private static final ImageBlueprint OLD_1 =
      TestImages.image(101).created(Instant.parse("2020-01-01T00:00:00Z")).docker();
  private static final ImageBlueprint OLD_2 =
      TestImages.image(102).created(Instant.parse("2020-02-01T00:00:00Z")).docker();
  private static final ImageBlueprint RELEASE =
      TestImages.image(103).created(Instant.parse("2020-03-01T00:00:00Z")).oci();
  private static final ImageBlueprint FRESH = TestImages.image(104).created(RECENT).docker();

  private static boolean seeded;

  private static void seed(RegistryProcess registry) {
    if (seeded) {
      return;
    }
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build()) {
      Flux.just(
              new Object[] {"team/app", "old-1", OLD_1},
              new Object[] {"team/app", "old-2", OLD_2},
              new Object[] {"team/app", "v1.2.3", RELEASE},
              new Object[] {"team/app", "fresh", FRESH},
              new Object[] {"team/app", "latest", FRESH},
              new Object[] {"team/web", "1", OLD_1},
              new Object[] {"tools/ci", "pr-7", OLD_2})
          .concatMap(
              t -> SampleImages.push(client, (String) t[0], (String) t[1], (ImageBlueprint) t[2]))
          .then()
          .block(TIMEOUT);
    }
    seeded = true;
  }

  @Test
  @Order(1)
  void listings_printEveryRepositoryAndTag(RegistryProcess registry) throws Exception {
    seed(registry);
    assertThat(run(registry, "original.ListCatalogs").lines())
        .containsExactlyInAnyOrder("team/app", "team/web", "tools/ci");
    assertThat(run(registry, "original.ListTags", "team/app").lines())
        .containsExactlyInAnyOrder(
            "team/app:old-1",
            "team/app:old-2",
            "team/app:v1.2.3",
            "team/app:fresh",
            "team/app:latest");
  }

  @Test
  @Order(2)
  void quickStart_printsWhatItSays(RegistryProcess registry) throws Exception {
    seed(registry);
    List<String> lines = run(registry, "readme.QuickStart", "team/app").lines().toList();
    assertThat(lines)
        .startsWith("repository team/app", "repository team/web", "repository tools/ci");
    assertThat(lines.get(3))
        .startsWith("page [team/app, team/web] next ")
        .doesNotEndWith("(last page)");
    assertThat(lines.subList(4, lines.size()))
        .containsExactlyInAnyOrder(
            "old-1 " + OLD_1.manifestDigest(),
            "old-2 " + OLD_2.manifestDigest(),
            "v1.2.3 " + RELEASE.manifestDigest(),
            "fresh " + FRESH.manifestDigest(),
            "latest " + FRESH.manifestDigest());
  }

  @Test
  @Order(3)
  void getDigest_printsTheDigestOfTheBytes(RegistryProcess registry) throws Exception {
    seed(registry);
    assertThat(run(registry, "original.GetDigest", "team/app:v1.2.3"))
        .startsWith(RELEASE.manifestDigest() + "  " + RELEASE.mediaType() + "  ");
  }

  @Test
  @Order(4)
  void deleteImage_deletesOneDigest(RegistryProcess registry) throws Exception {
    seed(registry);
    assertThat(run(registry, "original.DeleteImage", "tools/ci:pr-7"))
        .startsWith("DELETED tools/ci@" + OLD_2.manifestDigest());
    assertThat(tags(registry, "tools/ci")).isEmpty();
  }

  @Test
  @Order(5)
  void pruning_keepsTheWhitelistReleasesAndNewImages(RegistryProcess registry, @TempDir Path dir)
      throws Exception {
    seed(registry);
    // team/app: old-1 is whitelisted, v1.2.3 a release, fresh/latest new and among the 2 newest;
    // only old-2 goes. team/web:1 is the newest of its repository, so keepLast(2) keeps it.
    String out = run(registry, "readme.Pruning", "team/app:old-1", dir.toString());
    assertThat(out).startsWith("COMPLETED: deleted 1 manifests");
    assertThat(Files.readString(dir.resolve("plan.json"))).contains(OLD_2.manifestDigest());
    assertThat(tags(registry, "team/app"))
        .containsExactlyInAnyOrder("old-1", "v1.2.3", "fresh", "latest");
    assertThat(tags(registry, "team/web")).containsExactly("1");
  }

  @Test
  @Order(6)
  void deleteAllNotWhitelisted_keepsExactlyTheWhitelist(RegistryProcess registry) throws Exception {
    seed(registry);
    String out =
        run(registry, "original.DeleteAllNotWhitelisted", "team/app:v1.2.3", "team/app:fresh");
    // old-1 (team/app) and team/web:1 go; latest shares its digest with fresh, so it stays.
    assertThat(out).startsWith("COMPLETED: deleted 2 manifests (2 tags), 0 failures");
    assertThat(tags(registry, "team/app")).containsExactlyInAnyOrder("v1.2.3", "fresh", "latest");
    assertThat(tags(registry, "team/web")).isEmpty();
  }

  private static Set<String> tags(RegistryProcess registry, String repository) {
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build()) {
      return new TreeSet<>(client.tags(repository).collectList().block(TIMEOUT));
    }
  }

  /** Runs {@code main} of one example class in its own JVM; fails unless it exits 0. */
  private static String run(RegistryProcess registry, String mainClass, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PKG + mainClass,
                registry.baseUrl().toString(),
                registry.username()));
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("readme-snippet", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
      pb.environment().put("REGISTRY_PASSWORD", registry.password());
      Process p = pb.start();
      p.getOutputStream().close();
      String stdout;
      try {
        stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", mainClass).isTrue();
      } finally {
        p.destroyForcibly();
      }
      assertThat(p.exitValue())
          .as("%s exit code; stdout:%n%s%nstderr:%n%s", mainClass, stdout, Files.readString(stderr))
          .isZero();
      return stdout;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
