package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.NotFoundException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/<name>/blobs/<digest>} read without HTTP. */
class BlobPullerTest {
  private static final String CONFIG = "{\"architecture\":\"amd64\"}";
  private final BlobPuller puller = new BlobPuller(URLS, REPO, sha256(CONFIG), 4096);

  @Test
  void request_isGetWithTheCapAndPullScope() {
    assertThat(puller.request().describe())
        .isEqualTo("GET http://registry.test:5000/v2/team/app/blobs/" + sha256(CONFIG));
    assertThat(puller.request().maxResponseBytes()).isEqualTo(4096);
    assertThat(puller.request().scopes()).hasSize(1);
  }

  @Test
  void read_whenBodyMatchesDigest_returnsTheBytes() {
    assertThat(reply(puller, 200, CONFIG).read())
        .isEqualTo(CONFIG.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void read_whenBodyIsSomethingElse_isDigestMismatch() {
    DigestMismatchException e =
        reply(puller, 200, "<html>storage error</html>").readFailure(DigestMismatchException.class);
    assertThat(e.expected()).isEqualTo(sha256(CONFIG));
    assertThat(e.actual()).isEqualTo(sha256("<html>storage error</html>"));
  }

  @Test
  void read_whenDigestAlgorithmCannotBeChecked_isInvalidReference() {
    String sha384 = "sha384:" + "a".repeat(96);
    BlobPuller odd = new BlobPuller(URLS, REPO, sha384, 4096);
    reply(odd, 200, CONFIG).readFailure(InvalidReferenceException.class);
  }

  @Test
  void read_when404_isNotFoundWithRegistryCode() {
    errorReply(puller, 404, "BLOB_UNKNOWN").readFailureWithCode(NotFoundException.class);
  }
}
