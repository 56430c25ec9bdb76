package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.NotFoundException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.MediaTypes;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/<name>/manifests/<reference>} read without HTTP: digest checks and parsing. */
class ManifestPullerTest {
  static final String INDEX =
      "{\"schemaVersion\":2,\"mediaType\":\""
          + MediaTypes.OCI_INDEX
          + "\",\"manifests\":[{"
          + "\"mediaType\":\""
          + MediaTypes.OCI_MANIFEST
          + "\",\"digest\":\""
          + sha256("child")
          + "\",\"size\":5}]}";

  private final ManifestPuller byTag = new ManifestPuller(URLS, REPO, "v1", 8192);

  @Test
  void request_sendsTheFullAcceptListAndCap() {
    assertThat(byTag.request().headers()).containsEntry("Accept", MediaTypes.MANIFEST_ACCEPT);
    assertThat(byTag.request().maxResponseBytes()).isEqualTo(8192);
    assertThat(byTag.request().operation()).isEqualTo("get manifest team/app:v1");
  }

  @Test
  void read_byTag_computesTheDigestAndParses() {
    ManifestPuller.Verified v =
        reply(byTag, 200, INDEX)
            .header("Content-Type", MediaTypes.OCI_INDEX)
            .digest(sha256(INDEX))
            .read();
    assertThat(v.digest()).isEqualTo(sha256(INDEX));
    assertThat(v.manifest())
        .isInstanceOfSatisfying(
            ImageIndex.class,
            i ->
                assertThat(i.manifests())
                    .singleElement()
                    .satisfies(d -> assertThat(d.digest()).isEqualTo(sha256("child"))));
  }

  @Test
  void read_byTagWhenDigestHeaderDisagreesWithBody_isDigestMismatch() {
    reply(byTag, 200, INDEX)
        .digest(sha256("other"))
        .readFails()
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("Docker-Content-Digest");
  }

  @Test
  void read_byTagWhenDigestHeaderIsInAnUncheckableAlgorithm_trustsTheBody() {
    ManifestPuller.Verified v = reply(byTag, 200, INDEX).digest("sha384:" + "b".repeat(96)).read();
    assertThat(v.digest()).isEqualTo(sha256(INDEX));
  }

  @Test
  void read_byDigestWhenBodyMatches_keepsTheDigest() {
    ManifestPuller byDigest = new ManifestPuller(URLS, REPO, sha256(INDEX), 8192);
    assertThat(reply(byDigest, 200, INDEX).read().digest()).isEqualTo(sha256(INDEX));
  }

  @Test
  void read_byDigestWhenBodyDiffers_isDigestMismatch() {
    ManifestPuller byDigest = new ManifestPuller(URLS, REPO, sha256(INDEX), 8192);
    DigestMismatchException e =
        reply(byDigest, 200, INDEX + " ").readFailure(DigestMismatchException.class);
    assertThat(e.expected()).isEqualTo(sha256(INDEX));
  }

  @Test
  void manifest_whenBodyIsGarbage_isProtocolError() {
    ManifestPuller.Verified v = reply(byTag, 200, "<html>oops</html>").read();
    assertThatThrownBy(v::manifest)
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void read_when404_isNotFoundWithCode() {
    errorReply(byTag, 404, "MANIFEST_UNKNOWN").readFailureWithCode(NotFoundException.class);
  }
}
