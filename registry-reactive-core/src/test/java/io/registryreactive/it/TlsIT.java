package io.registryreactive.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.testkit.RealRegistryExtension;
import io.registryreactive.testkit.RegistryProcess;
import io.registryreactive.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against the real registry serving https ({@code http.tls}) with certificates this test makes:
 * a private CA trusted with {@code trustedCertificates}, and mutual TLS ({@code
 * http.tls.clientcas}) with {@code clientCertificate}.
 */
@Timeout(120)
class TlsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  static TestCertificates.Pair serverCa;
  static TestCertificates.Pair clientCa;
  static TestCertificates.Pair client;
  static TestCertificates.Pair strangerClient;
  static RegistryProcess tls;
  static RegistryProcess mtls;

  @BeforeAll
  static void start() {
    boolean required =
        "true".equalsIgnoreCase(System.getenv(RealRegistryExtension.REQUIRE_ENV))
            || "true".equalsIgnoreCase(System.getenv("CI"));
    Assumptions.assumeTrue(
        required || RegistryProcess.findBinary().isPresent(), "no registry binary");
    TestCertificates certs = TestCertificates.in(dir);
    serverCa = certs.ca("server-ca");
    TestCertificates.Pair server = certs.server("registry", serverCa);
    clientCa = certs.ca("client-ca");
    client = certs.client("ci-client", clientCa);
    strangerClient = certs.client("stranger", certs.ca("other-ca"));
    tls = RegistryProcess.builder().tls(server.certificate(), server.key()).start();
    mtls =
        RegistryProcess.builder()
            .tls(server.certificate(), server.key(), clientCa.certificate())
            .start();
  }

  @AfterAll
  static void stop() {
    if (tls != null) {
      tls.close();
    }
    if (mtls != null) {
      mtls.close();
    }
  }

  private static ReactiveRegistryClient.Builder clientFor(RegistryProcess registry) {
    return ReactiveRegistryClient.builder()
        .baseUrl(registry.baseUrl().toString())
        .credentials(RegistryCredentials.basic(registry.username(), registry.password()));
  }

  /** The mutual-TLS registry ends the handshake, and the error says it wants a trusted cert. */
  private static void assertClientCertificateRefused(ReactiveRegistryClient.Builder builder) {
    try (ReactiveRegistryClient c = builder.build()) {
      assertThatThrownBy(() -> c.checkAuth().block(TIMEOUT))
          .isInstanceOf(RegistryConnectionException.class)
          .hasMessageContaining("TLS handshake with " + mtls.baseUrl().getAuthority() + " failed")
          .hasMessageContaining("the registry wants a client certificate it trusts");
    }
  }

  @Test
  void trustedPrivateCa_connects() {
    assertThat(tls.baseUrl().getScheme()).isEqualTo("https");
    try (ReactiveRegistryClient c =
        clientFor(tls).trustedCertificates(serverCa.certificate()).build()) {
      c.checkAuth().block(TIMEOUT);
      assertThat(c.catalog().collectList().block(TIMEOUT)).isEmpty();
    }
  }

  @Test
  void untrustedCa_failsWithAClearMessage() {
    try (ReactiveRegistryClient c = clientFor(tls).build()) {
      assertThatThrownBy(() -> c.checkAuth().block(TIMEOUT))
          .isInstanceOf(RegistryConnectionException.class)
          .hasMessageContaining("not signed by a trusted CA")
          .hasMessageContaining("--ca-cert");
      assertThat(c.metrics().retries()).isZero();
    }
  }

  @Test
  void mutualTls_withTheClientCertificate_connects() {
    try (ReactiveRegistryClient c =
        clientFor(mtls)
            .trustedCertificates(serverCa.certificate())
            .clientCertificate(client.certificate(), client.key())
            .build()) {
      c.checkAuth().block(TIMEOUT);
      assertThat(c.catalog().collectList().block(TIMEOUT)).isEmpty();
    }
  }

  @Test
  void mutualTls_withoutAClientCertificate_fails() {
    assertClientCertificateRefused(clientFor(mtls).trustedCertificates(serverCa.certificate()));
  }

  @Test
  void mutualTls_withACertificateFromAnotherCa_fails() {
    assertClientCertificateRefused(
        clientFor(mtls)
            .trustedCertificates(serverCa.certificate())
            .clientCertificate(strangerClient.certificate(), strangerClient.key()));
  }
}
