package io.registryreactive.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real CNCF distribution registry (Debian package {@code docker-registry}, upstream 2.8) running
 * as a child process on {@code 127.0.0.1}, for integration tests.
 *
 * <p>Each instance owns a temporary directory holding {@code storage/}, {@code config.yml}, {@code
 * htpasswd} and {@code registry.log}. The registry listens on a free loopback port that stays the
 * same across {@link #stop()}/{@link #start()} and {@link #restartWith(boolean, boolean)}, so
 * clients built against {@link #baseUrl()} keep working. {@link #close()} stops the process and
 * deletes the directory; a JVM shutdown hook kills any process a crashed test left behind.
 *
 * <p>Methods block (this is test code) and are synchronized, so one instance may be shared by
 * parallel tests, though tests that restart or garbage-collect it should not run concurrently with
 * tests that use it.
 *
 * <pre>{@code
 * try (RegistryProcess registry = RegistryProcess.builder().deleteEnabled(false).start()) {
 *     URI base = registry.baseUrl();   // http://127.0.0.1:PORT
 *     ...
 * }
 * }</pre>
 */
public final class RegistryProcess implements AutoCloseable {

  /** Environment variable naming the registry binary; overrides the {@code PATH} lookup. */
  public static final String BINARY_ENV = "REGISTRY_BIN";

  /** Command that installs the registry on Debian and Ubuntu. */
  public static final String INSTALL_HINT =
      "sudo apt-get install -y docker-registry (or set "
          + BINARY_ENV
          + " to a CNCF distribution 'registry' binary)";

  /** Binary names looked up on {@code PATH}, in order: the Debian name, then the upstream name. */
  private static final List<String> BINARY_NAMES = List.of("docker-registry", "registry");

  private static final int PORT_ATTEMPTS = 3;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_CHARS = 4_000;
  private static final Pattern GC_SUMMARY =
      Pattern.compile(
          "(\\d+) blobs marked, (\\d+) blobs and (\\d+) manifests eligible for deletion");

  /** Every running child process of every instance; the shutdown hook kills what is left. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "registry-process-reaper"));
  }

  private static final HttpClient PROBE =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(1))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final Path binary;
  private final String username;
  private final String password;
  private final boolean auth;
  private final String extraConfig;
  private final Map<String, String> environment;
  private final Duration startTimeout;
  private final Duration gcTimeout;
  private final String httpSecret;
  private final Path workDir;
  private final Path storageDir;
  private final Path configFile;
  private final Path htpasswdFile;
  private final Path logFile;

  /** TLS: certificate, key and client CAs (empty for none); null for plain http. */
  private final @Nullable Tls tls;

  private boolean deleteEnabled;
  private boolean readOnly;
  private int port;
  private @Nullable Process process;
  private boolean closed;

  private RegistryProcess(Builder b, Path binary) throws IOException {
    this.binary = binary;
    this.username = b.username;
    this.password = b.password != null ? b.password : randomToken(24);
    this.auth = b.auth;
    this.extraConfig = b.extraConfig;
    this.environment = Map.copyOf(b.environment);
    this.startTimeout = b.startTimeout;
    this.gcTimeout = b.gcTimeout;
    this.deleteEnabled = b.deleteEnabled;
    this.readOnly = b.readOnly;
    this.httpSecret = randomToken(32);
    this.workDir = Files.createTempDirectory("registry-it-");
    this.storageDir = Files.createDirectory(workDir.resolve("storage"));
    this.configFile = workDir.resolve("config.yml");
    this.htpasswdFile = workDir.resolve("htpasswd");
    this.logFile = workDir.resolve("registry.log");
    this.tls = b.tls;
    Files.createFile(logFile);
    if (auth) {
      // htpasswd -B writes $2y$; jbcrypt only emits $2a$, which is the same algorithm. Cost 5
      // keeps every authenticated request fast (the registry checks the hash per request).
      String hash = "$2y$" + BCrypt.hashpw(password, BCrypt.gensalt(5)).substring(4);
      Files.writeString(htpasswdFile, username + ":" + hash + "\n", StandardCharsets.UTF_8);
    }
  }

  /**
   * Returns a builder with the defaults documented on each of its methods.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds the registry binary: the file named by {@code $REGISTRY_BIN} if that variable is set (and
   * nothing else, so a wrong value is not silently replaced), else {@code docker-registry}, then
   * {@code registry} on {@code PATH}.
   *
   * @return the executable, or empty if none is found
   */
  public static Optional<Path> findBinary() {
    return findBinary(System.getenv());
  }

  static Optional<Path> findBinary(Map<String, String> env) {
    String explicit = env.get(BINARY_ENV);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      return Files.isRegularFile(path) && Files.isExecutable(path)
          ? Optional.of(path)
          : Optional.empty();
    }
    String pathVar = env.getOrDefault("PATH", "");
    for (String name : BINARY_NAMES) {
      for (String dir : pathVar.split(java.io.File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * @return {@code http://127.0.0.1:PORT} ({@code https://} with {@link Builder#tls}), without a
   *     trailing slash
   */
  public synchronized URI baseUrl() {
    return URI.create((tls != null ? "https://" : "http://") + hostPort());
  }

  /**
   * @return {@code 127.0.0.1:PORT}, the form image references use
   */
  public synchronized String hostPort() {
    return "127.0.0.1:" + port;
  }

  /**
   * @return the basic-auth user name (meaningful only when auth is on)
   */
  public String username() {
    return username;
  }

  /**
   * @return the basic-auth password (meaningful only when auth is on)
   */
  public String password() {
    return password;
  }

  /**
   * @return whether the registry requires htpasswd basic auth
   */
  public boolean authEnabled() {
    return auth;
  }

  /**
   * @return whether {@code storage.delete.enabled} is set in the current configuration
   */
  public synchronized boolean deleteEnabled() {
    return deleteEnabled;
  }

  /**
   * @return whether {@code storage.maintenance.readonly.enabled} is set in the current
   *     configuration
   */
  public synchronized boolean readOnly() {
    return readOnly;
  }

  /**
   * @return the registry executable in use
   */
  public Path binary() {
    return binary;
  }

  /**
   * @return the generated {@code config.yml}
   */
  public Path configFile() {
    return configFile;
  }

  /**
   * @return the filesystem storage root ({@code storage.filesystem.rootdirectory})
   */
  public Path storageDir() {
    return storageDir;
  }

  /**
   * @return the file receiving the registry's stdout and stderr, appended to across restarts
   */
  public Path logFile() {
    return logFile;
  }

  /**
   * @return whether the registry process is alive
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the registry on the same port and storage if it is not running; no-op if it is.
   *
   * @throws IllegalStateException if it does not answer {@code GET /v2/} within the start timeout
   *     (the message holds the tail of the log), or if this instance is closed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("registry process is closed");
    }
    if (isRunning()) {
      return;
    }
    writeConfig();
    launch(false);
  }

  /**
   * Stops the registry: SIGTERM, then SIGKILL if it has not exited after 10 seconds. Data stays.
   * No-op if it is not running.
   */
  public synchronized void stop() {
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    terminate(p);
  }

  /**
   * Rewrites the configuration with these storage options and restarts the registry (starting it if
   * it was stopped) on the same port and storage.
   *
   * @param deleteEnabled {@code storage.delete.enabled}; when false, manifest and blob DELETE
   *     answer 405 {@code UNSUPPORTED}
   * @param readOnly {@code storage.maintenance.readonly.enabled}; when true, every write answers
   *     405
   * @throws IllegalStateException if the registry does not come back up
   */
  public synchronized void restartWith(boolean deleteEnabled, boolean readOnly) {
    stop();
    this.deleteEnabled = deleteEnabled;
    this.readOnly = readOnly;
    start();
  }

  /**
   * Rewrites the configuration with these storage options; a running registry is restarted so they
   * take effect, a stopped one stays stopped.
   *
   * @param deleteEnabled {@code storage.delete.enabled}
   * @param readOnly {@code storage.maintenance.readonly.enabled}
   * @throws IllegalStateException if a running registry does not come back up
   */
  public synchronized void reconfigure(boolean deleteEnabled, boolean readOnly) {
    boolean wasRunning = isRunning();
    stop();
    this.deleteEnabled = deleteEnabled;
    this.readOnly = readOnly;
    writeConfig();
    if (wasRunning) {
      start();
    }
  }

  /**
   * Runs {@code <binary> garbage-collect [--dry-run] config.yml} (never {@code --delete-untagged},
   * which on 2.8 deletes untagged children of tagged indexes). Garbage collection is
   * stop-the-world, so a running registry is stopped first and started again afterwards, also when
   * collection fails.
   *
   * @param dryRun pass {@code --dry-run}: report what would be deleted, delete nothing
   * @return exit code and combined output
   * @throws IllegalStateException if the command exits non-zero or outlives the GC timeout (default
   *     2 minutes; the message holds its output), or if this instance is closed
   */
  public synchronized GcResult garbageCollect(boolean dryRun) {
    if (closed) {
      throw new IllegalStateException("registry process is closed");
    }
    boolean wasRunning = isRunning();
    stop();
    writeConfig();
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "garbage-collect"));
      if (dryRun) {
        command.add("--dry-run");
      }
      command.add(configFile.toString());
      Path output = Files.createTempFile(workDir, "gc-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      pb.environment().putAll(environment);
      Process gc = pb.start();
      LIVE.add(gc);
      try {
        boolean finished = gc.waitFor(gcTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          gc.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          throw new IllegalStateException(
              "garbage-collect did not finish within "
                  + gcTimeout
                  + ": "
                  + String.join(" ", command)
                  + "\n"
                  + tail(output, 0));
        }
      } finally {
        LIVE.remove(gc);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      GcResult result = new GcResult(gc.exitValue(), text, dryRun);
      if (result.exitCode() != 0) {
        throw new IllegalStateException(
            "garbage-collect exited with "
                + result.exitCode()
                + ": "
                + String.join(" ", command)
                + "\n"
                + text);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run garbage-collect", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during garbage-collect", e);
    } finally {
      if (wasRunning) {
        start();
      }
    }
  }

  /**
   * Sums the sizes of all regular files under {@link #storageDir()}: blobs, link files and upload
   * leftovers. Garbage collection lowers it; deleting a manifest over HTTP barely does (it removes
   * only link files).
   *
   * @return bytes on disk, excluding directory entries
   */
  public long storageBytes() {
    try (Stream<Path> files = Files.walk(storageDir)) {
      return files.map(RegistryProcess::regularFileSize).mapToLong(Long::longValue).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("could not measure " + storageDir, e);
    }
  }

  /** Stops the registry and deletes its directory (storage, config, log). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    deleteRecursively(workDir);
  }

  @Override
  public String toString() {
    return "RegistryProcess["
        + hostPort()
        + ", auth="
        + auth
        + ", deleteEnabled="
        + deleteEnabled
        + ", readOnly="
        + readOnly
        + ", running="
        + isRunning()
        + ", dir="
        + workDir
        + "]";
  }

  // --- process control ---------------------------------------------------------------------

  /** Starts the process and waits until it answers; picks a new port per attempt if allowed. */
  private void launch(boolean mayChangePort) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      if (mayChangePort && attempt > 1) {
        port = freeLoopbackPort();
        writeConfig();
      }
      long logOffset = logSize();
      Process p;
      try {
        ProcessBuilder pb =
            new ProcessBuilder(binary.toString(), "serve", configFile.toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        pb.environment().putAll(environment);
        p = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start " + binary, e);
      }
      LIVE.add(p);
      process = p;
      try {
        awaitReady(p);
        return;
      } catch (IllegalStateException e) {
        stop();
        last =
            new IllegalStateException(
                e.getMessage() + "\n--- " + logFile + " ---\n" + tail(logFile, logOffset),
                e.getCause());
        // Another process may have taken the port between our probe and the registry's bind;
        // on a restart keep the port (clients hold the URL) and just try again shortly.
        if (!tail(logFile, logOffset).contains("address already in use")) {
          throw last;
        }
        sleep(Duration.ofMillis(200L * attempt));
      }
    }
    throw Objects.requireNonNull(last);
  }

  private void awaitReady(Process p) {
    if (tls != null) {
      awaitListening(p);
      return;
    }
    int expected = auth ? 401 : 200;
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    String lastOutcome = "no answer";
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "registry exited with code " + p.exitValue() + " before answering on " + hostPort());
      }
      // Race the probe against process exit: if the registry failed to bind, whoever holds the
      // port may accept the connection and never answer.
      CompletableFuture<HttpResponse<Void>> answer =
          PROBE.sendAsync(probe, HttpResponse.BodyHandlers.discarding());
      try {
        CompletableFuture.anyOf(answer, p.onExit()).get(3, TimeUnit.SECONDS);
        if (answer.isDone()) {
          int status = answer.join().statusCode();
          if (status == expected) {
            return;
          }
          lastOutcome = "GET /v2/ answered " + status + ", expected " + expected;
        }
      } catch (ExecutionException | CompletionException e) {
        lastOutcome = String.valueOf(e.getCause());
      } catch (TimeoutException e) {
        lastOutcome = "GET /v2/ timed out";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the registry", e);
      } finally {
        answer.cancel(true);
      }
      sleep(Duration.ofMillis(50));
    }
    throw new IllegalStateException(
        "registry on "
            + hostPort()
            + " not ready within "
            + startTimeout
            + " ("
            + lastOutcome
            + ")");
  }

  /**
   * With TLS (and perhaps a required client certificate) an HTTP probe would need the test's
   * certificates; a TCP connect to the port shows the registry has bound it, which is enough.
   */
  private void awaitListening(Process p) {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "registry exited with code " + p.exitValue() + " before listening on " + hostPort());
      }
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException e) {
        sleep(Duration.ofMillis(50));
      }
    }
    throw new IllegalStateException(
        "registry on " + hostPort() + " not listening within " + startTimeout);
  }

  private static void terminate(Process p) {
    try {
      p.destroy();
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(p);
    }
  }

  // --- files -------------------------------------------------------------------------------

  private void writeConfig() {
    StringBuilder yaml =
        new StringBuilder()
            .append("version: 0.1\n")
            .append("log:\n")
            .append("  level: info\n")
            .append("  fields:\n")
            .append("    service: registry\n")
            // No blobdescriptor cache: an in-memory cache would outlive nothing here, but it can
            // answer for blobs that garbage collection removed while the registry stayed up.
            .append("storage:\n")
            .append("  filesystem:\n")
            .append("    rootdirectory: ")
            .append(quote(storageDir.toString()))
            .append('\n')
            .append("  delete:\n")
            .append("    enabled: ")
            .append(deleteEnabled)
            .append('\n')
            .append("  maintenance:\n")
            .append("    uploadpurging:\n")
            .append("      enabled: false\n")
            .append("    readonly:\n")
            .append("      enabled: ")
            .append(readOnly)
            .append('\n')
            .append("http:\n")
            .append("  addr: ")
            .append(quote(hostPort()))
            .append('\n')
            // A fixed secret keeps upload URLs valid across restarts and silences a warning.
            .append("  secret: ")
            .append(quote(httpSecret))
            .append('\n')
            .append("  headers:\n")
            .append("    X-Content-Type-Options: [nosniff]\n");
    if (tls != null) {
      yaml.append("  tls:\n")
          .append("    certificate: ")
          .append(quote(tls.certificate().toString()))
          .append('\n')
          .append("    key: ")
          .append(quote(tls.key().toString()))
          .append('\n');
      if (!tls.clientCas().isEmpty()) {
        yaml.append("    clientcas:\n");
        tls.clientCas()
            .forEach(ca -> yaml.append("      - ").append(quote(ca.toString())).append('\n'));
      }
    }
    if (auth) {
      yaml.append("auth:\n")
          .append("  htpasswd:\n")
          .append("    realm: ")
          .append(quote("registry-reactive-it"))
          .append('\n')
          .append("    path: ")
          .append(quote(htpasswdFile.toString()))
          .append('\n');
    }
    if (!extraConfig.isBlank()) {
      yaml.append(extraConfig.endsWith("\n") ? extraConfig : extraConfig + "\n");
    }
    try {
      Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + configFile, e);
    }
  }

  private long logSize() {
    try {
      return Files.size(logFile);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The last {@value #LOG_TAIL_CHARS} characters of {@code file} written after {@code from}. */
  private static String tail(Path file, long from) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(from, raf.length() - LOG_TAIL_CHARS);
      byte[] bytes = new byte[(int) Math.max(0, raf.length() - start)];
      raf.seek(start);
      raf.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e + ")";
    }
  }

  private static long regularFileSize(Path path) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      return attributes.isRegularFile() ? attributes.size() : 0L;
    } catch (IOException e) {
      return 0L; // removed while walking
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }

  // --- small helpers -----------------------------------------------------------------------

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  private static String randomToken(int length) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return token.toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Result of {@link RegistryProcess#garbageCollect(boolean)}.
   *
   * @param exitCode the command's exit code (always 0 when returned; failures throw)
   * @param output combined stdout and stderr
   * @param dryRun whether {@code --dry-run} was passed
   */
  public record GcResult(int exitCode, String output, boolean dryRun) {

    /**
     * The "N blobs and M manifests eligible for deletion" count of blobs, parsed from the summary
     * line distribution 2.8 prints.
     *
     * @return blobs eligible for deletion, or empty if the output has no summary line
     */
    public OptionalInt eligibleBlobs() {
      return summaryGroup(2);
    }

    /**
     * The count of manifests eligible for deletion from the same summary line.
     *
     * @return manifests eligible for deletion, or empty if the output has no summary line
     */
    public OptionalInt eligibleManifests() {
      return summaryGroup(3);
    }

    private OptionalInt summaryGroup(int group) {
      Matcher m = GC_SUMMARY.matcher(output);
      return m.find() ? OptionalInt.of(Integer.parseInt(m.group(group))) : OptionalInt.empty();
    }
  }

  /**
   * Configures and starts a {@link RegistryProcess}. Not thread-safe; every setter returns this
   * builder.
   */
  public static final class Builder {
    private String username = "tester";
    private @Nullable String password;
    private boolean deleteEnabled = true;
    private boolean readOnly;
    private boolean auth = true;
    private String extraConfig = "";
    private final Map<String, String> environment = new LinkedHashMap<>();
    private @Nullable Path binary;
    private Duration startTimeout = Duration.ofSeconds(15);
    private Duration gcTimeout = Duration.ofMinutes(2);
    private @Nullable Tls tls;

    private Builder() {}

    /**
     * @param username basic-auth user; default {@code tester}
     * @return this builder
     * @throws IllegalArgumentException if it is empty or holds {@code :}
     */
    public Builder username(String username) {
      if (username.isEmpty() || username.contains(":") || username.contains("\n")) {
        throw new IllegalArgumentException(
            "htpasswd user name must be non-empty without ':' or newline");
      }
      this.username = username;
      return this;
    }

    /**
     * @param password basic-auth password; default a random 24-character token
     * @return this builder
     */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * @param deleteEnabled {@code storage.delete.enabled}; default {@code true}
     * @return this builder
     */
    public Builder deleteEnabled(boolean deleteEnabled) {
      this.deleteEnabled = deleteEnabled;
      return this;
    }

    /**
     * @param readOnly {@code storage.maintenance.readonly.enabled}; default {@code false}
     * @return this builder
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * @param auth require htpasswd basic auth; default {@code true}
     * @return this builder
     */
    public Builder auth(boolean auth) {
      this.auth = auth;
      return this;
    }

    /**
     * Appends YAML to the generated configuration. It must consist of top-level sections the
     * generated file does not already have ({@code version, log, storage, http, auth}), e.g. {@code
     * validation:} or {@code notifications:}; to change a nested value of those use {@link
     * #environment(String, String)} with a {@code REGISTRY_...} override instead.
     *
     * @param yaml top-level YAML lines; default none
     * @return this builder
     */
    public Builder extraConfig(String yaml) {
      this.extraConfig = Objects.requireNonNull(yaml, "yaml");
      return this;
    }

    /**
     * Sets an environment variable for the registry process, e.g. {@code REGISTRY_LOG_LEVEL=debug}
     * (distribution maps {@code REGISTRY_A_B} to {@code a.b}).
     *
     * @param name variable name
     * @param value its value
     * @return this builder
     */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @param binary the registry executable; default {@link RegistryProcess#findBinary()}
     * @return this builder
     */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /**
     * @param startTimeout how long to wait for {@code GET /v2/} to answer; default 15 seconds
     * @return this builder
     */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /**
     * @param gcTimeout how long {@code garbage-collect} may run; default 2 minutes
     * @return this builder
     */
    public Builder gcTimeout(Duration gcTimeout) {
      this.gcTimeout = Objects.requireNonNull(gcTimeout, "gcTimeout");
      return this;
    }

    /**
     * Serve https ({@code http.tls.certificate}/{@code key}) instead of plain http; with client
     * CAs, require a client certificate signed by one of them ({@code http.tls.clientcas}). Default
     * plain http. With TLS, {@link #start()} waits for the port to accept connections instead of
     * probing {@code GET /v2/}, which would need the client certificate.
     *
     * @param certificate the server certificate chain, PEM
     * @param key the server's private key, PEM
     * @param clientCas CA certificates (PEM) that client certificates must chain to; none for no
     *     mTLS
     * @return this builder
     */
    public Builder tls(Path certificate, Path key, Path... clientCas) {
      this.tls =
          new Tls(
              Objects.requireNonNull(certificate, "certificate"),
              Objects.requireNonNull(key, "key"),
              List.of(clientCas));
      return this;
    }

    /**
     * Creates the directory, config and htpasswd file, starts the registry and waits until it
     * answers {@code GET /v2/} (401 with auth, 200 without). A port taken between choosing and
     * binding it is retried on another port, up to 3 times.
     *
     * @return the running registry; close it
     * @throws IllegalStateException if no binary is found or the registry does not come up (the
     *     message holds the log tail)
     */
    public RegistryProcess start() {
      Path bin =
          binary != null
              ? binary
              : findBinary()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "no registry binary: set "
                                  + BINARY_ENV
                                  + " or put docker-registry on PATH; install with: "
                                  + INSTALL_HINT));
      RegistryProcess registry;
      try {
        registry = new RegistryProcess(this, bin);
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare the registry directory", e);
      }
      try {
        synchronized (registry) {
          registry.port = freeLoopbackPort();
          registry.writeConfig();
          registry.launch(true);
        }
        return registry;
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
    }
  }

  /** The TLS settings of {@link Builder#tls}. */
  private record Tls(Path certificate, Path key, List<Path> clientCas) {}
}
