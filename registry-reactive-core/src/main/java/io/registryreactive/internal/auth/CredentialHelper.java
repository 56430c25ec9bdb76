package io.registryreactive.internal.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs Docker credential helpers ({@code docker-credential-<name> get}), the programs that hold
 * registry credentials in the OS keychain, a password manager or a cloud provider, so that users
 * who ran {@code docker login} need not configure credentials again.
 *
 * <p>The protocol: the server URL goes to the helper's standard input; on success the helper prints
 * {@code {"ServerURL":"...","Username":"...","Secret":"..."}} and exits 0; when it holds nothing
 * for that server it exits non-zero and prints {@code credentials not found in native keychain}. A
 * {@code Username} of {@code <token>} marks the secret as an identity token.
 *
 * <p>This class blocks while the helper runs, for at most the timeout; callers must run it off the
 * event loop. It is immutable and thread-safe.
 */
final class CredentialHelper {

  /** How long a helper may run before it is killed, unless a constructor says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The user name helpers report for an identity token. */
  static final String IDENTITY_TOKEN_USERNAME = "<token>";

  /** Bounds the memory a runaway helper can make this process use. */
  private static final int MAX_OUTPUT_BYTES = 256 * 1024;

  /** Bounds how much of a helper's error text goes into an exception message. */
  private static final int MAX_ERROR_EXCERPT = 200;

  /**
   * Helper names come from config.json and become part of a program name; a path separator would
   * let that name point at any program on disk.
   */
  private static final Pattern HELPER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final Function<String, List<String>> commandForHelper;
  private final Duration timeout;

  /** Runs {@code docker-credential-<name>} found on {@code PATH}, with {@link #DEFAULT_TIMEOUT}. */
  public CredentialHelper() {
    this(name -> List.of("docker-credential-" + name, "get"), DEFAULT_TIMEOUT);
  }

