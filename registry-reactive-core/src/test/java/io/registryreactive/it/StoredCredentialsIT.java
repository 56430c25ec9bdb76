package io.registryreactive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.internal.auth.TestEnvironments;
import io.registryreactive.testkit.RealRegistryFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RegistryCredentials.dockerConfig...}: basic auth from a stored {@code auths} entry, end to
 * end.
 */
class StoredCredentialsIT extends RealRegistryFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private void write(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        file, "{\"auths\":{\"http://" + registry.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
  }

  @Test
  void podmanAuthFile_authenticates(@TempDir Path dir) throws Exception {
    write(dir.resolve("run/containers/auth.json"));
    Map<String, String> env = TestEnvironments.homeAndRuntimeDirUnder(dir);
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl().toString())
            .credentials(RegistryCredentials.dockerConfigFromEnvironment(env))
            .build()) {
      c.checkAuth().block(TIMEOUT);
      assertThat(c.catalog().collectList().block(TIMEOUT)).isNotNull();
    }
  }

  @Test
  void noEntry_failsSayingNothingWasSent(@TempDir Path dir) {
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl().toString())
            .credentials(
                RegistryCredentials.dockerConfigFromEnvironment(Map.of("HOME", dir.toString())))
            .build()) {
      assertThatThrownBy(() -> c.checkAuth().block(TIMEOUT))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("no credentials were sent")
          .hasMessageContaining(dir.resolve(".docker/config.json").toString());
    }
  }
}
