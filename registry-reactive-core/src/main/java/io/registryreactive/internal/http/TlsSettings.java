package io.registryreactive.internal.http;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS beyond the JDK's defaults: extra trusted CAs and a client certificate for mutual TLS.
 *
 * @param trustedCertificates a PEM file of CA certificates trusted in addition to the JDK's
 * @param clientCertificate a PEM certificate chain presented to registries that ask for one
 * @param clientKey the PKCS#8 PEM private key of {@code clientCertificate}
 */
public record TlsSettings(
    Optional<Path> trustedCertificates,
    Optional<Path> clientCertificate,
    Optional<Path> clientKey) {

  /**
   * @return no extra CAs, no client certificate
   */
  public static TlsSettings defaults() {
    return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * @return whether anything differs from the JDK's defaults
   */
  public boolean isCustom() {
    return trustedCertificates.isPresent() || clientCertificate.isPresent();
  }
}
