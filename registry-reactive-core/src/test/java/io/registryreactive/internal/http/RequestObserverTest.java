package io.registryreactive.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.RegistryListener;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class RequestObserverTest {

  @ParameterizedTest
  @CsvSource({
    "http://r/v2/, api_version",
    "http://r/prefix/v2/, api_version",
    "http://r/v2/_catalog?n=10, catalog",
    "http://r/v2/a/b/tags/list, tags",
    "http://r/v2/a/manifests/tags/list, tags",
    "http://r/v2/a/manifests/v1, manifest",
    "http://r/v2/blobs/b/manifests/sha256:ab, manifest",
    "http://r/v2/a/blobs/sha256:ab, blob",
    "http://r/v2/manifests/blobs/sha256:ab, blob",
    "http://r/v2/a/blobs/uploads/, blob_upload",
    "http://r/v2/a/blobs/uploads/1234-uuid?digest=sha256:ab, blob_upload",
    "http://r/v2/a/referrers/sha256:ab, referrers",
    "http://storage/bucket/object, other",
  })
  void endpointOf_namesTheRouteKindNotTheRepository(String url, String expected) {
    assertThat(RequestObserver.endpointOf(URI.create(url))).isEqualTo(expected);
  }

  @Test
  void observe_whenListenerThrows_theResponseStillArrives() {
    RegistryListener throwing =
        new RegistryListener() {
          @Override
          public void requestFinished(
              String endpoint, String method, String outcome, int status, Duration duration) {
            throw new IllegalStateException("broken listener");
          }
        };
    RegistryRequest request =
        RegistryRequest.of("GET", URI.create("http://r/v2/"), List.of(), "check");
    RegistryResponse response = new RegistryResponse(request, 200, java.util.Map.of(), new byte[0]);

    StepVerifier.create(
            new RequestObserver(throwing)
                .observe(request, "api_version", Mono.just(response), () -> false))
        .expectNext(response)
        .verifyComplete();
  }
}
