package io.registryreactive.internal.http;

import io.netty.handler.ssl.NotSslRecordException;
import io.registryreactive.RegistryConnectionException;
import io.registryreactive.RegistryException;
import java.net.URI;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * Turns TLS failures into one line that says what to do. They are not retried: a registry that
 * speaks plain http, or a certificate nobody trusts, fails the same way on every attempt.
 */
final class TlsFailures {

  private TlsFailures() {}

  static Optional<RegistryException> describe(URI uri, Throwable e) {
    String origin = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    if (find(e, NotSslRecordException.class) != null) {
      return Optional.of(
          new RegistryConnectionException(
              "the registry at "
                  + origin
                  + " answered plain HTTP to a TLS (https) connection; use http://"
                  + origin
                  + " if it really serves plain http",
              e,
              false));
    }
    SSLException ssl = find(e, SSLException.class);
    if (ssl == null) {
      return Optional.empty();
    }
    if (find(e, CertPathValidatorException.class) != null
        || find(e, java.security.cert.CertPathBuilderException.class) != null
        || String.valueOf(ssl.getMessage()).contains("PKIX")) {
      return Optional.of(
          new RegistryConnectionException(
              "TLS handshake with "
                  + origin
                  + " failed: its certificate is not signed by a trusted CA; trust the registry's CA with "
                  + "trustedCertificates(...) (CLI: --ca-cert FILE)",
              e,
              false));
    }
    if (find(e, CertificateException.class) != null) {
      return Optional.of(
          new RegistryConnectionException(
              "TLS handshake with "
                  + origin
                  + " failed: the certificate was refused ("
                  + rootMessage(e)
                  + ")",
              e,
              false));
    }
    String detail = rootMessage(e);
    boolean clientCert =
        detail.contains("certificate_required") || detail.contains("bad_certificate");
    return Optional.of(
        new RegistryConnectionException(
            "TLS handshake with "
                + origin
                + " failed: "
                + detail
                + (clientCert
                    ? "; the registry wants a client certificate it trusts: clientCertificate(...) "
                        + "(CLI: --client-cert FILE --client-key FILE)"
                    : ""),
            e,
            !(ssl instanceof SSLHandshakeException) && !clientCert));
  }

  private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
