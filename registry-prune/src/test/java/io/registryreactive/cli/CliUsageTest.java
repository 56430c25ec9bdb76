package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static io.registryreactive.cli.CliRun.USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines: each exits 2 with an error on standard error that names the problem, writes
 * nothing to standard output, and sends no request. The {@code --registry} URL points at a local
 * socket that counts connections, so a request that slipped out before validation is noticed even
 * if its failure happened to exit 2 too.
 */
@Timeout(30)
class CliUsageTest {

  private Tripwire registry;
  private String url;

  @BeforeEach
  void openTripwire() throws IOException {
    registry = new Tripwire();
    url = "http://127.0.0.1:" + registry.port();
  }

  @AfterEach
  void closeTripwire() throws IOException {
    registry.close();
  }

  @Test
  void help_whenRequested_exits0AndPrintsUsageOnStdout() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out())
        .contains("Usage: registry-prune")
        .contains("prune")
        .contains("gc")
        .contains("demo")
        .contains("Exit codes:");
  }

  @Test
  void pruneHelp_whenRequested_exits0AndListsThePolicyOptions() {
    CliRun run = CliRun.of("prune", "--help");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out()).contains("--keep-last").contains("--apply").contains("--registry");
  }

  @Test
  void version_whenRequested_exits0AndPrintsTheVersion() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out()).startsWith("registry-prune ");
  }

  @Test
  void ls_whenOptionUnknown_exits2NamingTheOption() {
    assertUsageError(List.of("ls", "--registry", url, "--colour"), "--colour");
  }

  @Test
  void cli_whenCommandUnknown_exits2NamingIt() {
    assertUsageError(List.of("purge", "--registry", url), "purge");
  }

  @Test
  void ls_whenRegistryMissing_exits2NamingTheOption() {
    assertUsageError(List.of("ls"), "--registry");
  }

  @Test
  void ls_whenRegistryNotHttp_exits2SayingWhatIsExpected() {
    assertUsageError(List.of("ls", "--registry", "ftp://127.0.0.1:" + registry.port()), "http://");
  }

  @Test
  void prune_whenKeepHasUppercaseRepository_exits2NamingTheEntry() {
    assertUsageError(prune("--keep", "Bad:Tag"), "\"Bad:Tag\"");
  }

  @Test
  void prune_whenKeepHasShortDigest_exits2NamingTheDigest() {
    assertUsageError(prune("--keep", "app@sha256:short"), "sha256:short");
  }

  @Test
  void prune_whenKeepNamesAnotherRegistry_exits2NamingBothHosts() {
    CliRun run =
        assertUsageError(prune("--keep", "registry.example.com/app:1.0"), "registry.example.com");

    assertThat(run.err()).contains("127.0.0.1:" + registry.port());
  }

  @Test
  void prune_whenKeepTagsRegexInvalid_exits2NamingThePattern() {
    assertUsageError(prune("--keep-tags", "release-[0-9"), "keep-tags pattern 'release-[0-9'");
  }

  @Test
  void prune_whenRepositoryRegexInvalid_exits2NamingThePattern() {
    assertUsageError(
        prune("--keep-last", "3", "--repository", "team/(.*"),
        "repository include pattern 'team/(.*'");
  }

  @Test
  void prune_whenKeepLastZero_exits2() {
    assertUsageError(prune("--keep-last", "0"), "keep-last must be at least 1");
  }

  @Test
  void prune_whenKeepLastNotANumber_exits2NamingTheOption() {
    assertUsageError(prune("--keep-last", "three"), "--keep-last");
  }

  @Test
  void prune_whenKeepNewerThanNotADuration_exits2WithExamples() {
    CliRun run =
        assertUsageError(prune("--keep-newer-than", "banana"), "invalid keep-newer-than 'banana'");

    assertThat(run.err()).contains("30d").contains("6mo").contains("P6M");
  }

  @Test
  void prune_whenKeepNewerThanBareM_exits2SuggestingMoOrMin() {
    assertUsageError(
        prune("--keep-newer-than", "6M"),
        "--keep-newer-than: keep-newer-than '6M' is ambiguous: "
            + "write 6mo for 6 months or 6min for 6 minutes");
  }

  @Test
  void prune_whenKeepNewerThanOverHundredYears_exits2BeforeAnyRequest() {
    assertUsageError(prune("--keep-newer-than", "P999999999999D"), "is more than 100 years");
    assertUsageError(prune("--keep-newer-than", "101y"), "is more than 100 years");
  }

  @Test
  void prune_whenConcurrencyZero_exits2NamingTheOption() {
    assertUsageError(prune("--keep-last", "1", "--concurrency", "0"), "--concurrency");
  }

  @Test
  void prune_whenRateLimitNegative_exits2NamingTheOption() {
    assertUsageError(prune("--keep-last", "1", "--rate-limit", "-1"), "--rate-limit");
  }

  @Test
  void ls_whenTwoPasswordSources_exits2() {
    assertUsageError(
        List.of(
            "ls",
            "--registry",
            url,
            "--username",
            "ci",
            "--password",
            "secret",
            "--password-env",
            "HOME"),
        "one way only");
  }

  @Test
  void ls_whenPasswordWithoutUsername_exits2() {
    assertUsageError(
        List.of("ls", "--registry", url, "--password-env", "HOME"), "without --username");
  }

  @Test
  void ls_whenUsernameWithoutPassword_exits2NamingThePasswordOptions() {
    assertUsageError(List.of("ls", "--registry", url, "--username", "ci"), "--password-stdin");
  }

  @Test
  void ls_whenPasswordEnvVariableUnset_exits2NamingTheVariable() {
    String unset = "REGISTRY_PRUNE_TEST_UNSET_" + UUID.randomUUID().toString().replace('-', '_');
    Assumptions.assumeTrue(System.getenv(unset) == null);

    assertUsageError(
        List.of("ls", "--registry", url, "--username", "ci", "--password-env", unset),
        "environment variable " + unset);
  }

  @Test
  void ls_whenPasswordStdinEmpty_exits2() {
    CliRun run =
        CliRun.withStdin("", "ls", "--registry", url, "--username", "ci", "--password-stdin");

    assertUsage(run, "standard input is empty");
  }

  @Test
  void ls_whenDockerConfigWithUsername_exits2() {
    assertUsageError(
        List.of("ls", "--registry", url, "--docker-config", "/tmp/config.json", "--username", "ci"),
        "--docker-config cannot be combined");
  }

  @Test
  void prune_whenPolicyHasNoRule_exits2AndPointsAtAllowDeleteAll() {
    CliRun run = assertUsageError(prune(), "no keep rule");

    assertThat(run.err()).contains("allowDeleteAll");
  }

  @Test
  void prune_whenKeepFileMissing_exits2NamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("whitelist.txt");

    assertUsageError(prune("--keep-file", missing.toString()), missing.toString());
  }

  @Test
  void prune_whenKeepFileHasBadEntry_exits2NamingTheEntry(@TempDir Path dir) throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("whitelist.txt"), "# releases\nteam/app:1.0\nTeam/App:2.0 # typo\n");

    assertUsageError(prune("--keep-file", file.toString()), "\"Team/App:2.0\"");
  }

  @Test
  void prune_whenKeepFileIsDevZero_exits2AsNotARegularFile() {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero");

    assertUsageError(
        prune("--keep-file", "/dev/zero"), "--keep-file /dev/zero is not a regular file");
  }

  @Test
  void prune_whenKeepFileIsADirectory_exits2SayingSo(@TempDir Path dir) {
    assertUsageError(prune("--keep-file", dir.toString()), "is not a regular file (a directory)");
  }

  @Test
  void prune_whenKeepFileIsAFifo_exits2WithoutBlockingOnIt(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("whitelist.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

    // Opening a FIFO without a writer blocks forever; the class timeout catches a regression.
    assertUsageError(
        prune("--keep-file", fifo.toString()), "is not a regular file (a device, FIFO or socket)");
  }

  @Test
  void prune_whenKeepFileOver16MiB_exits2NamingTheLimit(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("whitelist.txt");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(16L * 1024 * 1024 + 1);
    }

    assertUsageError(prune("--keep-file", big.toString()), "is 16777217 bytes; at most 16 MiB");
  }

  @Test
  void prune_whenKeepFileExactly16MiBOfBadEntries_isReadAndItsEntriesChecked(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("whitelist.txt");
    byte[] content = new byte[16 * 1024 * 1024];
    java.util.Arrays.fill(content, (byte) '#');
    byte[] entry = "\nBad Entry!\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    System.arraycopy(entry, 0, content, content.length - entry.length, entry.length);
    Files.write(file, content);

    assertUsageError(prune("--keep-file", file.toString()), "Bad Entry!");
  }

  @Test
  void prune_whenJournalWithoutApply_exits2() {
    assertUsageError(
        prune("--keep-last", "1", "--journal", "j.jsonl"),
        "--journal records deletions: it needs --apply");
  }

  @Test
  void prune_whenJournalNotWritable_exits2BeforeAnyRequest(@TempDir Path dir) {
    Path journal = dir.resolve("no-such-dir").resolve("j.jsonl");

    assertUsageError(
        prune("--keep-last", "1", "--apply", "--journal", journal.toString()),
        "cannot write --journal " + journal);
  }

  @Test
  void restore_whenJournalLineMalformed_exits2NamingTheLine(@TempDir Path dir) throws IOException {
    Path journal =
        Files.writeString(dir.resolve("j.jsonl"), "\n{\"registry\": \"http://127.0.0.1:1\"}\n");

    assertUsageError(
        List.of("restore", "--registry", url, journal.toString()),
        "line 2 is not a journal entry: missing '");
  }

  @Test
  void restore_whenJournalForAnotherRegistry_exits2NamingBoth(@TempDir Path dir)
      throws IOException {
    Path journal =
        Files.writeString(
            dir.resolve("j.jsonl"), journalLine("http://other.example:5000", "{}") + "\n");

    assertUsageError(
        List.of("restore", "--registry", url, journal.toString()),
        "records registry other.example:5000, not 127.0.0.1:" + registry.port());
  }

  @Test
  void restore_whenManifestBytesDoNotMatchTheDigest_exits2AsDamaged(@TempDir Path dir)
      throws IOException {
    String line = journalLine(url, "{}").replace(sha256Hex("{}"), sha256Hex("{ }"));
    Path journal = Files.writeString(dir.resolve("j.jsonl"), line + "\n");

    assertUsageError(
        List.of("restore", "--registry", url, journal.toString()), "the journal is damaged");
  }

  @Test
  void restore_whenOnlyMatchesNothing_exits2NamingIt(@TempDir Path dir) throws IOException {
    Path journal = Files.writeString(dir.resolve("j.jsonl"), journalLine(url, "{}") + "\n");

    assertUsageError(
        List.of("restore", "--registry", url, journal.toString(), "--only", "team/app:nope"),
        "--only team/app:nope matches no entry");
  }

  private static String journalLine(String registryUrl, String manifest) {
    return "{\"registry\":\""
        + registryUrl
        + "\",\"repository\":\"team/app\",\"digest\":\"sha256:"
        + sha256Hex(manifest)
        + "\",\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"manifest\":\""
        + java.util.Base64.getEncoder()
            .encodeToString(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        + "\",\"tags\":[\"1.0\"],\"recordedAt\":\"2024-01-01T00:00:00Z\"}";
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void prune_whenPlanFileMalformed_exits2(@TempDir Path dir) throws IOException {
    Path plan = Files.writeString(dir.resolve("plan.json"), "{\"registry\": ");

    assertUsageError(
        prune("--plan-file", plan.toString(), "--apply"), "is not a prune plan: not JSON");
  }

  @Test
  void prune_whenPlanFileMissingAMember_exits2NamingIt(@TempDir Path dir) throws IOException {
    Path plan =
        Files.writeString(
            dir.resolve("plan.json"),
            savedPlan("127.0.0.1:" + registry.port(), java.time.Instant.now())
                .replace("\"totals\"", "\"sums\""));

    assertUsageError(prune("--plan-file", plan.toString(), "--apply"), "plan has no 'totals'");
  }

  @Test
  void prune_whenPlanFileForAnotherRegistry_exits2NamingBoth(@TempDir Path dir) throws IOException {
    Path plan =
        Files.writeString(
            dir.resolve("plan.json"), savedPlan("other.example:5000", java.time.Instant.now()));

    assertUsageError(
        prune("--plan-file", plan.toString(), "--apply"),
        "is a plan for registry other.example:5000, not 127.0.0.1:" + registry.port());
  }

  @Test
  void prune_whenPlanFileOlderThanMaxPlanAge_exits2(@TempDir Path dir) throws IOException {
    Path plan =
        Files.writeString(
            dir.resolve("plan.json"),
            savedPlan(
                "127.0.0.1:" + registry.port(),
                java.time.Instant.now().minus(java.time.Duration.ofHours(25))));
    Path recent =
        Files.writeString(
            dir.resolve("recent.json"),
            savedPlan(
                "127.0.0.1:" + registry.port(),
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));

    assertUsageError(
        prune("--plan-file", plan.toString(), "--apply"), "more than --max-plan-age PT24H");
    assertUsageError(
        prune("--plan-file", recent.toString(), "--apply", "--max-plan-age", "90min"),
        "more than --max-plan-age PT1H30M");
  }

  @Test
  void prune_whenPlanFileWithPolicyOptions_exits2NamingThem(@TempDir Path dir) throws IOException {
    Path plan =
        Files.writeString(
            dir.resolve("plan.json"),
            savedPlan("127.0.0.1:" + registry.port(), java.time.Instant.now()));

    assertUsageError(
        prune(
            "--plan-file", plan.toString(), "--apply", "--keep-last", "2", "--keep", "team/app:1"),
        "--plan-file takes the policy from the reviewed plan; do not give --keep, --keep-last too");
  }

  @Test
  void prune_whenMaxPlanAgeAmbiguous_exits2(@TempDir Path dir) throws IOException {
    Path plan =
        Files.writeString(
            dir.resolve("plan.json"),
            savedPlan("127.0.0.1:" + registry.port(), java.time.Instant.now()));

    assertUsageError(
        prune("--plan-file", plan.toString(), "--max-plan-age", "6M"),
        "--max-plan-age: age '6M' is ambiguous");
  }

  private static String savedPlan(String registryHost, java.time.Instant createdAt) {
    return new io.registryreactive.prune.PrunePlan(
            registryHost,
            createdAt,
            java.util.Map.of("keep", List.of("team/app:1.0")),
            List.of(),
            new io.registryreactive.prune.PrunePlan.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0),
            List.of())
        .toJson();
  }

  @Test
  void prune_whenOutputXml_exits2NamingTheValue() {
    CliRun run = assertUsageError(prune("--keep-last", "1", "--output", "xml"), "--output");

    assertThat(run.err()).contains("xml");
  }

  @Test
  void delete_whenStdinNotATerminalAndNoYes_exits2AskingForYes() {
    Assumptions.assumeTrue(System.console() == null, "the test JVM has a terminal");

    CliRun run = CliRun.withStdin("y\n", "delete", "--registry", url, "team/app:1.0");

    assertUsage(run, "--yes");
  }

  @Test
  void gc_whenConfigMissing_exits2NamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("config.yml");

    assertUsageError(List.of("gc", missing.toString()), missing.toString());
  }

  @Test
  void inspect_whenReferenceMalformed_exits2NamingIt() {
    assertUsageError(List.of("inspect", "--registry", url, "team/app:"), "\"team/app:\"");
  }

  @Test
  void delete_whenReferenceMalformed_exits2NamingIt() {
    assertUsageError(
        List.of("delete", "--registry", url, "--yes", "team/app@sha256:abc"), "sha256:abc");
  }

  private List<String> prune(String... options) {
    List<String> args = new ArrayList<>(List.of("prune", "--registry", url));
    args.addAll(List.of(options));
    return args;
  }

  private CliRun assertUsageError(List<String> args, String messagePart) {
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertUsage(run, messagePart);
    return run;
  }

  private void assertUsage(CliRun run, String messagePart) {
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err()).as(run.toString()).startsWith("error: ").contains(messagePart);
    assertThat(run.out()).as(run.toString()).isEmpty();
    assertThat(registry.connections()).as("connections to the registry").isZero();
  }

  /** A loopback listener that counts and drops connections: the CLI must never reach it. */
  private static final class Tripwire implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    Tripwire() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket ignored = socket.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "cli-usage-tripwire");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
