package io.registryreactive.internal.endpoint;

import static io.registryreactive.internal.endpoint.Responses.REPO;
import static io.registryreactive.internal.endpoint.Responses.URLS;
import static io.registryreactive.internal.endpoint.Responses.error;
import static io.registryreactive.internal.endpoint.Responses.errorReply;
import static io.registryreactive.internal.endpoint.Responses.reply;
import static io.registryreactive.internal.endpoint.Responses.response;
import static io.registryreactive.internal.endpoint.Responses.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.AuthenticationException;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.RegistryResponseException;
import io.registryreactive.model.DeleteResult.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code DELETE /v2/<name>/manifests/<digest>} read without HTTP. */
class ManifestDeleterTest {
  private static final String DIGEST = sha256("manifest");
  private final ManifestDeleter delete = new ManifestDeleter(URLS, REPO, DIGEST);

  @Test
  void request_isDeleteOfTheDigest() {
    assertThat(delete.request().describe())
        .isEqualTo("DELETE http://registry.test:5000/v2/team/app/manifests/" + DIGEST);
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 202, 204})
  void read_when2xx_isDeleted(int status) {
    ManifestDeleter.Deletion d = reply(delete, status, "").read();
    assertThat(d.result().outcome()).isEqualTo(Outcome.DELETED);
    assertThat(d.result().digest()).isEqualTo(DIGEST);
    assertThat(d.confirmedOnRetry()).isFalse();
  }

  @Test
  void read_when404_isAlreadyAbsent() {
    ManifestDeleter.Deletion d = reply(delete, 404, error("MANIFEST_UNKNOWN")).read();
    assertThat(d.result().outcome()).isEqualTo(Outcome.ALREADY_ABSENT);
    assertThat(d.confirmedOnRetry()).isFalse();
  }

  @Test
  void read_when404AfterAnUncertainAttempt_isDeletedConfirmedOnRetry() {
    ManifestDeleter.Deletion d = delete.read(response(delete, 404, "").withAttempt(2, true));
    assertThat(d.result().outcome()).isEqualTo(Outcome.DELETED);
    assertThat(d.confirmedOnRetry()).isTrue();
  }

  @Test
  void read_when404OnARetryAfterA429_isAlreadyAbsent() {
    assertThat(delete.read(response(delete, 404, "").withAttempt(2, false)).result().outcome())
        .isEqualTo(Outcome.ALREADY_ABSENT);
  }

  @Test
  void read_when405Unsupported_isDeletionDisabled() {
    errorReply(delete, 405, "UNSUPPORTED").readFailure(DeletionDisabledException.class);
  }

  @Test
  void read_when405PlainText_isRetryableReadOnly() {
    RegistryResponseException e =
        reply(delete, 405, "read-only mode")
            .header("Allow", "GET, HEAD")
            .readFailure(RegistryResponseException.class);
    assertThat(e).isNotInstanceOf(DeletionDisabledException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("read-only");
  }

  @Test
  void read_when401_isAuthenticationError() {
    reply(delete, 401, "").readFailure(AuthenticationException.class);
  }
}
