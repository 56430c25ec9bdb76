package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.registryreactive.testkit.RealRegistryExtension;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-cert}, {@code --client-cert} and {@code --client-key} against the real registry
 * serving TLS.
 */
@Timeout(120)
class CliTlsIT {
  @TempDir static Path dir;

  static TestCertificates.Pair ca;
  static TestCertificates.Pair client;
  static RegistryProcess mtls;

  @BeforeAll
  static void start() {
    boolean required =
        "true".equalsIgnoreCase(System.getenv(RealRegistryExtension.REQUIRE_ENV))
            || "true".equalsIgnoreCase(System.getenv("CI"));
    Assumptions.assumeTrue(
        required || RegistryProcess.findBinary().isPresent(), "no registry binary");
    TestCertificates certs = TestCertificates.in(dir);
    ca = certs.ca("ca");
    TestCertificates.Pair server = certs.server("registry", ca);
    client = certs.client("client", ca);
    mtls =
        RegistryProcess.builder().tls(server.certificate(), server.key(), ca.certificate()).start();
  }

  @AfterAll
  static void stop() {
    if (mtls != null) {
      mtls.close();
    }
  }

  private String[] ls(String... tlsOptions) {
    String[] base = {
      "ls", "--registry", mtls.hostPort(), "-u", mtls.username(), "--password-stdin"
    };
    String[] all = new String[base.length + tlsOptions.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(tlsOptions, 0, all, base.length, tlsOptions.length);
    return all;
  }

  @Test
  void caCertAndClientCertificate_connect() {
    CliRun run =
        CliRun.withStdin(
            mtls.password() + "\n",
            ls(
                "--ca-cert",
                ca.certificate().toString(),
                "--client-cert",
                client.certificate().toString(),
                "--client-key",
                client.key().toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.OK);
  }

  @Test
  void withoutCaCert_failsInOneLineNamingTheOption() {
    CliRun run =
        CliRun.withStdin(
            mtls.password() + "\n",
            ls(
                "--client-cert",
                client.certificate().toString(),
                "--client-key",
                client.key().toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
    assertThat(run.err().lines()).as(run.toString()).hasSize(1);
    assertThat(run.err()).contains("not signed by a trusted CA").contains("--ca-cert");
  }

  @Test
  void withoutClientCertificate_fails() {
    CliRun run =
        CliRun.withStdin(mtls.password() + "\n", ls("--ca-cert", ca.certificate().toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.FAILED);
    assertThat(run.err())
        .as(run.toString())
        .contains("TLS handshake with " + mtls.hostPort() + " failed");
  }

  @Test
  void clientKeyInTheWrongFormat_isBadInput() throws Exception {
    Path pkcs1 = dir.resolve("rsa-pkcs1.key");
    Files.writeString(
        pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
    CliRun run =
        CliRun.withStdin(
            mtls.password() + "\n",
            ls(
                "--ca-cert",
                ca.certificate().toString(),
                "--client-cert",
                client.certificate().toString(),
                "--client-key",
                pkcs1.toString()));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(CliRun.USAGE);
    assertThat(run.err())
        .contains("not an unencrypted PKCS#8 PEM key")
        .doesNotContain("MIIBOgIBAAJBAK");
  }
}
