package io.registryreactive.cli;

import io.registryreactive.ProxyOptions;
import io.registryreactive.RateLimitOptions;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that talks to a registry shares. */
final class ConnectionOptions {
  @Option(
      names = "--registry",
      required = true,
      paramLabel = "URL",
      description =
          "Registry base URL, e.g. https://registry.example.com, registry.example.com:5000 (https) "
              + "or http://127.0.0.1:5000 (plain http must be explicit)")
  String registry;

  @Option(
      names = {"-u", "--username"},
      paramLabel = "USER",
      description = "User name for basic auth or the token service")
  String username;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input")
  boolean passwordStdin;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "Read the password from this environment variable")
  String passwordEnv;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      hidden = true,
      description =
          "The password as an argument (visible in the process list; prefer --password-stdin)")
  String password;

  @Option(
      names = "--docker-config",
      paramLabel = "PATH",
      description =
          "Use the credentials 'docker login' stored in this config.json, or in the config.json of "
              + "this directory. Without it and without --username: $DOCKER_CONFIG/config.json, ~/.docker/config.json, "
              + "$REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, first with an entry for the host")
  Path dockerConfig;

  @Option(names = "--insecure", description = "Trust any TLS certificate (test registries only)")
  boolean insecure;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "Also trust the CA certificates in this PEM file (registries with a private CA)")
  Path caCert;

  @Option(
      names = "--client-cert",
      paramLabel = "FILE",
      description =
          "Client certificate (PEM) for registries that require mutual TLS; needs --client-key")
  Path clientCert;

  @Option(
      names = "--client-key",
      paramLabel = "FILE",
      description = "Private key of --client-cert: unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY)")
  Path clientKey;

  @Option(
      names = "--debug",
      description = "Log requests, retries and network failures with their stack traces on stderr")
  boolean debug;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "Requests in flight at most (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--rate-limit",
      paramLabel = "PER_SECOND",
      description = "At most this many requests per second")
  Double rateLimit;

  /** Validates the combination and builds the client; all before any request. */
  ReactiveRegistryClient client(PrintWriter err) {
    return client(err, io.registryreactive.RetryOptions.defaults());
  }

  /**
   * As {@link #client(PrintWriter)}, with these retries (prune: a time budget per request, for a
   * batch run).
   */
  ReactiveRegistryClient client(PrintWriter err, io.registryreactive.RetryOptions retry) {
    if (concurrency < 1 || concurrency > 1024) {
      throw new IllegalArgumentException("--concurrency must be 1 to 1024, was " + concurrency);
    }
    if (debug) {
      DebugLogging.enable();
    }
    ReactiveRegistryClient.Builder b = ReactiveRegistryClient.builder();
    registryUrl(b);
    // The warning about credentials over plain http comes from the SDK's log (once per client),
    // which
    // knows whether stored credentials were found for the host.
    RegistryCredentials credentials = credentials(err);
    b.credentials(credentials)
        .maxConcurrentRequests(concurrency)
        .retry(retry)
        .insecureTls(insecure)
        .proxy(ProxyOptions.fromEnvironment(CliEnvironment.get()));
    if (caCert != null) {
      b.trustedCertificates(caCert);
    }
    if ((clientCert == null) != (clientKey == null)) {
      throw new IllegalArgumentException("--client-cert and --client-key go together");
    }
    if (clientCert != null) {
      b.clientCertificate(clientCert, clientKey);
    }
    if (rateLimit != null) {
      try {
        b.rateLimit(RateLimitOptions.perSecond(rateLimit));
      } catch (IllegalArgumentException e) {
        // The SDK names its own parameter; the user typed --rate-limit.
        throw new IllegalArgumentException("--rate-limit: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /**
   * Sets the base URL, in the CLI's words. A URL with user info is refused before it is parsed, so
   * that no message can repeat the password.
   */
  private void registryUrl(ReactiveRegistryClient.Builder b) {
    String s = registry.strip();
    int schemeEnd = s.indexOf("://");
    String afterScheme = schemeEnd >= 0 ? s.substring(schemeEnd + 3) : s;
    int slash = afterScheme.indexOf('/');
    if ((slash >= 0 ? afterScheme.substring(0, slash) : afterScheme).indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "--registry must not carry credentials (user info before '@'); "
              + "give the user with --username and the password with --password-stdin (or --password-env VAR)");
    }
    try {
      b.baseUrl(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--registry: " + e.getMessage().replace("'baseUrl' ", ""), e);
    }
  }

  private RegistryCredentials credentials(PrintWriter err) {
    int sources =
        (passwordStdin ? 1 : 0) + (passwordEnv != null ? 1 : 0) + (password != null ? 1 : 0);
    if (sources > 1) {
      throw new IllegalArgumentException(
          "give the password one way only: --password-stdin, --password-env or --password");
    }
    if (dockerConfig != null) {
      if (username != null || sources > 0) {
        throw new IllegalArgumentException(
            "--docker-config cannot be combined with --username or a password");
      }
      return RegistryCredentials.dockerConfig(dockerConfig);
    }
    if (username == null) {
      if (sources > 0) {
        throw new IllegalArgumentException("a password was given without --username");
      }
      // As docker and podman do: what `docker login` / `podman login` stored, else anonymous.
      return RegistryCredentials.dockerConfigFromEnvironment(CliEnvironment.get());
    }
    String secret;
    if (passwordStdin) {
      secret = readStdinLine();
    } else if (passwordEnv != null) {
      secret = CliEnvironment.get().get(passwordEnv);
      if (secret == null) {
        throw new IllegalArgumentException(
            "environment variable " + passwordEnv + " (from --password-env) is not set");
      }
    } else if (password != null) {
      err.println(
          "warning: --password exposes the password in the process list and shell history; "
              + "prefer --password-stdin or --password-env");
      secret = password;
    } else {
      throw new IllegalArgumentException(
          "--username needs a password: --password-stdin or --password-env VAR");
    }
    return RegistryCredentials.basic(username, secret);
  }

  private static String readStdinLine() {
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("--password-stdin: standard input is empty");
      }
      return line;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--password-stdin: cannot read standard input: " + e.getMessage(), e);
    }
  }
}
