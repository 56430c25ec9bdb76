package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code PUT /v2/<name>/manifests/<reference>} read without HTTP. */
class ManifestPusherTest {
  private static final byte[] BODY = ManifestPullerTest.INDEX.getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = sha256(ManifestPullerTest.INDEX);
  private final ManifestPusher byTag =
      new ManifestPusher(URLS, REPO, "v1", BODY, MediaTypes.OCI_INDEX);

  @Test
  void request_sendsTheBytesWithTheirMediaType() {
    assertThat(byTag.request().method()).isEqualTo("PUT");
    assertThat(byTag.request().body()).isEqualTo(BODY);
    assertThat(byTag.request().headers()).containsEntry("Content-Type", MediaTypes.OCI_INDEX);
  }

  @Test
  void read_when201_returnsMetadataWithTheBodysDigest() {
    assertThat(reply(byTag, 201, "").digest(DIGEST).read())
        .isEqualTo(
            new ImageMetadata(REPO, Optional.of("v1"), DIGEST, MediaTypes.OCI_INDEX, BODY.length));
  }

  @Test
  void read_whenPushedByDigestWithoutHeader_hasNoTag() {
    ManifestPusher byDigest = new ManifestPusher(URLS, REPO, DIGEST, BODY, MediaTypes.OCI_INDEX);
    assertThat(reply(byDigest, 200, "").read().tag()).isEmpty();
  }

  @Test
  void read_whenRegistryNamesAnotherDigest_isDigestMismatch() {
    reply(byTag, 201, "").digest(sha256("else")).readFailure(DigestMismatchException.class);
  }

  @Test
  void read_whenHeaderIsAnotherAlgorithm_isIgnored() {
    assertThat(reply(byTag, 201, "").digest("sha512:" + "c".repeat(128)).read().digest())
        .isEqualTo(DIGEST);
  }

  @Test
  void read_when400BlobUnknown_isResponseErrorWithCode() {
    errorReply(byTag, 400, "MANIFEST_BLOB_UNKNOWN")
        .readFailureWithCode(RegistryResponseException.class);
  }
}
