package io.registryreactive.internal.auth;

import static io.registryreactive.internal.auth.FakeCredentialHelpers.runner;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.stdinOf;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.write;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.writeAnswering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerConfigTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private static String basic(String userColonPassword) {
    return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code "key":{"auth":"<base64 of user:password>"}}, an entry of {@code auths}. */
  private static String auth(String key, String userColonPassword) {
    return "\"" + key + "\":{\"auth\":\"" + basic(userColonPassword) + "\"}";
  }

  /** A config whose {@code credsStore} is "store", with inline:pw for ghcr.io in its auths. */
  private DockerConfig loadStoreWithInlineGhcr() throws IOException {
    return load("{\"credsStore\":\"store\",\"auths\":{" + auth("ghcr.io", "inline:pw") + "}}");
  }

  private DockerConfig load(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return DockerConfig.load(file, runner(dir, TIMEOUT));
  }

  @Test
  void load_whenFileMissing_returnsConfigWithoutCredentials() {
    DockerConfig config =
        DockerConfig.load(dir.resolve("absent/config.json"), runner(dir, TIMEOUT));

    assertThat(config.lookup("ghcr.io")).isEmpty();
    assertThat(config.lookup("docker.io")).isEmpty();
  }

  @Test
  void load_whenFileEmpty_returnsConfigWithoutCredentials() throws Exception {
    assertThat(load("").lookup("ghcr.io")).isEmpty();
  }

  @Test
  void load_whenJsonMalformed_throwsNamingFileWithoutQuotingIt() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"auths\": {\"ghcr.io\": {\"auth\": c2VjcmV0}}}");

    assertThatThrownBy(() -> DockerConfig.load(file, runner(dir, TIMEOUT)))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 1")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("c2VjcmV0"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"auths\": []}",
        "{\"auths\": {\"x\": \"abc\"}}",
        "{\"auths\": {\"x\": {\"auth\": 5}}}",
        "{\"credsStore\": {}}",
        "{\"credHelpers\": {\"x\": 1}}"
      })
  void load_whenShapeWrong_throwsProtocolExceptionNamingFile(String json) {
    assertThatThrownBy(() -> load(json))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining(dir.resolve("config.json").toString());
  }

  @Test
  void load_whenPathIsDirectory_throwsRegistryException() {
    assertThatThrownBy(() -> DockerConfig.load(dir, runner(dir, TIMEOUT)))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void lookup_whenAuthIsBase64UserPassword_splitsAtFirstColon() throws Exception {
    DockerConfig config = load("{\"auths\":{" + auth("ghcr.io", "alice:pa:ss") + "}}");

    assertThat(config.lookup("ghcr.io")).contains(new StoredCredentials("alice", "pa:ss", false));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ghcr.io", "https://ghcr.io", "http://ghcr.io/v1/", "https://GHCR.io/v2/"})
  void lookup_whenKeyWrittenInAnyDockerForm_matchesHost(String key) throws Exception {
    DockerConfig config = load("{\"auths\":{" + auth(key, "alice:pw") + "}}");

    assertThat(config.lookup("ghcr.io")).contains(new StoredCredentials("alice", "pw", false));
    assertThat(config.lookup("quay.io")).isEmpty();
  }

  @Test
  void lookup_whenKeyHasPort_matchesOnlyThatPort() throws Exception {
    DockerConfig config = load("{\"auths\":{" + auth("localhost:5000", "alice:pw") + "}}");

    assertThat(config.lookup("localhost:5000")).isPresent();
    assertThat(config.lookup("localhost")).isEmpty();
    assertThat(config.lookup("localhost:5001")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker.io", "index.docker.io", "registry-1.docker.io"})
  void lookup_whenDockerHubHost_usesIndexServerKey(String host) throws Exception {
    DockerConfig config =
        load("{\"auths\":{" + auth("https://index.docker.io/v1/", "hubuser:hubpw") + "}}");

    assertThat(config.lookup(host)).contains(new StoredCredentials("hubuser", "hubpw", false));
  }

  @Test
  void lookup_whenHubHasIndexServerKeyAndAlias_prefersIndexServerKey() throws Exception {
    DockerConfig config =
        load(
            "{\"auths\":{"
                + auth("docker.io", "alias:pw")
                + ","
                + auth("https://index.docker.io/v1/", "canonical:pw")
                + "}}");

    assertThat(config.lookup("docker.io").map(StoredCredentials::username)).contains("canonical");
  }

  @Test
  void lookup_whenExplicitUsernameAndPassword_usesThem() throws Exception {
    DockerConfig config =
        load("{\"auths\":{\"quay.io\":{\"username\":\"robot\",\"password\":\"pw\"}}}");

    assertThat(config.lookup("quay.io")).contains(new StoredCredentials("robot", "pw", false));
  }

  @Test
  void lookup_whenIdentityToken_returnsItAsSecret() throws Exception {
    DockerConfig config =
        load(
            "{\"auths\":{\"myreg.azurecr.io\":{\"auth\":\""
                + basic("00000000:")
                + "\",\"identitytoken\":\"id-tok\"}}}");

    assertThat(config.lookup("myreg.azurecr.io"))
        .contains(new StoredCredentials("00000000", "id-tok", true));
  }

  @Test
  void lookup_whenEntryHasNoCredentials_skipsItForOneThatHas() throws Exception {
    DockerConfig config =
        load(
            "{\"auths\":{\"ghcr.io\":{},"
                + auth("https://ghcr.io", "alice:pw")
                + ", \"quay.io\":{}}}");

    assertThat(config.lookup("ghcr.io")).contains(new StoredCredentials("alice", "pw", false));
    assertThat(config.lookup("quay.io")).isEmpty();
  }

  @Test
  void lookup_whenAuthNotBase64_throwsForThatHostOnly() throws Exception {
    DockerConfig config =
        load(
            "{\"auths\":{\"bad.io\":{\"auth\":\"not base64!\"},"
                + auth("good.io", "alice:pw")
                + "}}");

    assertThatThrownBy(() -> config.lookup("bad.io"))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("bad.io")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not base64!"));
    assertThat(config.lookup("good.io")).isPresent();
  }

  @Test
  void lookup_whenDecodedAuthHasNoColon_throwsProtocolException() throws Exception {
    DockerConfig config = load("{\"auths\":{" + auth("bad.io", "justasecret") + "}}");

    assertThatThrownBy(() -> config.lookup("bad.io"))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("user:password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("justasecret"));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void lookup_whenCredHelperAndCredsStore_credHelperWinsForItsHost() throws Exception {
    writeAnswering(dir, "gcr", "from-gcr", "gcr-secret");
    writeAnswering(dir, "store", "from-store", "store-secret");
    DockerConfig config =
        load(
            "{\"credsStore\":\"store\",\"credHelpers\":{\"gcr.io\":\"gcr\"},"
                + "\"auths\":{"
                + auth("gcr.io", "inline:pw")
                + "}}");

    assertThat(config.lookup("gcr.io"))
        .contains(new StoredCredentials("from-gcr", "gcr-secret", false));
    assertThat(config.lookup("ghcr.io"))
        .contains(new StoredCredentials("from-store", "store-secret", false));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void lookup_whenHelperForDockerHub_sendsIndexServerAddress() throws Exception {
    writeAnswering(dir, "store", "hubuser", "hub-secret");
    DockerConfig config = load("{\"credsStore\":\"store\"}");

    assertThat(config.lookup("registry-1.docker.io")).isPresent();
    assertThat(stdinOf(dir, "store")).isEqualTo("https://index.docker.io/v1/");
    assertThat(config.lookup("localhost:5000")).isPresent();
    assertThat(stdinOf(dir, "store")).isEqualTo("localhost:5000");
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void lookup_whenHelperHasNothing_fallsBackToInlineAuths() throws Exception {
    write(dir, "store", "echo 'credentials not found in native keychain'; exit 1");
    DockerConfig config = loadStoreWithInlineGhcr();

    assertThat(config.lookup("ghcr.io")).contains(new StoredCredentials("inline", "pw", false));
    assertThat(config.lookup("quay.io")).isEmpty();
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void lookup_whenHelperFails_propagatesInsteadOfUsingInlineAuths() throws Exception {
    write(dir, "store", "echo 'keychain locked' >&2; exit 1");
    DockerConfig config = loadStoreWithInlineGhcr();

    assertThatThrownBy(() -> config.lookup("ghcr.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-store");
  }

  @Test
  void toString_whenConfigHoldsSecrets_showsNoneOfThem() throws Exception {
    String auth = basic("alice:hunter2");
    DockerConfig config =
        load(
            "{\"auths\":{\"ghcr.io\":{\"auth\":\""
                + auth
                + "\"},"
                + "\"quay.io\":{\"username\":\"robot\",\"password\":\"pw-quay\",\"identitytoken\":\"id-tok\"}},"
                + "\"credHelpers\":{\"gcr.io\":\"gcr\"}}");

    assertThat(config.toString())
        .contains("ghcr.io", "quay.io", "gcr")
        .doesNotContain(auth, "hunter2", "pw-quay", "id-tok");
    assertThat(config.lookup("ghcr.io").orElseThrow().toString())
        .contains("alice")
        .doesNotContain("hunter2");
  }

  @Test
  void defaultLocation_whenDockerConfigSet_usesIt() {
    assertThat(
            DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", "/etc/docker-ci")::get, "/home/u"))
        .isEqualTo(Paths.get("/etc/docker-ci", "config.json"));
  }

  @Test
  void defaultLocation_whenDockerConfigUnsetOrBlank_usesHomeDotDocker() {
    assertThat(DockerConfig.defaultLocation(Map.<String, String>of()::get, "/home/u"))
        .isEqualTo(Paths.get("/home/u", ".docker", "config.json"));
    assertThat(DockerConfig.defaultLocation(Map.of("DOCKER_CONFIG", " ")::get, "/home/u"))
        .isEqualTo(Paths.get("/home/u", ".docker", "config.json"));
  }
}
