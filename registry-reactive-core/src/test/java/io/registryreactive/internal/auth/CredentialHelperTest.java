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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class CredentialHelperTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;

  @Test
  void get_whenHelperHasCredentials_returnsThemAndSendsServerUrlOnStdin() throws Exception {
    writeAnswering(dir, "store", "alice", "s3cret");

    Optional<StoredCredentials> credentials = runner(dir, TIMEOUT).get("store", "ghcr.io");

    assertThat(credentials).contains(new StoredCredentials("alice", "s3cret", false));
    assertThat(stdinOf(dir, "store")).isEqualTo("ghcr.io");
  }

  @Test
  void get_whenUsernameIsTokenMarker_marksSecretAsIdentityToken() throws Exception {
    writeAnswering(dir, "acr", "<token>", "refresh-abc");

    assertThat(runner(dir, TIMEOUT).get("acr", "myreg.azurecr.io"))
        .contains(new StoredCredentials("<token>", "refresh-abc", true));
  }

  @Test
  void get_whenHelperSaysNotFoundOnStdout_returnsEmpty() throws Exception {
    write(dir, "store", "echo 'credentials not found in native keychain'; exit 1");

    assertThat(runner(dir, TIMEOUT).get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenHelperSaysNotFoundOnStderr_returnsEmpty() throws Exception {
    write(dir, "store", "echo 'Credentials not found' >&2; exit 3");

    assertThat(runner(dir, TIMEOUT).get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenSecretEmpty_returnsEmpty() throws Exception {
    writeAnswering(dir, "store", "alice", "");

    assertThat(runner(dir, TIMEOUT).get("store", "ghcr.io")).isEmpty();
  }

  @Test
  void get_whenHelperFails_throwsNamingHelperStatusAndReason() throws Exception {
    write(dir, "pass", "echo 'pass store is locked' >&2; exit 2");

    assertThatThrownBy(() -> runner(dir, TIMEOUT).get("pass", "ghcr.io"))
        .isExactlyInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-pass")
        .hasMessageContaining("status 2")
        .hasMessageContaining("pass store is locked");
  }

  @Test
  void get_whenFailingHelperPrintsJson_keepsTheOutputOutOfTheMessage() throws Exception {
    write(dir, "leaky", "printf '%s' '{\"Username\":\"alice\",\"Secret\":\"s3cret\"}'; exit 1");

    assertThatThrownBy(() -> runner(dir, TIMEOUT).get("leaky", "ghcr.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-leaky")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void get_whenHelperExitsZeroWithGarbage_throwsProtocolExceptionWithoutOutput() throws Exception {
    write(dir, "odd", "printf '%s' 'Username=alice Secret=s3cret'");

    assertThatThrownBy(() -> runner(dir, TIMEOUT).get("odd", "ghcr.io"))
        .isInstanceOf(RegistryProtocolException.class)
        .hasMessageContaining("docker-credential-odd")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void get_whenHelperNotInstalled_throwsNamingHelper() {
    assertThatThrownBy(() -> runner(dir, TIMEOUT).get("absent", "ghcr.io"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("docker-credential-absent")
        .hasMessageContaining("could not be started");
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

    assertThat(runner(dir, TIMEOUT).get("noisy", "ghcr.io"))
        .contains(new StoredCredentials("alice", "s3cret", false));
  }

  @Test
  void get_whenHelperNameHasPathSeparator_refusesToRunIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> runner(dir, TIMEOUT).get("../../bin/sh", "ghcr.io"));
  }

  @Test
  void constructor_whenTimeoutNotPositive_throwsIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CredentialHelper(name -> List.of("true"), Duration.ZERO));
  }
}
