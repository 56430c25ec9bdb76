package io.registryreactive.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the {@code openssl} command line (OpenSSL 1.1.1 or 3.x): a
 * CA, and leaf certificates it signs for a server ({@code 127.0.0.1} and {@code localhost}) or a
 * client. Keys are EC P-256 in unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). Blocks (test
 * code).
 */
public final class TestCertificates {
  private static final long TIMEOUT_SECONDS = 30;

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /**
   * @param dir where the files go
   * @return a factory writing into {@code dir}
   */
  public static TestCertificates in(Path dir) {
    return new TestCertificates(dir);
  }

  /** A certificate file and its key file, PEM. */
  public record Pair(Path certificate, Path key) {}

  /**
   * A self-signed CA.
   *
   * @param name file name stem and common name
   * @return the CA's certificate and key
   */
  public Pair ca(String name) {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=" + name,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    return new Pair(cert, key);
  }

  /**
   * A server certificate for {@code 127.0.0.1} and {@code localhost}, signed by {@code ca}.
   *
   * @param name file name stem
   * @param ca the issuer
   * @return certificate and key
   */
  public Pair server(String name, Pair ca) {
    return leaf(
        name, ca, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  }

  /**
   * A client certificate, signed by {@code ca}.
   *
   * @param name file name stem and common name
   * @param ca the issuer
   * @return certificate and key
   */
  public Pair client(String name, Pair ca) {
    return leaf(name, ca, "extendedKeyUsage=clientAuth\n");
  }

  private Pair leaf(String name, Pair ca, String extensions) {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(ext, "basicConstraints=CA:FALSE\n" + extensions, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + name);
    openssl(
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        ca.certificate().toString(),
        "-CAkey",
        ca.key().toString(),
        "-CAcreateserial",
        "-out",
        cert.toString(),
        "-days",
        "2",
        "-extfile",
        ext.toString());
    return new Pair(cert, key);
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile(dir, "openssl", ".log");
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl did not finish: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl failed ("
                + p.exitValue()
                + "): "
                + command
                + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not run openssl (install it: apt-get install -y openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
