package io.registryreactive.auth;

import static io.registryreactive.auth.RegistryStubs.REPO;
import static io.registryreactive.auth.RegistryStubs.TIMEOUT;
import static io.registryreactive.auth.RegistryStubs.stubChallenge;
import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.AuthenticationException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.StubRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A 401 after sending no credentials says so, and where credentials were looked for. */
class NoCredentialsSentTest {

  @RegisterExtension static final StubRegistry registry = RegistryStubs.newServer();

  private static void expect401Saying(RegistryCredentials credentials, String... parts) {
    stubChallenge(registry, "Basic realm=\"r\"");
    try (ReactiveRegistryClient c =
        ReactiveRegistryClient.builder()
            .baseUrl(registry.baseUrl())
            .credentials(credentials)
            .build()) {
      StepVerifier.create(c.tags(REPO))
          .expectErrorSatisfies(
              e -> {
                assertThat(e)
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining(
                        "the registry requires authentication, and no credentials were sent")
                    .hasMessageNotContaining("rejected the credentials");
                for (String part : parts) {
                  assertThat(e).hasMessageContaining(part);
                }
              })
          .verify(TIMEOUT);
    }
  }

  @Test
  void anonymous_401_saysNoCredentialsWereConfigured() {
    expect401Saying(RegistryCredentials.anonymous(), "no credentials configured");
  }

  @Test
  void storedCredentialsWithoutAnEntry_401_namesTheFilesSearched(@TempDir Path dir) {
    Map<String, String> env =
        Map.of("HOME", dir.toString(), "XDG_RUNTIME_DIR", dir.resolve("run").toString());
    expect401Saying(
        RegistryCredentials.dockerConfigFromEnvironment(env),
        "no stored credentials for 127.0.0.1:" + registry.getPort(),
        dir.resolve(".docker/config.json").toString(),
        dir.resolve("run/containers/auth.json").toString());
  }

  @Test
  void dockerConfigDirectory_isReadAsItsConfigJson(@TempDir Path dir) {
    expect401Saying(RegistryCredentials.dockerConfig(dir), dir.resolve("config.json").toString());
  }
}
