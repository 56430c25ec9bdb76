package io.registryreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** Decides skip-or-fail and binary lookup without needing a registry installed. */
class RealRegistryExtensionTest {

  @Test
  void missingBinary_locally_abortsWithInstallCommand() {
    assertThatThrownBy(() -> RealRegistryExtension.reportMissingBinary(Map.of()))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("apt-get install -y docker-registry");
  }

  @Test
  void missingBinary_onCi_fails() {
    assertThatThrownBy(() -> RealRegistryExtension.reportMissingBinary(Map.of("CI", "true")))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessageContaining("apt-get install -y docker-registry");
  }

  @Test
  void missingBinary_whenRequired_failsEvenOutsideCi() {
    assertThatThrownBy(
            () ->
                RealRegistryExtension.reportMissingBinary(
                    Map.of("CI", "false", RealRegistryExtension.REQUIRE_ENV, "TRUE")))
        .isInstanceOf(ExtensionConfigurationException.class);
  }

  @Test
  void missingBinary_namesABadRegistryBin() {
    assertThatThrownBy(
            () ->
                RealRegistryExtension.reportMissingBinary(
                    Map.of(RegistryProcess.BINARY_ENV, "/nope/registry")))
        .hasMessageContaining("REGISTRY_BIN=/nope/registry");
  }

  @Test
  void findBinary_prefersDockerRegistryOnPath_thenRegistry(@TempDir Path dir) throws IOException {
    Path first = Files.createDirectory(dir.resolve("a"));
    Path second = Files.createDirectory(dir.resolve("b"));
    Path upstream = executable(first.resolve("registry"));
    Path debian = executable(second.resolve("docker-registry"));
    String path = first + ":" + second;

    assertThat(RegistryProcess.findBinary(Map.of("PATH", path))).hasValue(debian);
    Files.delete(debian);
    assertThat(RegistryProcess.findBinary(Map.of("PATH", path))).hasValue(upstream);
  }

  @Test
  void findBinary_usesOnlyRegistryBin_whenSet(@TempDir Path dir) throws IOException {
    executable(dir.resolve("docker-registry"));
    Path explicit = executable(dir.resolve("custom-registry"));

    assertThat(
            RegistryProcess.findBinary(
                Map.of("PATH", dir.toString(), RegistryProcess.BINARY_ENV, explicit.toString())))
        .hasValue(explicit);
    assertThat(
            RegistryProcess.findBinary(
                Map.of(
                    "PATH",
                    dir.toString(),
                    RegistryProcess.BINARY_ENV,
                    dir.resolve("missing").toString())))
        .isEmpty();
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
