package io.registryreactive.benchmarks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * skopeo as a user runs it: one process per call, plain HTTP on loopback ({@code
 * --tls-verify=false} makes it try HTTPS first and fall back), credentials from an auth file so
 * they stay out of {@code ps}. It works one image at a time; there is no batch or concurrency
 * option.
 */
final class Skopeo implements AutoCloseable {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path authFile;
  private final String password;

  /**
   * @param hosts {@code 127.0.0.1:PORT} of the registry and of the proxy
   * @param username basic-auth user
   * @param password basic-auth password
   */
  Skopeo(List<String> hosts, String username, String password) {
    this.password = password;
    String auth =
        Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    StringBuilder json = new StringBuilder("{\"auths\": {");
    for (int i = 0; i < hosts.size(); i++) {
      json.append(i == 0 ? "" : ", ")
          .append('"')
          .append(hosts.get(i))
          .append("\": {\"auth\": \"")
          .append(auth)
          .append("\"}");
    }
    json.append("}}\n");
    try {
      authFile =
          Files.createTempFile(
              "e2e-skopeo-auth-",
              ".json",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(authFile, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the skopeo auth file", e);
    }
  }

  /**
   * A timed batch of calls.
   *
   * @param calls calls made
   * @param seconds wall time of all of them, process start-up included
   * @param exampleCommand one of the commands
   */
  record Batch(int calls, double seconds, String exampleCommand) {}

  /**
   * {@code skopeo list-tags} once.
   *
   * @param host {@code 127.0.0.1:PORT}
   * @param repository the repository
   * @param expectedTags the tag count the listing must hold
   * @return one call and its time
   */
  Batch listTags(String host, String repository, int expectedTags) {
    ExternalCommand command =
        command(
            List.of(
                "list-tags",
                "--tls-verify=false",
                "--authfile",
                authFile.toString(),
                "docker://" + host + "/" + repository));
    ExternalCommand.Result result = command.runOk();
    try {
      JsonNode tags = JSON.readTree(result.stdout()).path("Tags");
      if (tags.size() != expectedTags) {
        throw new IllegalStateException(
            "skopeo list-tags returned " + tags.size() + " tags, expected " + expectedTags);
      }
    } catch (IOException e) {
      throw new IllegalStateException("skopeo list-tags printed no JSON: " + result.stdout(), e);
    }
    return new Batch(1, result.seconds(), command.display());
  }

  /**
   * {@code skopeo inspect --no-tags --format '{{.Digest}}'} per tag: skopeo's way to get a digest
   * (it GETs the manifest and the config blob).
   *
   * @param host {@code 127.0.0.1:PORT}
   * @param repository the repository
   * @param tags the tags
   * @param expectedDigest the digest each tag must resolve to
   * @return the calls and their time
   */
  Batch inspectDigests(
      String host,
      String repository,
      List<String> tags,
      java.util.function.Function<String, String> expectedDigest) {
    List<String> example = new ArrayList<>();
    long start = System.nanoTime();
    for (String tag : tags) {
      ExternalCommand command =
          command(
              List.of(
                  "inspect",
                  "--tls-verify=false",
                  "--authfile",
                  authFile.toString(),
                  "--no-tags",
                  "--format",
                  "{{.Digest}}",
                  "docker://" + host + "/" + repository + ":" + tag));
      String digest = command.runOk().stdout().strip();
      if (!digest.equals(expectedDigest.apply(tag))) {
        throw new IllegalStateException("skopeo inspect " + tag + " printed " + digest);
      }
      if (example.isEmpty()) {
        example.add(command.display());
      }
    }
    return new Batch(
        tags.size(), (System.nanoTime() - start) / 1e9, example.isEmpty() ? "" : example.get(0));
  }

  /**
   * {@code skopeo delete} per tag (it resolves the tag's digest and deletes the manifest).
   *
   * @param host {@code 127.0.0.1:PORT}
   * @param repository the repository
   * @param tags the tags
   * @return the calls and their time
   */
  Batch delete(String host, String repository, List<String> tags) {
    List<String> example = new ArrayList<>();
    long start = System.nanoTime();
    for (String tag : tags) {
      ExternalCommand command =
          command(
              List.of(
                  "delete",
                  "--tls-verify=false",
                  "--authfile",
                  authFile.toString(),
                  "docker://" + host + "/" + repository + ":" + tag));
      command.runOk();
      if (example.isEmpty()) {
        example.add(command.display());
      }
    }
    return new Batch(
        tags.size(), (System.nanoTime() - start) / 1e9, example.isEmpty() ? "" : example.get(0));
  }

  private ExternalCommand command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("skopeo");
    command.addAll(args);
    return new ExternalCommand(command, Map.of(), CALL_TIMEOUT, List.of(password));
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(authFile);
    } catch (IOException e) {
      // Best effort; the file is in the temp directory.
    }
  }
}