  /**
   * Runs the command {@code commandForHelper} gives for each helper name; tests use it to run a
   * script instead of a real helper.
   *
   * @param commandForHelper the program and arguments to run for a helper name, including the
   *     {@code get} argument
   * @param timeout how long a helper may run before it is killed; must be positive
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public CredentialHelper(Function<String, List<String>> commandForHelper, Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.commandForHelper = commandForHelper;
    this.timeout = timeout;
  }

  /**
   * Asks a helper for the credentials it holds for a server.
   *
   * @param helperName the helper's name as config.json names it, such as {@code desktop} or {@code
   *     ecr-login}
   * @param serverUrl the server as {@code docker login} stored it: the host (with port, if any), or
   *     {@code https://index.docker.io/v1/} for Docker Hub
   * @return the credentials, or empty if the helper holds none for the server or returns an empty
   *     secret
   * @throws IllegalArgumentException if {@code helperName} is not a plain name
   * @throws RegistryProtocolException if the helper exits 0 but its output is not the expected JSON
   * @throws RegistryException if the helper cannot be started, exits non-zero for another reason
   *     than missing credentials, does not finish within the timeout (it is then killed), or the
   *     calling thread is interrupted; messages name the helper and never contain its output's
   *     secret
   */
  public Optional<StoredCredentials> get(String helperName, String serverUrl) {
    if (!HELPER_NAME.matcher(helperName).matches()) {
      throw new IllegalArgumentException("Invalid credential helper name '" + helperName + "'");
    }
    String program = "docker-credential-" + helperName;
    long deadline = System.nanoTime() + timeout.toNanos();
    Process process;
    try {
      process = new ProcessBuilder(commandForHelper.apply(helperName)).start();
    } catch (IOException | RuntimeException e) {
      throw new RegistryException(
          "Credential helper "
              + program
              + " could not be started (is it installed and on PATH?): "
              + e.getMessage(),
          e,
          false);
    }
    try {
      CompletableFuture<byte[]> stdout = drain(process.getInputStream(), program + "-stdout");
      CompletableFuture<byte[]> stderr = drain(process.getErrorStream(), program + "-stderr");
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The helper may exit without reading its input; its exit status says what happened.
      }
      if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw timedOut(program, process);
      }
      byte[] out;
      byte[] err;
      try {
        // A background child of the helper can hold the pipes open after the helper exits.
        out = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
        err = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw timedOut(program, process);
      } catch (ExecutionException e) {
        throw new RegistryException(
            "Could not read the output of credential helper " + program, e.getCause(), false);
      }
      int exitCode = process.exitValue();
      return exitCode == 0 ? parseCredentials(program, out) : failure(program, exitCode, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(process);
      throw new RegistryException(
          "Interrupted while waiting for credential helper " + program, e, false);
    } finally {
      if (process.isAlive()) {
        kill(process);
      }
    }
  }

  /**
   * Reads the helper's JSON answer. The output holds the secret, so errors describe it without
   * quoting it and without the parser's exception (whose message quotes the input).
   */
  private static Optional<StoredCredentials> parseCredentials(String program, byte[] out) {
    JsonNode root;
    try {
      root = JSON.readTree(out);
    } catch (IOException e) {
      throw new RegistryProtocolException(
          "Credential helper "
              + program
              + " exited 0 but its output is not JSON ("
              + out.length
              + " bytes)",
          null);
    }
    if (!root.isObject()) {
      throw new RegistryProtocolException(
          "Credential helper " + program + " exited 0 but its output is not a JSON object", null);
    }
    String username = root.path("Username").isTextual() ? root.path("Username").textValue() : "";
    String secret = root.path("Secret").isTextual() ? root.path("Secret").textValue() : "";
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new StoredCredentials(username, secret, IDENTITY_TOKEN_USERNAME.equals(username)));
  }

  private static Optional<StoredCredentials> failure(
      String program, int exitCode, byte[] out, byte[] err) {
    String stdout = new String(out, StandardCharsets.UTF_8);
    String stderr = new String(err, StandardCharsets.UTF_8);
    if (mentionsNotFound(stdout) || mentionsNotFound(stderr)) {
      return Optional.empty();
    }
    String excerpt =
        errorExcerpt(stderr).or(() -> errorExcerpt(stdout)).map(text -> ": " + text).orElse("");
    throw new RegistryException(
        "Credential helper " + program + " get exited with status " + exitCode + excerpt,
        null,
        false);
  }

  private static boolean mentionsNotFound(String output) {
    return output.toLowerCase(Locale.ROOT).contains("credentials not found");
  }

  /**
   * The first line of a helper's error text, so the user learns why it failed ("keychain locked").
   * Output that looks like JSON is left out: that is the credentials format and may hold the
   * secret.
   */
  private static Optional<String> errorExcerpt(String output) {
    String trimmed = output.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("{")) {
      return Optional.empty();
    }
    // A helper may print a secret this process has never seen: mask whatever looks like one.
    String line =
        Redactor.redactForeign(
            trimmed.lines().findFirst().orElse("").strip().replaceAll("\\p{Cntrl}", "?"));
    return Optional.of(
        line.length() > MAX_ERROR_EXCERPT ? line.substring(0, MAX_ERROR_EXCERPT) + "..." : line);
  }

  private RegistryException timedOut(String program, Process process) {
    kill(process);
    return new RegistryException(
        "Credential helper "
            + program
            + " did not finish within "
            + timeout.toMillis()
            + " ms and was killed",
        null,
        false);
  }

  /** Kills the helper and what it started, since children that hold the pipes open would leak. */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Reads a stream to its end on its own thread: the helper blocks if a pipe it writes to fills up,
   * so both of its outputs must be read while waiting for it.
   */
  private static CompletableFuture<byte[]> drain(InputStream in, String threadName) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (in) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) != -1) {
                  int room = MAX_OUTPUT_BYTES - kept.size();
                  kept.write(buffer, 0, Math.min(n, Math.max(0, room)));
                }
                result.complete(kept.toByteArray());
              } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            threadName);
    reader.setDaemon(true);
    reader.start();
    return result;
  }
}
