package io.registryreactive.it;

import static io.registryreactive.testkit.RegistryClients.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.ImageSeeder;
import io.registryreactive.testkit.RealRegistry;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestImages;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@code tags/list} against a real registry: odd-but-legal tags, unknown repositories, deleted
 * tags.
 */
@RealRegistry
class TagListingIT {

  /** The longest legal tag: one of {@code [A-Za-z0-9_]} then 127 of {@code [A-Za-z0-9._-]}. */
  private static final String TAG_128 = "X" + "abc.DEF_123-".repeat(11).substring(0, 127);

  private final RegistryProcess registry;
  private final ReactiveRegistryClient client;
  private final ImageSeeder seeder;

  TagListingIT(RegistryProcess registry, ReactiveRegistryClient client) {
    this.registry = registry;
    this.client = client;
    this.seeder = new ImageSeeder(client);
  }

  @Test
  void tags_returnsEveryTag_includingOddButLegalOnes() {
    assertThat(TAG_128).hasSize(128);
    List<String> first = List.of("latest", "v1.0_rc-1", "__x", TAG_128, "0", "UPPER.case");
    List<String> second = List.of("v2", "release-2024.01.01", "_", "a--b..c__d");
    seeder.push("tags/odd", first, TestImages.image(21).docker()).block(TIMEOUT);
    seeder.push("tags/odd", second, TestImages.image(22).oci()).block(TIMEOUT);
    List<String> expected = new ArrayList<>(first);
    expected.addAll(second);

    List<String> tags = client.tags("tags/odd").collectList().block(TIMEOUT);

    assertThat(tags).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    // Each listed tag resolves back to the image it was pushed with.
    assertThat(client.metadata("tags/odd:" + TAG_128).block(TIMEOUT))
        .extracting(ImageMetadata::digest)
        .isEqualTo(TestImages.image(21).docker().manifestDigest());
    assertThat(client.metadata("tags/odd:_").block(TIMEOUT))
        .extracting(ImageMetadata::digest)
        .isEqualTo(TestImages.image(22).oci().manifestDigest());
  }

  @Test
  void tags_ofUnknownRepository_failsWithNotFoundNameUnknown() {
    StepVerifier.create(client.tags("tags/never-pushed"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(NotFoundException.class);
              NotFoundException notFound = (NotFoundException) e;
              assertThat(notFound.statusCode()).isEqualTo(404);
              assertThat(notFound.hasErrorCode("NAME_UNKNOWN")).isTrue();
              assertThat(notFound.getMessage()).contains("tags/never-pushed");
            })
        .verify(TIMEOUT);
  }

  @Test
  void tags_afterDeletingEveryManifest_isEmpty_andRepositoryStaysInCatalog() throws Exception {
    ImageBlueprint one = TestImages.image(23).docker();
    ImageBlueprint two = TestImages.image(24).oci();
    ImageMetadata first = seeder.push("tags/emptied", List.of("a", "b"), one).block(TIMEOUT);
    ImageMetadata second = seeder.push("tags/emptied", "c", two).block(TIMEOUT);
    assertThat(client.tags("tags/emptied").collectList().block(TIMEOUT))
        .containsExactlyInAnyOrder("a", "b", "c");

    assertThat(client.delete(first).block(TIMEOUT))
        .extracting(DeleteResult::outcome)
        .isEqualTo(DeleteResult.Outcome.DELETED);
    assertThat(client.delete(second).block(TIMEOUT))
        .extracting(DeleteResult::outcome)
        .isEqualTo(DeleteResult.Outcome.DELETED);

    // The registry really answers "tags": null here, the shape the client must read as no tags.
    assertThat(rawTagList("tags/emptied")).contains("\"tags\":null");
    StepVerifier.create(client.tags("tags/emptied")).expectComplete().verify(TIMEOUT);
    assertThat(client.catalog().collectList().block(TIMEOUT)).contains("tags/emptied");
  }

  /**
   * The tag list body as the registry sends it, fetched with the JDK client rather than the SDK.
   */
  private String rawTagList(String repository) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(registry.baseUrl().resolve("/v2/" + repository + "/tags/list"))
            .header("Authorization", "Basic " + basic)
            .timeout(TIMEOUT)
            .GET()
            .build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET tags/list: %s", response.body()).isEqualTo(200);
    return response.body().replaceAll("\\s+", "");
  }
}
