package io.registryreactive.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.SampleImages;
import io.registryreactive.testkit.TestImages;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * The WebFlux example's endpoints over HTTP, against a real registry with basic auth. The registry
 * is seeded once and never changed by a test: listings are compared with exactly the seeded set,
 * and the prune-plan test checks that planning deleted nothing.
 */
@RealRegistry
@Timeout(60)
class WebServiceIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ImageBlueprint APP_1 = TestImages.image(1).docker();
  private static final ImageBlueprint APP_2 = TestImages.image(2).docker();
  private static final ImageBlueprint WEB_1 = TestImages.image(3).oci();
  private static final ImageBlueprint RUNNER_PR = TestImages.image(4).docker();

  /** Repository -> tag -> image; the whole registry content. */
  private static final Map<String, Map<String, ImageBlueprint>> SEEDED =
      new TreeMap<>(
          Map.of(
              "team/app", ordered("1.0", APP_1, "2.0", APP_2, "latest", APP_2),
              "team/web", ordered("1", WEB_1),
              "tools/ci/runner", ordered("pr-1", RUNNER_PR)));

  private static ReactiveRegistryClient client;
  private static RunningApplication app;
  private static WebTestClient web;

  @BeforeAll
  static void seedAndStart(RegistryProcess registry) {
    client =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(RegistryCredentials.basic(registry.username(), registry.password()))
            .build();
    Flux.fromIterable(SEEDED.entrySet())
        .concatMap(
            repo ->
                Flux.fromIterable(repo.getValue().entrySet())
                    .concatMap(
                        tag ->
                            SampleImages.push(client, repo.getKey(), tag.getKey(), tag.getValue())))
        .then()
        .block(TIMEOUT);
    // Page size 2 over 3 repositories: the listing crosses a page boundary.
    app =
        RunningApplication.start(
            Map.of(
                "registry.url", registry.baseUrl().toString(),
                "registry.username", registry.username(),
                "registry.password", registry.password(),
                "registry.page-size", "2"));
    web = WebTestClient.bindToServer().baseUrl(app.baseUrl()).responseTimeout(TIMEOUT).build();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void repositories_whenSeeded_streamsEachNameOnceAsNdjson() throws IOException {
    EntityExchangeResult<String> result =
        web.get()
            .uri("/repositories")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .expectBody(String.class)
            .returnResult();

    assertThat(ndjsonStrings(result.getResponseBody())).containsExactlyElementsOf(SEEDED.keySet());
  }

  @Test
  void tags_whenRepository_streamsItsTagsAsNdjson() throws IOException {
    EntityExchangeResult<String> result =
        web.get()
            .uri("/repositories/team/app/tags")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
            .expectBody(String.class)
            .returnResult();

    assertThat(ndjsonStrings(result.getResponseBody()))
        .containsExactlyInAnyOrder("1.0", "2.0", "latest");
  }

  @Test
  void tags_whenNameHasSeveralSlashes_listsThatRepository() throws IOException {
    String body =
        web.get()
            .uri("/repositories/tools/ci/runner/tags")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(ndjsonStrings(body)).containsExactly("pr-1");
  }

  @Test
  void tags_whenRepositoryUnknown_is404WithJsonError() throws IOException {
    String body =
        web.get()
            .uri("/repositories/nope/missing/tags")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(JSON.readTree(body).path("error").asText()).contains("nope/missing");
  }

  @Test
  void image_whenTag_returnsTheDigestThePushGave() throws IOException {
    ImageMetadata pushed = client.metadata("team/app:1.0").block(TIMEOUT);

    JsonNode image = getJson("/images/team/app:1.0", HttpStatus.OK);

    assertThat(image.path("digest").asText())
        .isEqualTo(APP_1.manifestDigest())
        .isEqualTo(pushed.digest());
    assertThat(image.path("repository").asText()).isEqualTo("team/app");
    assertThat(image.path("tag").asText()).isEqualTo("1.0");
    assertThat(image.path("mediaType").asText()).isEqualTo(DOCKER_MANIFEST);
    assertThat(image.path("size").asLong()).isEqualTo(APP_1.manifest().length);
  }

  @Test
  void image_whenDigest_returnsThatManifest() throws IOException {
    JsonNode image = getJson("/images/team/web@" + WEB_1.manifestDigest(), HttpStatus.OK);

    assertThat(image.path("digest").asText()).isEqualTo(WEB_1.manifestDigest());
    assertThat(image.path("repository").asText()).isEqualTo("team/web");
    assertThat(image.path("mediaType").asText()).isEqualTo(WEB_1.mediaType());
  }

  @Test
  void image_whenTagUnknown_is404WithJsonError() throws IOException {
    JsonNode error = getJson("/images/team/app:9.9", HttpStatus.NOT_FOUND);

    assertThat(error.path("error").asText()).contains("team/app:9.9");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "team/App:1.0       | lowercase",
        "team/app@sha256:abc | 64 hex",
        "team/app:bad tag   | whitespace"
      })
  void image_whenReferenceMalformed_is400NamingTheProblem(String reference, String problem)
      throws IOException {
    JsonNode error = getJson("/images/" + reference, HttpStatus.BAD_REQUEST);

    assertThat(error.path("error").asText()).contains(problem);
  }

  @Test
  void plan_whenWhitelist_returnsTheTagsToDeleteAndDeletesNothing() throws IOException {
    String body =
        web.post()
            .uri("/prune/plan")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"keep\":[\"team/app:1.0\"]}")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    JsonNode plan = JSON.readTree(body);

    Map<String, List<String>> toDelete = new TreeMap<>();
    Map<String, List<String>> toKeep = new TreeMap<>();
    for (JsonNode repo : plan.path("repositories")) {
      for (JsonNode decision : repo.path("decisions")) {
        Map<String, List<String>> bucket =
            "DELETE".equals(decision.path("action").asText()) ? toDelete : toKeep;
        decision
            .path("tags")
            .forEach(
                t ->
                    bucket
                        .computeIfAbsent(repo.path("repository").asText(), r -> new ArrayList<>())
                        .add(t.asText()));
      }
    }
    toDelete.values().forEach(tags -> tags.sort(null));
    assertThat(toDelete)
        .isEqualTo(
            Map.of(
                "team/app",
                List.of("2.0", "latest"),
                "team/web",
                List.of("1"),
                "tools/ci/runner",
                List.of("pr-1")));
    assertThat(toKeep).isEqualTo(Map.of("team/app", List.of("1.0")));
    assertThat(plan.path("totals").path("tagsToDelete").asLong()).isEqualTo(4);
    assertThat(plan.path("totals").path("tagsKept").asLong()).isEqualTo(1);
    // Planning deleted nothing: every seeded tag still resolves to the digest it was pushed with.
    for (Map.Entry<String, Map<String, ImageBlueprint>> repo : SEEDED.entrySet()) {
      assertThat(client.tags(repo.getKey()).collectList().block(TIMEOUT))
          .containsExactlyInAnyOrderElementsOf(repo.getValue().keySet());
      for (Map.Entry<String, ImageBlueprint> tag : repo.getValue().entrySet()) {
        assertThat(client.metadata(repo.getKey() + ":" + tag.getKey()).block(TIMEOUT).digest())
            .as("%s:%s after planning", repo.getKey(), tag.getKey())
            .isEqualTo(tag.getValue().manifestDigest());
      }
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"6mo | P6M", "P6M | P6M", "2w | P14D", "PT12H | PT12H", "1y | P1Y"})
  void plan_whenKeepNewerThanInCliForm_isReadAsTheSdkReadsIt(String age, String iso)
      throws IOException {
    String body =
        web.post()
            .uri("/prune/plan")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"keep\":[\"team/app:1.0\"],\"keepNewerThan\":\"" + age + "\"}")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(JSON.readTree(body).path("policy").path("keepNewerThan").asText()).isEqualTo(iso);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"keep\":[\"team/app:1.0\"],\"keepTags\":\"[unclosed\"} | [unclosed",
        "{\"keep\":[\"team/app:1.0\",\"Bad Entry!\"]}               | Bad Entry!",
        "{\"keep\":[\"team/app:1.0\"],\"keepNewerThan\":\"30 days\"} | keepNewerThan",
        "{\"keep\":[\"team/app:1.0\"],\"keepNewerThan\":\"6M\"}      | write 6mo for 6 months or 6min for 6 minutes",
        "{\"keep\":[\"team/app:1.0\"],\"keepNewerThan\":\"P999999999999D\"} | more than 100 years",
        "{\"includeRepositories\":[\"team/(\"],\"keepLast\":1}      | team/("
      })
  void plan_whenPolicyMalformed_is400NamingTheProblem(String policy, String problem)
      throws IOException {
    String body =
        web.post()
            .uri("/prune/plan")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(policy)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(JSON.readTree(body).path("error").asText()).contains(problem);
  }

  private static JsonNode getJson(String path, HttpStatus status) throws IOException {
    String body =
        web.get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  /** Parses NDJSON whose every line must be one JSON string. */
  private static List<String> ndjsonStrings(String body) throws IOException {
    assertThat(body).as("NDJSON body").isNotNull().endsWith("\n");
    List<String> values = new ArrayList<>();
    for (String line : body.split("\n")) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isTextual()).as("NDJSON line %s is a JSON string", line).isTrue();
      values.add(node.asText());
    }
    return values;
  }

  private static Map<String, ImageBlueprint> ordered(Object... tagsAndImages) {
    Map<String, ImageBlueprint> map = new LinkedHashMap<>();
    for (int i = 0; i < tagsAndImages.length; i += 2) {
      map.put((String) tagsAndImages[i], (ImageBlueprint) tagsAndImages[i + 1]);
    }
    return map;
  }
}
