package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.error;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.response;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.NotFoundException;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.RegistryResponseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The three steps of a monolithic blob upload, each read without HTTP. */
class BlobPusherTest {
  private static final String DIGEST = sha256("layer");

  @Test
  void exists_when200Or404_readsPresence() {
    BlobPusher.Exists head = new BlobPusher.Exists(URLS, REPO, DIGEST, false);
    assertThat(head.request().method()).isEqualTo("HEAD");
    assertThat(reply(head, 200, "").read()).isTrue();
    assertThat(reply(head, 404, "").read()).isFalse();
  }

  @Test
  void exists_whenStrictAndOtherStatus_isResponseError() {
    BlobPusher.Exists head = new BlobPusher.Exists(URLS, REPO, DIGEST, false);
    RegistryResponseException e = reply(head, 500, "").readFailure(RegistryResponseException.class);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void exists_whenLenient_readsAnyStatusButOnly200AsFound() {
    BlobPusher.Exists recheck = new BlobPusher.Exists(URLS, REPO, DIGEST, true);
    assertThat(reply(recheck, 500, "").read()).isFalse();
    assertThat(reply(recheck, 401, "").read()).isFalse();
    assertThat(reply(recheck, 200, "").read()).isTrue();
  }

  @Test
  void start_whenRelativeLocation_resolvesItAndAddsDigest() {
    BlobPusher.Start start = new BlobPusher.Start(URLS, REPO, DIGEST);
    assertThat(start.request().describe())
        .isEqualTo("POST http://registry.test:5000/v2/team/app/blobs/uploads/");
    assertThat(reply(start, 202, "").header("Location", " /v2/team/app/blobs/uploads/u1 ").read())
        .isEqualTo(
            URI.create("http://registry.test:5000/v2/team/app/blobs/uploads/u1?digest=" + DIGEST));
  }

  @Test
  void start_whenLocationHasQuery_appendsDigestWithAmpersand() {
    BlobPusher.Start start = new BlobPusher.Start(URLS, REPO, DIGEST);
    assertThat(
            reply(start, 202, "").header("Location", "https://storage.test/up?_state=abc").read())
        .isEqualTo(URI.create("https://storage.test/up?_state=abc&digest=" + DIGEST));
  }

  @Test
  void start_whenNoLocation_isProtocolError() {
    BlobPusher.Start start = new BlobPusher.Start(URLS, REPO, DIGEST);
    reply(start, 202, "")
        .readFails()
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("without a Location header");
  }

  @Test
  void start_whenNot202_isResponseErrorWithCode() {
    BlobPusher.Start start = new BlobPusher.Start(URLS, REPO, DIGEST);
    errorReply(start, 201, "DENIED").readFailureWithCode(RegistryResponseException.class);
  }

  @Test
  void upload_sendsTheBodyAndReads201Or204AsStored() {
    BlobPusher.Upload put =
        new BlobPusher.Upload(
            URI.create("http://registry.test:5000/u?digest=" + DIGEST),
            REPO,
            DIGEST,
            "layer".getBytes(StandardCharsets.UTF_8));
    assertThat(put.request().body()).isEqualTo("layer".getBytes(StandardCharsets.UTF_8));
    assertThat(put.request().headers()).containsEntry("Content-Type", "application/octet-stream");
    assertThat(reply(put, 201, "").read()).isEmpty();
    assertThat(reply(put, 204, "").read()).isEmpty();
  }

  @Test
  void upload_when404OnFirstAttempt_isNotFound() {
    BlobPusher.Upload put =
        new BlobPusher.Upload(
            URI.create("http://registry.test:5000/u"), REPO, DIGEST, new byte[] {1});
    errorReply(put, 404, "BLOB_UPLOAD_UNKNOWN").readFailure(NotFoundException.class);
  }

  @Test
  void upload_when404OnRetry_isUnconfirmedCarryingTheError() {
    BlobPusher.Upload put =
        new BlobPusher.Upload(
            URI.create("http://registry.test:5000/u"), REPO, DIGEST, new byte[] {1});
    assertThat(
            put.read(
                response(put, 404, error("BLOB_UPLOAD_UNKNOWN"), "Content-Type", "application/json")
                    .withAttempt(2, true)))
        .hasValueSatisfying(e -> assertThat(e).isInstanceOf(NotFoundException.class));
  }

  @Test
  void upload_when400_isResponseError() {
    BlobPusher.Upload put =
        new BlobPusher.Upload(
            URI.create("http://registry.test:5000/u"), REPO, DIGEST, new byte[] {1});
    RegistryResponseException e =
        errorReply(put, 400, "DIGEST_INVALID").readFailureWithCode(RegistryResponseException.class);
    assertThat(e.isRetryable()).isFalse();
  }
}
