package io.registryreactive.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class RegistryConfigTest {

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void read_whenFilesystemDriver_givesRootReadOnlyAndAddrFromTheYaml() throws IOException {
    Path file =
        write(
            """
        version: 0.1
        storage:
          delete: {enabled: true}
          maintenance:
            readonly:
              enabled: true   # during GC
          filesystem:
            rootdirectory: "/srv/registry data"
        http:
          addr: 127.0.0.1:5123
        """);

    StepVerifier.create(RegistryConfig.read(file))
        .assertNext(
            c -> {
              assertThat(c.storageDriver()).isEqualTo("filesystem");
              assertThat(c.rootDirectory()).contains(Path.of("/srv/registry data"));
              assertThat(c.requireFilesystemRoot()).isEqualTo(Path.of("/srv/registry data"));
              assertThat(c.readOnly()).isTrue();
              assertThat(c.httpAddr()).contains("127.0.0.1:5123");
            })
        .expectComplete()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void readNow_whenEnvironmentOverrides_theEnvironmentWinsAsForTheRegistry() throws IOException {
    Path file = write("storage:\n  filesystem:\n    rootdirectory: /a\nhttp:\n  addr: :5000\n");

    RegistryConfig c =
        RegistryConfig.readNow(
            file,
            Map.of(
                "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY",
                "/b",
                "REGISTRY_HTTP_ADDR",
                "0.0.0.0:6000"));

    assertThat(c.rootDirectory()).contains(Path.of("/b"));
    assertThat(c.httpAddr()).contains("0.0.0.0:6000");
    assertThat(c.readOnly()).isFalse();
  }

  @Test
  void readNow_whenRootUnset_defaultsToVarLibRegistry() throws IOException {
    RegistryConfig c = RegistryConfig.readNow(write("storage:\n  filesystem: {}\n"), Map.of());

    assertThat(c.rootDirectory()).isEmpty();
    assertThat(c.requireFilesystemRoot()).isEqualTo(RegistryConfig.DEFAULT_ROOT);
    assertThat(c.httpAddr()).isEqualTo(Optional.empty());
  }

  @Test
  void requireFilesystemRoot_whenS3Driver_refusesNamingTheDriver() throws IOException {
    RegistryConfig c =
        RegistryConfig.readNow(
            write("storage:\n  s3:\n    bucket: b\n  delete:\n    enabled: true\n"), Map.of());

    assertThat(c.storageDriver()).isEqualTo("s3");
    assertThatThrownBy(c::requireFilesystemRoot)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "uses the 's3' storage driver; only the 'filesystem' driver can be read from this host");
  }

  @Test
  void readNow_whenNoOrSeveralDriversOrNotYaml_refusesClearly() throws IOException {
    assertThatThrownBy(
            () -> RegistryConfig.readNow(write("storage:\n  delete: {enabled: true}\n"), Map.of()))
        .hasMessageContaining("names no storage driver");
    assertThatThrownBy(
            () -> RegistryConfig.readNow(write("storage:\n  s3: {}\n  filesystem: {}\n"), Map.of()))
        .hasMessageContaining("several storage drivers [s3, filesystem]");
    assertThatThrownBy(() -> RegistryConfig.readNow(write("storage: [unclosed\n"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid YAML");
    assertThatThrownBy(() -> RegistryConfig.readNow(dir.resolve("none.yml"), Map.of()))
        .hasMessageContaining("no such file");
    assertThatThrownBy(() -> RegistryConfig.readNow(dir, Map.of()))
        .hasMessageContaining("is not a regular file");
  }
}
