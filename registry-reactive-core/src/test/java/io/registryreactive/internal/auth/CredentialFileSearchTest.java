package io.registryreactive.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where stored credentials are looked for, in which order, and what wins. */
class CredentialFileSearchTest {
  private static final String HOST = "registry.example.com:5000";
  private static final CredentialHelper NO_HELPERS =
      new CredentialHelper(n -> List.of("false"), Duration.ofSeconds(5));

  private static Path write(Path file, String user, String password, String host) throws Exception {
    Files.createDirectories(file.getParent());
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(file, "{\"auths\":{\"" + host + "\":{\"auth\":\"" + auth + "\"}}}");
    return file;
  }

  @Test
  void defaultFiles_areInDockerThenPodmanOrder(@TempDir Path dir) {
    Map<String, String> env =
        Map.of(
            "DOCKER_CONFIG",
            dir.resolve("dc").toString(),
            "HOME",
            dir.resolve("home").toString(),
            "REGISTRY_AUTH_FILE",
            dir.resolve("raf.json").toString(),
            "XDG_RUNTIME_DIR",
            dir.resolve("run").toString());
    assertThat(CredentialFileSearch.defaultFiles(env, "/ignored"))
        .containsExactly(
            dir.resolve("dc/config.json"),
            dir.resolve("home/.docker/config.json"),
            dir.resolve("raf.json"),
            dir.resolve("run/containers/auth.json"));
    assertThat(CredentialFileSearch.defaultFiles(Map.of(), "/home/u"))
        .containsExactly(Path.of("/home/u/.docker/config.json"));
  }

  @Test
  void search_firstFileWithAnEntryForTheHostWins(@TempDir Path dir) throws Exception {
    Path dockerConfig =
        write(dir.resolve("dc/config.json"), "other", "pw-other", "other.example.com");
    Path home = write(dir.resolve("home/.docker/config.json"), "docker-user", "pw-docker", HOST);
    Path podman = write(dir.resolve("run/containers/auth.json"), "podman-user", "pw-podman", HOST);
    List<Path> files = List.of(dockerConfig, home, dir.resolve("missing.json"), podman);

    CredentialFileSearch.Result found = CredentialFileSearch.search(files, HOST, NO_HELPERS);

    assertThat(found.credentials())
        .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("docker-user"));
    assertThat(found.source()).contains(home);
    assertThat(found.searched()).containsExactly(dockerConfig, home);
  }

  @Test
  void search_fallsThroughToPodmansAuthFile(@TempDir Path dir) throws Exception {
    Path podman = write(dir.resolve("run/containers/auth.json"), "podman-user", "pw-podman", HOST);
    Map<String, String> env = TestEnvironments.homeAndRuntimeDirUnder(dir);
    CredentialFileSearch.Result found =
        CredentialFileSearch.search(CredentialFileSearch.defaultFiles(env, "/x"), HOST, NO_HELPERS);
    assertThat(found.credentials())
        .hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("podman-user"));
    assertThat(found.source()).contains(podman);
  }

  @Test
  void search_whenNothingMatches_namesEveryFileSearched(@TempDir Path dir) {
    Map<String, String> env =
        Map.of("HOME", dir.toString(), "REGISTRY_AUTH_FILE", dir.resolve("auth.json").toString());
    CredentialFileSearch.Result found =
        CredentialFileSearch.search(CredentialFileSearch.defaultFiles(env, "/x"), HOST, NO_HELPERS);
    assertThat(found.credentials()).isEmpty();
    assertThat(found.describeMissing(HOST))
        .isEqualTo(
            "no stored credentials for "
                + HOST
                + " in "
                + dir.resolve(".docker/config.json")
                + ", "
                + dir.resolve("auth.json"));
  }

  @Test
  void configFile_acceptsAFileOrItsDirectory(@TempDir Path dir) throws Exception {
    Path file = write(dir.resolve("config.json"), "u", "p", HOST);
    assertThat(CredentialFileSearch.configFile(dir)).isEqualTo(file);
    assertThat(CredentialFileSearch.configFile(file)).isEqualTo(file);
  }
}
