package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.DigestMismatchException;
import io.registryreactive.NotFoundException;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.model.MediaTypes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code HEAD /v2/<name>/manifests/<reference>} read without HTTP. */
class ManifestResolverTest {
  private static final String DIGEST = sha256("m");
  private final ManifestResolver byTag = new ManifestResolver(URLS, REPO, "v1");

  @Test
  void request_isHeadWithTheFullAcceptList() {
    assertThat(byTag.request().method()).isEqualTo("HEAD");
    assertThat(byTag.request().headers()).containsEntry("Accept", MediaTypes.MANIFEST_ACCEPT);
  }

  @Test
  void read_whenHeadersNameTheDigest_returnsMetadata() {
    assertThat(
            reply(byTag, 200, "")
                .digest(" " + DIGEST + " ")
                .header("Content-Type", MediaTypes.OCI_MANIFEST + "; charset=utf-8")
                .header("Content-Length", "512")
                .read())
        .contains(new ImageMetadata(REPO, Optional.of("v1"), DIGEST, MediaTypes.OCI_MANIFEST, 512));
  }

  @Test
  void read_whenContentLengthIsOddOrMissing_sizeIsUnknown() {
    assertThat(
            reply(byTag, 200, "")
                .digest(DIGEST)
                .header("Content-Length", "lots")
                .read()
                .orElseThrow()
                .size())
        .isEqualTo(-1);
    assertThat(reply(byTag, 200, "").digest(DIGEST).read().orElseThrow().size()).isEqualTo(-1);
  }

  @Test
  void read_whenNoOrInvalidDigestHeader_isEmptySoTheCallerFetches() {
    assertThat(reply(byTag, 200, "").read()).isEmpty();
    assertThat(reply(byTag, 200, "").digest("sha256:short").read()).isEmpty();
  }

  @Test
  void read_byDigestWhenHeaderNamesAnother_isDigestMismatch() {
    ManifestResolver byDigest = new ManifestResolver(URLS, REPO, DIGEST);
    reply(byDigest, 200, "").digest(sha256("n")).readFailure(DigestMismatchException.class);
  }

  @Test
  void fromBody_usesTheVerifiedDigestAndBodySize() {
    ManifestPuller get = new ManifestPuller(URLS, REPO, "v1", 8192);
    ManifestPuller.Verified v =
        reply(get, 200, ManifestPullerTest.INDEX)
            .header("Content-Type", MediaTypes.OCI_INDEX)
            .read();
    assertThat(byTag.fromBody(v))
        .isEqualTo(
            new ImageMetadata(
                REPO,
                Optional.of("v1"),
                sha256(ManifestPullerTest.INDEX),
                MediaTypes.OCI_INDEX,
                ManifestPullerTest.INDEX.length()));
  }

  @Test
  void read_when404_isNotFound() {
    reply(byTag, 404, "").readFailure(NotFoundException.class);
  }
}
