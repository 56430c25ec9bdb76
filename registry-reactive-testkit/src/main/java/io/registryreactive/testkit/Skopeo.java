package io.registryreactive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the {@code skopeo} CLI against a test registry, as an independent client to check the SDK
 * against. Credentials go in an auth file ({@code --authfile}), never on the command line, so
 * neither {@code ps} nor a failure message shows them. Every run is bounded by {@link #TIMEOUT}.
 */
public final class Skopeo {

  /** Bound on one skopeo run; on loopback a run takes well under a second. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OUTPUT_EXCERPT = 4_000;

  private final Path binary;
  private final RegistryProcess registry;
  private final Path workDir;
  private final Path authFile;

  private Skopeo(Path binary, RegistryProcess registry, Path workDir) {
    this.binary = binary;
    this.registry = registry;
    this.workDir = workDir;
    this.authFile = workDir.resolve("auth.json");
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    try {
      Files.createFile(
          authFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      JSON.writeValue(
          authFile.toFile(), Map.of("auths", Map.of(registry.hostPort(), Map.of("auth", auth))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A skopeo for the registry, or an aborted test when skopeo is not installed - a failure instead
   * under {@code CI=true} or {@code REQUIRE_REAL_REGISTRY=true}, where skipping would hide the gap.
   *
   * @param registry the registry, whose credentials go in the auth file
   * @param workDir a private directory for the auth file and command output
   * @return the skopeo runner
   * @throws IllegalStateException when skopeo is missing and the environment requires it
   */
  public static Skopeo forRegistry(RegistryProcess registry, Path workDir) {
    Optional<Path> binary = find();
    if (binary.isEmpty()) {
      String message = "skopeo is not on PATH; install it with: sudo apt-get install -y skopeo";
      if ("true".equalsIgnoreCase(System.getenv("CI"))
          || "true".equalsIgnoreCase(System.getenv("REQUIRE_REAL_REGISTRY"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    return new Skopeo(binary.orElseThrow(), registry, workDir);
  }

  /**
   * A skopeo transport reference to this registry.
   *
   * @param reference {@code <repository>:<tag>} or {@code <repository>@<digest>}
   * @return {@code docker://127.0.0.1:PORT/<reference>}
   */
  public String docker(String reference) {
    return "docker://" + registry.hostPort() + "/" + reference;
  }

  /**
   * {@code skopeo inspect}.
   *
   * @param reference {@code <repository>:<tag>} or {@code <repository>@<digest>}
   * @return the parsed JSON, whose {@code Digest} is the top manifest's digest
   */
  public JsonNode inspect(String reference) {
    byte[] out =
        run("inspect", "--tls-verify=false", "--authfile", authFile.toString(), docker(reference));
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new AssertionError("skopeo inspect printed no JSON: " + excerpt(out), e);
    }
  }

  /**
   * {@code skopeo inspect --raw}.
   *
   * @param reference {@code <repository>:<tag>} or {@code <repository>@<digest>}
   * @return the manifest bytes exactly as the registry served them
   */
  public byte[] inspectRaw(String reference) {
    return run(
        "inspect",
        "--raw",
        "--tls-verify=false",
        "--authfile",
        authFile.toString(),
        docker(reference));
  }

  /**
   * {@code skopeo copy [options] <source> <destination>}, with this registry's credentials.
   *
   * @param source a skopeo transport reference, e.g. {@link #docker(String)} or {@code oci:DIR:TAG}
   * @param destination a skopeo transport reference
   * @param options further {@code skopeo copy} options
   */
  public void copy(String source, String destination, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "copy",
                "--quiet",
                "--src-tls-verify=false",
                "--dest-tls-verify=false",
                "--authfile",
                authFile.toString()));
    args.addAll(List.of(options));
    args.add(source);
    args.add(destination);
    run(args.toArray(String[]::new));
  }

  /** Runs skopeo; fails with the command and its output on a non-zero exit or after the timeout. */
  private byte[] run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      Path stdout = Files.createTempFile(workDir, "skopeo-", ".out");
      Path stderr = Files.createTempFile(workDir, "skopeo-", ".err");
      // stdin from /dev/null: skopeo must never wait for a prompt. Output goes to files, not pipes,
      // so a chatty run cannot block on a full pipe buffer.
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      try {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          throw new AssertionError(
              "skopeo did not finish within "
                  + TIMEOUT
                  + ": "
                  + String.join(" ", command)
                  + "\n"
                  + output(stdout, stderr));
        }
      } finally {
        process.destroyForcibly();
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "skopeo exited with "
                + process.exitValue()
                + ": "
                + String.join(" ", command)
                + "\n"
                + output(stdout, stderr));
      }
      return Files.readAllBytes(stdout);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running skopeo", e);
    }
  }

  private static String output(Path stdout, Path stderr) throws IOException {
    return "--- stdout ---\n"
        + excerpt(Files.readAllBytes(stdout))
        + "\n--- stderr ---\n"
        + excerpt(Files.readAllBytes(stderr));
  }

  private static String excerpt(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.length() > OUTPUT_EXCERPT ? text.substring(text.length() - OUTPUT_EXCERPT) : text;
  }

  private static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = dir.isEmpty() ? null : Path.of(dir, "skopeo");
      if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
