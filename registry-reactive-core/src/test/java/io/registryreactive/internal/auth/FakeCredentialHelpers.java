package io.registryreactive.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Writes {@code docker-credential-<name>} shell scripts that stand in for real credential helpers.
 */
final class FakeCredentialHelpers {

  private FakeCredentialHelpers() {}

  /**
   * Writes an executable {@code #!/bin/sh} script named {@code docker-credential-<name>} that first
   * saves its standard input to {@code <name>.stdin} beside it.
   */
  static Path write(Path dir, String name, String body) throws IOException {
    Path script = dir.resolve("docker-credential-" + name);
    String text =
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || { echo \"expected get, got $1\" >&2; exit 64; }\n"
            + "cat > \"$(dirname \"$0\")/"
            + name
            + ".stdin\"\n"
            + body
            + "\n";
    Files.writeString(script, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Writes a script that prints the given credentials as a helper does. */
  static Path writeAnswering(Path dir, String name, String username, String secret)
      throws IOException {
    return write(
        dir,
        name,
        "printf '%s' '{\"ServerURL\":\"x\",\"Username\":\""
            + username
            + "\",\"Secret\":\""
            + secret
            + "\"}'");
  }

  /** What the helper received on standard input. */
  static String stdinOf(Path dir, String name) throws IOException {
    return Files.readString(dir.resolve(name + ".stdin"), StandardCharsets.UTF_8);
  }

  /** A runner that looks helpers up in {@code dir} instead of on PATH. */
  static CredentialHelper runner(Path dir, Duration timeout) {
    return new CredentialHelper(
        name -> List.of(dir.resolve("docker-credential-" + name).toString(), "get"), timeout);
  }
}
