package io.registryreactive.internal.auth;

import java.nio.file.Path;
import java.util.Map;

/**
 * Process environments for the credential-file search, for the tests here and the stored-
 * credentials integration test: the variables that say where Docker's and Podman's files live.
 */
public final class TestEnvironments {
  private TestEnvironments() {}

  /**
   * An environment whose {@code HOME} is {@code dir/home} and whose {@code XDG_RUNTIME_DIR} is
   * {@code dir/run} (where Podman keeps {@code containers/auth.json}).
   *
   * @param dir the test's temporary directory
   * @return the variables
   */
  public static Map<String, String> homeAndRuntimeDirUnder(Path dir) {
    return Map.of(
        "HOME", dir.resolve("home").toString(), "XDG_RUNTIME_DIR", dir.resolve("run").toString());
  }
}
