package io.registryreactive.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.internal.json.Json;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.testkit.Blob;
import io.registryreactive.testkit.ImageBlueprint;
import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Seeds and inspects a registry over plain {@code java.net.http}, independent of the client under
 * test, so that what a chaos test sets up and checks does not depend on the code it tests. Made
 * with the registry's own URL it bypasses the proxy too. Blocking; for test threads only.
 */
final class DirectRegistry {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final URI baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final String authorization;

  /**
   * @param baseUrl the registry (or a proxy in front of it)
   * @param username basic-auth user
   * @param password basic-auth password
   */
  DirectRegistry(URI baseUrl, String username, String password) {
    this.baseUrl = baseUrl;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param registry the registry process
   * @return a helper talking to it directly
   */
  static DirectRegistry of(RegistryProcess registry) {
    return new DirectRegistry(registry.baseUrl(), registry.username(), registry.password());
  }

  /**
   * Starts a blob upload ({@code POST /v2/<name>/blobs/uploads/}) and leaves it unfinished.
   *
   * @param repository the repository
   * @return the {@code Location} the registry answered with, as sent
   */
  String startUpload(String repository) {
    HttpResponse<String> start =
        send(
            request("/v2/" + repository + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    expect(start, 202, "start upload");
    return start
        .headers()
        .firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("upload without Location"));
  }

  /**
   * Uploads an image's blobs (POST, then a monolithic PUT) and puts its manifest under each tag.
   *
   * @param repository the repository
   * @param image the image (not an index)
   * @param tags the tags to set, at least one
   */
  void push(String repository, ImageBlueprint image, List<String> tags) {
    push(repository, image, tags, Optional.empty());
  }

  /**
   * Like {@link #push(String, ImageBlueprint, List)}, but links the blobs from a repository that
   * has them already (a cross-repository mount: one request per blob instead of two).
   *
   * @param repository the repository
   * @param image the image (not an index)
   * @param tags the tags to set, at least one
   * @param mountFrom the repository holding the image's blobs, or empty to upload them
   */
  void push(
      String repository, ImageBlueprint image, List<String> tags, Optional<String> mountFrom) {
    for (Blob blob : image.blobs()) {
      if (mountFrom.isPresent()) {
        expect(
            send(
                request(
                        "/v2/"
                            + repository
                            + "/blobs/uploads/?mount="
                            + blob.digest()
                            + "&from="
                            + mountFrom.get())
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build()),
            201,
            "mount blob");
        continue;
      }
      String location = startUpload(repository);
      URI target =
          baseUrl.resolve(
              location + (location.contains("?") ? "&" : "?") + "digest=" + blob.digest());
      expect(
          send(
              HttpRequest.newBuilder(target)
                  .timeout(TIMEOUT)
                  .header("Authorization", authorization)
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.bytes()))
                  .build()),
          201,
          "upload blob");
    }
    for (String tag : tags) {
      expect(
          send(
              request("/v2/" + repository + "/manifests/" + tag)
                  .header("Content-Type", image.mediaType())
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest()))
                  .build()),
          201,
          "put manifest");
    }
  }

  /**
   * {@code HEAD} of a manifest with the full Accept list.
   *
   * @param repository the repository
   * @param reference a tag or digest
   * @return the digest the registry serves, or empty when it answers 404
   * @throws IllegalStateException for any other status
   */
  Optional<String> manifestDigest(String repository, String reference) {
    HttpResponse<String> head =
        send(
            request("/v2/" + repository + "/manifests/" + reference)
                .header("Accept", MediaTypes.MANIFEST_ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    if (head.statusCode() == 404) {
      return Optional.empty();
    }
    expect(head, 200, "HEAD manifest");
    return Optional.of(
        head.headers()
            .firstValue("Docker-Content-Digest")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Docker-Content-Digest for " + repository + ":" + reference)));
  }

  /**
   * {@code HEAD} of a blob.
   *
   * @param repository the repository
   * @param digest the blob digest
   * @return whether the repository has the blob (200) rather than not (404)
   * @throws IllegalStateException for any other status
   */
  boolean hasBlob(String repository, String digest) {
    HttpResponse<String> head =
        send(
            request("/v2/" + repository + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    if (head.statusCode() == 404) {
      return false;
    }
    expect(head, 200, "HEAD blob");
    return true;
  }

  /**
   * All tags of a repository (distribution 2.8 sends them in one page); {@code "tags": null} reads
   * as none.
   *
   * @param repository the repository
   * @return the tags in the registry's order
   */
  List<String> tags(String repository) {
    HttpResponse<String> list = send(request("/v2/" + repository + "/tags/list").GET().build());
    expect(list, 200, "list tags");
    if (list.headers().firstValue("Link").isPresent()) {
      throw new IllegalStateException(
          "tag list of " + repository + " is paged; this helper reads one page");
    }
    try {
      JsonNode tags = Json.mapper().readTree(list.body()).path("tags");
      List<String> out = new ArrayList<>();
      tags.forEach(t -> out.add(t.asText()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(baseUrl.resolve(path))
        .timeout(TIMEOUT)
        .header("Authorization", authorization);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          what
              + ": "
              + response.request().method()
              + " "
              + response.request().uri()
              + " answered "
              + response.statusCode()
              + " (expected "
              + status
              + "): "
              + response.body());
    }
  }
}
