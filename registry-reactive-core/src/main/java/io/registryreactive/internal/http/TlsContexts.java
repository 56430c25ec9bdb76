package io.registryreactive.internal.http;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http11SslContextSpec;

/**
 * Builds the client's TLS context from {@link TlsSettings}. Files are read and checked when the
 * client is built, so a wrong path or format fails there with a message naming the file, not on the
 * first request.
 */
final class TlsContexts {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private TlsContexts() {}

  static Http11SslContextSpec forClient(boolean insecure, TlsSettings tls) {
    List<X509Certificate> trusted =
        tls.trustedCertificates().map(TlsContexts::certificates).orElse(List.of());
    List<X509Certificate> chain =
        tls.clientCertificate().map(TlsContexts::certificates).orElse(List.of());
    @Nullable PrivateKey key = tls.clientKey().map(TlsContexts::privateKey).orElse(null);
    @Nullable TrustManagerFactory trust =
        insecure
            ? InsecureTrustManagerFactory.INSTANCE
            : trusted.isEmpty() ? null : withDefaults(trusted);
    return Http11SslContextSpec.forClient()
        .configure(builder -> configure(builder, trust, chain, key));
  }

  private static void configure(
      SslContextBuilder builder,
      @Nullable TrustManagerFactory trust,
      List<X509Certificate> chain,
      @Nullable PrivateKey key) {
    if (trust != null) {
      builder.trustManager(trust);
    }
    if (key != null) {
      builder.keyManager(key, chain.toArray(new X509Certificate[0]));
    }
  }

  /**
   * The JDK's CAs plus the given ones: a private CA should not make public registries untrusted.
   */
  private static TrustManagerFactory withDefaults(List<X509Certificate> extra) {
    try {
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (javax.net.ssl.TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          for (X509Certificate c : x.getAcceptedIssuers()) {
            store.setCertificateEntry("jdk-" + n++, c);
          }
        }
      }
      for (X509Certificate c : extra) {
        store.setCertificateEntry("extra-" + n++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot set up the trusted certificates: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : certs) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            pem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read certificate file " + pem + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          pem + " is not a PEM (or DER) X.509 certificate file: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path pem) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read key file " + pem + ": " + e, e);
    }
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      // Never quote the file: it is a private key.
      throw new IllegalArgumentException(
          pem
              + " is not an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); "
              + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Try the next algorithm; PKCS#8 names it, but KeyFactory has no way to ask.
      }
    }
    throw new IllegalArgumentException(
        pem + " holds a PKCS#8 key of an algorithm other than RSA, EC or EdDSA");
  }
}
