package io.registryreactive.cli;

import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Cross-repository blob mounts ({@code POST /v2/<to>/blobs/uploads/?mount=<digest>&from=<from>}),
 * which the SDK's push API does not make: it uploads every blob to the repository it pushes to. A
 * mount links a blob another repository already holds without sending its bytes, as {@code docker
 * push} does for base-image layers.
 */
final class BlobMount {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final RegistryProcess registry;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /**
   * @param registry the registry to mount blobs in, with its credentials
   */
  BlobMount(RegistryProcess registry) {
    this.registry = registry;
  }

  /**
   * Mounts a blob of {@code from} into {@code to}.
   *
   * @param from the repository that holds the blob
   * @param to the repository to link it into
   * @param digest the blob's digest
   * @throws AssertionError if the registry did not mount it (201 Created with the digest): a 202
   *     would mean it opened an upload instead, and the data set would not be what it claims
   */
  void mount(String from, String to, String digest) {
    URI uri =
        URI.create(
            registry.baseUrl()
                + "/v2/"
                + to
                + "/blobs/uploads/?mount="
                + URLEncoder.encode(digest, StandardCharsets.UTF_8)
                + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(
          "mount of " + digest + " from " + from + " into " + to + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while mounting " + digest, e);
    }
    String stored = response.headers().firstValue("Docker-Content-Digest").orElse("");
    if (response.statusCode() != 201 || !stored.equals(digest)) {
      throw new AssertionError(
          "mount of "
              + digest
              + " from "
              + from
              + " into "
              + to
              + " answered "
              + response.statusCode()
              + " (Docker-Content-Digest '"
              + stored
              + "'), expected 201 with the digest: "
              + response.body());
    }
  }
}
