package io.registryreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link RegistryProcess} and {@link RealRegistry} against the real registry binary. The
 * class-wide registry comes in through the constructor; tests that restart it restore its
 * configuration, tests that garbage-collect or break it use their own instance.
 */
@RealRegistry
class RegistryProcessIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  private final RegistryProcess registry;

  RegistryProcessIT(RegistryProcess registry) {
    this.registry = registry;
  }

  @Test
  void extension_injectsTheClassRegistry_intoConstructorAndMethods(RegistryProcess injected) {
    assertThat(injected).isSameAs(registry);
    assertThat(injected.isRunning()).isTrue();
    assertThat(injected.baseUrl().toString()).isEqualTo("http://" + injected.hostPort());
    assertThat(injected.hostPort()).startsWith("127.0.0.1:");
  }

  @Test
  void v2_withoutCredentials_answers401WithBasicChallenge() throws Exception {
    HttpResponse<String> response = send(request(registry, "/v2/").GET().build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm="));
  }

  @Test
  void v2_withCredentials_answers200() throws Exception {
    HttpResponse<String> response = send(authed(registry, "/v2/").GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-Api-Version"))
        .hasValue("registry/2.0");
  }

  @Test
  void v2_withWrongPassword_answers401() throws Exception {
    HttpResponse<String> response =
        send(
            request(registry, "/v2/")
                .header("Authorization", basic(registry.username(), registry.password() + "x"))
                .GET()
                .build());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void deleteManifest_answers202_andAfterRestartWithDeletionDisabled_answers405Unsupported()
      throws Exception {
    String repo = "it/delete";
    String first = pushImage(registry, repo, "one", randomBytes(1, 512), "{\"n\":1}");
    String second = pushImage(registry, repo, "two", randomBytes(2, 512), "{\"n\":2}");

    assertThat(
            send(authed(registry, "/v2/" + repo + "/manifests/" + first).DELETE().build())
                .statusCode())
        .isEqualTo(202);
    assertThat(send(manifestGet(registry, repo, first)).statusCode()).isEqualTo(404);
    try {
      registry.restartWith(false, false);
      assertThat(registry.deleteEnabled()).isFalse();

      HttpResponse<String> refused =
          send(authed(registry, "/v2/" + repo + "/manifests/" + second).DELETE().build());

      assertThat(refused.statusCode()).isEqualTo(405);
      assertThat(refused.body()).contains("\"UNSUPPORTED\"");
      assertThat(send(manifestGet(registry, repo, second)).statusCode()).isEqualTo(200);
    } finally {
      registry.restartWith(true, false);
    }
  }

  @Test
  void readOnlyMode_refusesWrites_withPlain405() throws Exception {
    String repo = "it/readonly";
    String digest = pushImage(registry, repo, "kept", randomBytes(3, 256), "{\"n\":3}");
    try {
      registry.restartWith(true, true);

      HttpResponse<String> delete =
          send(authed(registry, "/v2/" + repo + "/manifests/" + digest).DELETE().build());
      HttpResponse<String> upload =
          send(
              authed(registry, "/v2/" + repo + "/blobs/uploads/")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());

      assertThat(delete.statusCode()).isEqualTo(405);
      // Unlike "deletion disabled" (405 UNSUPPORTED, permanent), this is maintenance: retry later.
      assertThat(delete.body()).doesNotContain("UNSUPPORTED");
      assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
      assertThat(upload.statusCode()).isEqualTo(405);
      assertThat(send(manifestGet(registry, repo, digest)).statusCode()).isEqualTo(200);
    } finally {
      registry.restartWith(true, false);
    }
    assertThat(
            send(authed(registry, "/v2/" + repo + "/blobs/uploads/")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build())
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void stopThenStart_keepsPortAndData() throws Exception {
    byte[] content = randomBytes(4, 1024);
    String digest = pushBlob(registry, "it/persist", content);
    String hostPort = registry.hostPort();

    registry.stop();

    assertThat(registry.isRunning()).isFalse();
    assertThatThrownBy(() -> send(request(registry, "/v2/").GET().build()))
        .isInstanceOf(IOException.class);

    registry.start();

    assertThat(registry.hostPort()).isEqualTo(hostPort);
    HttpResponse<byte[]> blob =
        HTTP.send(
            authed(registry, "/v2/it/persist/blobs/" + digest).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(blob.statusCode()).isEqualTo(200);
    assertThat(blob.body()).isEqualTo(content);
  }

  @Test
  void garbageCollect_afterManifestDelete_freesOnlyBlobsNoManifestReferences() throws Exception {
    try (RegistryProcess own = RegistryProcess.builder().start()) {
      String repo = "it/gc";
      byte[] shared = randomBytes(5, 32 * 1024);
      byte[] onlyOld = randomBytes(6, 64 * 1024);
      String old = pushImage(own, repo, "old", List.of(shared, onlyOld), "{\"v\":\"old\"}");
      pushImage(own, repo, "new", List.of(shared), "{\"v\":\"new\"}");
      assertThat(
              send(authed(own, "/v2/" + repo + "/manifests/" + old).DELETE().build()).statusCode())
          .isEqualTo(202);
      long beforeGc = own.storageBytes();

      RegistryProcess.GcResult dryRun = own.garbageCollect(true);

      // Eligible: the old manifest, its config and the layer only it used.
      assertThat(dryRun.eligibleBlobs()).hasValue(3);
      assertThat(own.storageBytes()).isEqualTo(beforeGc);
      assertThat(own.isRunning()).isTrue();
      assertThat(blobStatus(own, repo, onlyOld)).isEqualTo(200);

      RegistryProcess.GcResult collected = own.garbageCollect(false);

      assertThat(collected.exitCode()).isZero();
      assertThat(collected.eligibleBlobs()).hasValue(3);
      assertThat(own.isRunning()).isTrue();
      assertThat(own.storageBytes()).isLessThanOrEqualTo(beforeGc - onlyOld.length);
      assertThat(blobStatus(own, repo, onlyOld)).isEqualTo(404);
      assertThat(blobStatus(own, repo, shared)).isEqualTo(200);
      assertThat(send(manifestGet(own, repo, "new")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  @SuppressWarnings("try") // the squatter socket only has to exist
  void start_whenPortIsTaken_failsWithLogTail_andStartsOnceFree() throws Exception {
    try (RegistryProcess own = RegistryProcess.builder().start()) {
      int port = own.baseUrl().getPort();
      own.stop();
      try (ServerSocket squatter = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThatThrownBy(own::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("address already in use")
            .hasMessageContaining(own.logFile().toString());
        assertThat(own.isRunning()).isFalse();
      }
      own.start();
      assertThat(send(request(own, "/v2/").GET().build()).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void withoutAuth_v2Answers200_andCloseRemovesProcessAndFiles() throws Exception {
    RegistryProcess own = RegistryProcess.builder().auth(false).start();
    Path dir = own.storageDir().getParent();
    assertThat(send(request(own, "/v2/").GET().build()).statusCode()).isEqualTo(200);
    assertThat(Files.readString(own.configFile())).doesNotContain("htpasswd");

    own.close();

    assertThat(dir).doesNotExist();
    assertThat(own.isRunning()).isFalse();
    assertThatThrownBy(() -> send(request(own, "/v2/").GET().build()))
        .isInstanceOf(IOException.class);
    own.close(); // idempotent
  }

  // --- registry upload API, just enough to create content -----------------------------------

  private static String pushImage(
      RegistryProcess r, String repo, String tag, byte[] layer, String config) throws Exception {
    return pushImage(r, repo, tag, List.of(layer), config);
  }

  /** Uploads layers and config, puts a schema 2 manifest under {@code tag}; returns its digest. */
  private static String pushImage(
      RegistryProcess r, String repo, String tag, List<byte[]> layers, String config)
      throws Exception {
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    StringBuilder layerJson = new StringBuilder();
    for (byte[] layer : layers) {
      layerJson
          .append(layerJson.length() == 0 ? "" : ",")
          .append(
              descriptor(
                  "application/vnd.docker.image.rootfs.diff.tar.gzip",
                  pushBlob(r, repo, layer),
                  layer.length));
    }
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + DOCKER_MANIFEST
            + "\",\"config\":"
            + descriptor(
                "application/vnd.docker.container.image.v1+json",
                pushBlob(r, repo, configBytes),
                configBytes.length)
            + ",\"layers\":["
            + layerJson
            + "]}";
    byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> put =
        send(
            authed(r, "/v2/" + repo + "/manifests/" + tag)
                .header("Content-Type", DOCKER_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes))
                .build());
    assertThat(put.statusCode()).as("manifest PUT: %s", put.body()).isEqualTo(201);
    String digest = TestDigests.sha256(manifestBytes);
    assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
    return digest;
  }

  /** POST /v2/NAME/blobs/uploads/ then a monolithic PUT ?digest=; returns the digest. */
  private static String pushBlob(RegistryProcess r, String repo, byte[] content) throws Exception {
    HttpResponse<String> start =
        send(
            authed(r, "/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(start.statusCode()).as("upload POST: %s", start.body()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    String digest = TestDigests.sha256(content);
    URI target =
        r.baseUrl().resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(target)
                .header("Authorization", basic(r.username(), r.password()))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build());
    assertThat(put.statusCode()).as("upload PUT: %s", put.body()).isEqualTo(201);
    return digest;
  }

  private static int blobStatus(RegistryProcess r, String repo, byte[] content) throws Exception {
    return send(authed(r, "/v2/" + repo + "/blobs/" + TestDigests.sha256(content))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build())
        .statusCode();
  }

  private static HttpRequest manifestGet(RegistryProcess r, String repo, String reference) {
    return authed(r, "/v2/" + repo + "/manifests/" + reference)
        .header("Accept", DOCKER_MANIFEST)
        .GET()
        .build();
  }

  private static String descriptor(String mediaType, String digest, int size) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"size\":"
        + size
        + ",\"digest\":\""
        + digest
        + "\"}";
  }

  private static HttpRequest.Builder request(RegistryProcess r, String path) {
    return HttpRequest.newBuilder(r.baseUrl().resolve(path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpRequest.Builder authed(RegistryProcess r, String path) {
    return request(r, path).header("Authorization", basic(r.username(), r.password()));
  }

  private static HttpResponse<String> send(HttpRequest request)
      throws IOException, InterruptedException {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
