package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.model.MediaTypes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/<name>/referrers/<digest>} read without HTTP. */
class ReferrersListerTest {
  private static final String SUBJECT = sha256("subject");
  private final ReferrersLister first = new ReferrersLister(URLS, REPO, SUBJECT, Optional.empty());

  @Test
  void request_acceptsAnOciIndex() {
    assertThat(first.request().uri())
        .hasToString("http://registry.test:5000/v2/team/app/referrers/" + SUBJECT);
    assertThat(first.request().headers()).containsEntry("Accept", MediaTypes.OCI_INDEX);
  }

  @Test
  void read_whenIndex_returnsItsManifestsAndTheNextLink() {
    var page =
        reply(first, 200, ManifestPullerTest.INDEX)
            .header("Content-Type", MediaTypes.OCI_INDEX)
            .link("</v2/team/app/referrers/" + SUBJECT + "?page=2>; rel=\"next\"")
            .read();
    assertThat(page.items())
        .singleElement()
        .satisfies(d -> assertThat(d.digest()).isEqualTo(sha256("child")));
    assertThat(page.continuationToken())
        .contains("http://registry.test:5000/v2/team/app/referrers/" + SUBJECT + "?page=2");
  }

  @Test
  void read_whenImageManifestInsteadOfIndex_isProtocolError() {
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + sha256("c")
            + "\",\"size\":1},\"layers\":[]}";
    reply(first, 200, manifest)
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("not an index");
  }

  @Test
  void read_whenGarbage_isProtocolError() {
    reply(first, 200, "{\"manifests\":").readFailure(RegistryProtocolException.class);
  }

  @Test
  void read_whenLinkToAnotherOrigin_isProtocolError() {
    reply(first, 200, ManifestPullerTest.INDEX)
        .link("<https://cdn.test/referrers?page=2>; rel=\"next\"")
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("another origin");
  }

  @Test
  void read_when404_isNotFoundSoTheCallerFallsBackToTags() {
    reply(first, 404, "404 page not found").readFailure(NotFoundException.class);
  }
}
