package io.registryreactive.benchmarks.e2e;

import io.registryreactive.model.MediaTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The baseline: what the original Python client did, one blocking request at a time over one
 * kept-alive connection (JDK {@link HttpClient}, HTTP/1.1, Basic auth sent up front as {@code
 * requests} does with {@code auth=(user, password)}). A digest look-up is one {@code HEAD};
 * deleting a tag is {@code HEAD} for its digest, then {@code DELETE} of that digest.
 */
final class SequentialClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final URI base;
  private final String authorization;

  /**
   * @param base {@code http://127.0.0.1:PORT} of the registry or of the proxy in front of it
   * @param username basic-auth user
   * @param password basic-auth password
   */
  SequentialClient(URI base, String username, String password) {
    this.base = base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletion timings of one run.
   *
   * @param deleted tags deleted
   * @param elapsed wall time of the run
   * @param deleteMillis wall time of each {@code DELETE} request, in order
   */
  record DeleteRun(int deleted, Duration elapsed, List<Double> deleteMillis) {}

  /**
   * Looks up each tag's digest, one {@code HEAD} after the other.
   *
   * @param repository the repository
   * @param tags the tags
   * @return wall time of all look-ups
   */
  Duration lookUp(String repository, List<String> tags) {
    long start = System.nanoTime();
    for (String tag : tags) {
      digest(repository, tag);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Deletes each tag: {@code HEAD} for its digest, then {@code DELETE} of the digest; stops early
   * (returning what was done) when {@code budget} is used up.
   *
   * @param repository the repository
   * @param tags the tags, deleted in this order
   * @param budget the most time to spend
   * @return timings
   */
  DeleteRun delete(String repository, List<String> tags, Duration budget) {
    List<Double> deleteMillis = new ArrayList<>(tags.size());
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    int deleted = 0;
    for (String tag : tags) {
      if (System.nanoTime() > deadline) {
        break;
      }
      String digest = digest(repository, tag);
      long before = System.nanoTime();
      HttpResponse<Void> response = send(request(repository, digest).DELETE().build());
      deleteMillis.add((System.nanoTime() - before) / 1e6);
      if (response.statusCode() != 202) {
        throw new IllegalStateException(
            "DELETE " + repository + "@" + digest + " answered " + response.statusCode());
      }
      deleted++;
    }
    return new DeleteRun(deleted, Duration.ofNanos(System.nanoTime() - start), deleteMillis);
  }

  /**
   * Times {@code GET /v2/} without credentials, which the registry answers 401 without checking a
   * password: close to a bare round trip, to check what the proxy adds.
   *
   * @param count requests, one after the other (the first is not counted: it opens the connection)
   * @return the median time of one request in milliseconds
   */
  double medianUnauthenticatedMillis(int count) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v2/")).timeout(REQUEST_TIMEOUT).GET().build();
    send(request);
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long before = System.nanoTime();
      HttpResponse<Void> response = send(request);
      millis.add((System.nanoTime() - before) / 1e6);
      if (response.statusCode() != 401) {
        throw new IllegalStateException(
            "GET /v2/ without credentials answered " + response.statusCode());
      }
    }
    return EndToEndBenchmark.median(millis);
  }

  private String digest(String repository, String tag) {
    HttpResponse<Void> response =
        send(
            request(repository, tag)
                .header("Accept", MediaTypes.MANIFEST_ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "HEAD " + repository + ":" + tag + " answered " + response.statusCode());
    }
    return response
        .headers()
        .firstValue("Docker-Content-Digest")
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no Docker-Content-Digest for " + repository + ":" + tag));
  }

  private HttpRequest.Builder request(String repository, String reference) {
    return HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + reference))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization);
  }

  private HttpResponse<Void> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
