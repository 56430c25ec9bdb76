package io.registryreactive.internal.auth;

import static io.registryreactive.internal.auth.FakeCredentialHelpers.runner;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.stdinOf;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.write;
import static io.registryreactive.internal.auth.FakeCredentialHelpers.writeAnswering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.RegistryException;
import io.registryreactive.RegistryProtocolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class CredentialHelperTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** Asks the fake helper for this host's credentials, with the default timeout. */
  private Optional<StoredCredentials> get(String helper, String host) {
    return runner(dir, TIMEOUT).get(helper, host);
  }

  /**
   * Asks the fake helper for ghcr.io's credentials: it must fail with this type, naming the
   * helper's program; for further checks of the message.
   */
  private AbstractThrowableAssert<?, ? extends Throwable> helperFailure(
      String helper, Class<? extends Throwable> type) {
    return assertThatThrownBy(() -> get(helper, "ghcr.io"))
        .isInstanceOf(type)
        .hasMessageContaining("docker-credential-" + helper);
  }

  @Test
  void get_whenHelperHasCredentials_returnsThemAndSendsServerUrlOnStdin() throws Exception {
    writeAnswering(dir, "store", "alice", "s3cret");

    Optional<StoredCredentials> credentials = get("store", "ghcr.io");

    assertThat(credentials).contains(new StoredCredentials("alice", "s3cret", false));
    assertThat(stdinOf(dir, "store")).isEqualTo("ghcr.io");
  }

  @Test
  void get_whenUsernameIsTokenMarker_marksSecretAsIdentityToken() throws Exception {
    writeAnswering(dir, "acr", "<token>", "refresh-abc");

    assertThat(get("acr", "myreg.azurecr.io"))
        .contains(new StoredCredentials("<token>", "refresh-abc", true));
  }

  @Test
  void get_whenHelperSaysNotFoundOnStdout_returnsEmpty() throws Exception {
    write(dir, "store", "echo 'credentials not found in native keychain'; exit 1");

    assertThat(get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenHelperSaysNotFoundOnStderr_returnsEmpty() throws Exception {
    write(dir, "store", "echo 'Credentials not found' >&2; exit 3");

    assertThat(get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenSecretEmpty_returnsEmpty() throws Exception {
    writeAnswering(dir, "store", "alice", "");

    assertThat(get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenHelperFails_throwsNamingHelperStatusAndReason() throws Exception {
    write(dir, "pass", "echo 'pass store is locked' >&2; exit 2");

    helperFailure("pass", RegistryException.class)
        .isExactlyInstanceOf(RegistryException.class)
        .hasMessageContaining("status 2")
        .hasMessageContaining("pass store is locked");
  }

  @Test
  void get_whenFailingHelperPrintsJson_keepsTheOutputOutOfTheMessage() throws Exception {
    write(dir, "leaky", "printf '%s' '{\"Username\":\"alice\",\"Secret\":\"s3cret\"}'; exit 1");

    helperFailure("leaky", RegistryException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void get_whenHelperExitsZeroWithGarbage_throwsProtocolExceptionWithoutOutput() throws Exception {
    write(dir, "odd", "printf '%s' 'Username=alice Secret=s3cret'");

    helperFailure("odd", RegistryProtocolException.class)
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void get_whenHelperNotInstalled_throwsNamingHelper() {
    helperFailure("absent", RegistryException.class).hasMessageContaining("could not be started");
  }

  @Test
  void get_whenHelperHangs_killsItAndItsChildrenAfterTimeout() throws Exception {
    Path pids = dir.resolve("pids");
    write(dir, "slow", "echo $$ > '" + pids + "'; sleep 30 & echo $! >> '" + pids + "'; wait");
    long start = System.nanoTime();

    assertThatThrownBy(() -> runner(dir, Duration.ofMillis(1500)).get("slow", "ghcr.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-slow")
        .hasMessageContaining("did not finish within 1500 ms");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertThat(started).hasSize(2);
    for (long pid : started) {
      // Killing is asynchronous: give the OS a moment before calling a survivor a leak.
      ProcessHandle.of(pid)
          .ifPresent(
              process -> process.onExit().completeOnTimeout(process, 5, TimeUnit.SECONDS).join());
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("process %d", pid)
          .isEmpty();
    }
  }

  @Test
  void get_whenHelperFloodsStderr_stillReadsTheAnswer() throws Exception {
    write(
        dir,
        "noisy",
        "head -c 1000000 /dev/zero | tr '\\0' x >&2; "
            + "printf '%s' '{\"Username\":\"alice\",\"Secret\":\"s3cret\"}'");

    assertThat(get("noisy", "ghcr.io")).contains(new StoredCredentials("alice", "s3cret", false));
  }

  @Test
  void get_whenHelperNameHasPathSeparator_refusesToRunIt() {
    assertThatIllegalArgumentException().isThrownBy(() -> get("../../bin/sh", "ghcr.io"));
  }

  @Test
  void constructor_whenTimeoutNotPositive_throwsIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CredentialHelper(name -> List.of("true"), Duration.ZERO));
  }
}
