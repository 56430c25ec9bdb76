package io.registryreactive.cli;

import static io.registryreactive.cli.CliRun.OK;
import static io.registryreactive.cli.CliRun.USAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The conventions every command follows: usage, help, examples, environment defaults, completion,
 * version.
 */
@Timeout(60)
class CliConventionsTest {

  @Test
  void noArguments_printsUsageOnStderrAndExits2WithoutStartingTheDemo() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("Usage: registry-prune")
        .contains("Commands:")
        .doesNotContain("Started");
  }

  @Test
  void helpCommand_withACommand_printsThatCommandsHelp() {
    CliRun run = CliRun.of("help", "prune");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out())
        .startsWith("Usage: registry-prune prune")
        .contains("--keep-last")
        .contains("Examples:");
  }

  @Test
  void helpCommand_alone_printsTheTopLevelHelp() {
    CliRun run = CliRun.of("help");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out()).startsWith("Usage: registry-prune").contains("REGISTRY_URL");
  }

  @Test
  void aRunNamingACommand_buildsThatCommandOnly_andItsHelpIsTheSameAsWithEveryCommand() {
    CommandLine every = RegistryPruneCli.commandLine(new String[0]);
    assertThat(every.getSubcommands().keySet())
        .containsExactly(
            "prune",
            "restore",
            "ls",
            "usage",
            "inspect",
            "delete",
            "gc",
            "demo",
            "help",
            "generate-completion");
    for (String name : every.getSubcommands().keySet()) {
      CommandLine lazy = RegistryPruneCli.commandLine(new String[] {name, "--help"});
      if (name.equals("help") || name.equals("generate-completion")) {
        // They read the other commands (help lists them, completion covers them): all are there.
        assertThat(lazy.getSubcommands().keySet()).as(name).hasSize(10);
        continue;
      }
      assertThat(lazy.getSubcommands().keySet()).as(name).containsExactly(name);
      assertThat(lazy.getSubcommands().get(name).getUsageMessage())
          .as(name)
          .isEqualTo(every.getSubcommands().get(name).getUsageMessage());
      assertThat(lazy.getSubcommands().get(name).getCommandSpec().version())
          .as(name)
          .isEqualTo(every.getSubcommands().get(name).getCommandSpec().version());
    }
  }

  @Test
  void aMistypedOrAbsentCommand_isToldAgainstEveryCommand() {
    assertThat(RegistryPruneCli.commandLine(new String[] {"prnue"}).getSubcommands()).hasSize(10);
    assertThat(RegistryPruneCli.commandLine(new String[] {"--help"}).getSubcommands()).hasSize(10);

    CliRun typo = CliRun.of("prnue");

    assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(USAGE);
    assertThat(typo.err()).contains("prune");
    CliRun help = CliRun.of("--help");
    assertThat(help.out())
        .contains("prune", "restore", "ls", "usage", "inspect", "delete", "gc", "demo");
  }

  @Test
  void everyCommandsHelp_hasAnExamplesSectionWithRunnableLines() {
    CommandLine cli = RegistryPruneCli.commandLine(new String[0]);
    for (String name : cli.getSubcommands().keySet()) {
      if (name.equals("help") || name.equals("generate-completion")) {
        continue;
      }
      CliRun run = CliRun.of(name, "--help");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
      String examples = run.out().substring(run.out().indexOf("Examples:") + 1);
      assertThat(run.out()).as(name).contains("\nExamples:\n");
      assertThat(examples.lines().skip(1).filter(l -> !l.isBlank()))
          .as(name)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).contains("registry-prune " + name));
    }
  }

  @Test
  void version_isTheBuildsProjectVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher parent =
        Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
    assertThat(parent.find()).isTrue();

    CliRun top = CliRun.of("-V");
    CliRun sub = CliRun.of("prune", "--version");

    assertThat(top.exitCode()).as(top.toString()).isEqualTo(OK);
    assertThat(top.outLines()).containsExactly("registry-prune " + parent.group(1));
    assertThat(sub.outLines()).containsExactly("registry-prune " + parent.group(1));
  }

  @Test
  void registryUrlFromTheEnvironment_isTheDefaultOfRegistry() {
    // A URL the CLI refuses before any request shows which value it took.
    CliRun run =
        CliRun.withEnvironment(Map.of("REGISTRY_URL", "ftp://from-the-environment:5000"), "ls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err()).contains("--registry").contains("ftp");
  }

  @Test
  void registryOption_overridesTheEnvironment() {
    CliRun run =
        CliRun.withEnvironment(
            Map.of("REGISTRY_URL", "ftp://from-the-environment:5000"),
            "ls",
            "--registry",
            "gopher://from-the-option:70");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err()).contains("gopher").doesNotContain("ftp");
  }

  @Test
  void noRegistryAnywhere_exits2NamingTheOptionAndTheVariable() {
    CliRun run = CliRun.withEnvironment(Map.of(), "ls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err()).isEqualTo("error: --registry URL is required (or set REGISTRY_URL)\n");
  }

  @Test
  void usernameFromTheEnvironment_withoutAPassword_asksForOneNamingRegistryPassword() {
    CliRun run =
        CliRun.withEnvironment(
            Map.of("REGISTRY_URL", "http://127.0.0.1:1", "REGISTRY_USERNAME", "alice"), "ls");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: --username needs a password: --password-stdin, --password-env VAR "
                + "or REGISTRY_PASSWORD\n");
  }

  @Test
  void usernameFromTheEnvironment_yieldsToAnExplicitDockerConfig(@TempDir Path dir)
      throws IOException {
    Path config = Files.writeString(dir.resolve("config.json"), "{\"auths\": {}}");
    CliRun withEnv =
        CliRun.withEnvironment(
            Map.of("REGISTRY_USERNAME", "alice"),
            "ls",
            "--registry",
            "http://127.0.0.1:1",
            "--docker-config",
            config.toString());
    CliRun withOption =
        CliRun.withEnvironment(
            Map.of(),
            "ls",
            "--registry",
            "http://127.0.0.1:1",
            "--docker-config",
            config.toString(),
            "--username",
            "alice");

    // Port 1 refuses the connection after the credential checks pass; an explicit --username with
    // --docker-config is not.
    assertThat(withEnv.err())
        .as(withEnv.toString())
        .doesNotContain("--docker-config cannot be combined");
    assertThat(withOption.err())
        .as(withOption.toString())
        .contains("--docker-config cannot be combined");
  }

  @Test
  void generateCompletion_printsABashAndZshScriptThatBashParses(@TempDir Path dir)
      throws Exception {
    CliRun run = CliRun.of("generate-completion");
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(OK);
    assertThat(run.out())
        .contains("complete -F")
        .contains("prune")
        .contains("--keep-last")
        .contains("ZSH_VERSION");
    Path script =
        Files.writeString(
            dir.resolve("registry-prune_completion"), run.out(), StandardCharsets.UTF_8);

    Process bash =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(output).isZero();

    // Sourced in a real shell, it registers the completion function for the command.
    Process source =
        new ProcessBuilder("bash", "-c", "source " + script + " && complete -p registry-prune")
            .redirectErrorStream(true)
            .start();
    String registered = new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(source.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(source.exitValue()).as(registered).isZero();
    assertThat(registered).contains("registry-prune");
  }

  @Test
  void prune_withoutAKeepRule_namesTheFlagsNotTheBuilderMethods() {
    CliRun run = CliRun.withEnvironment(Map.of(), "prune", "--registry", "http://127.0.0.1:1");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid retention policy: the policy has no keep rule and would delete "
                + "every tag it covers; add a rule (--keep, --keep-file, --keep-tags, --delete-tags, --keep-last, "
                + "--keep-newer-than) or --allow-delete-all\n");
  }

  @Test
  void versionOrder_comparesDigitRunsAsNumbers() {
    List<String> sorted =
        new java.util.ArrayList<>(List.of("v10", "1.10", "v2", "1.9", "latest", "1.09", "01"));
    sorted.sort(Readable.VERSION_ORDER);

    assertThat(sorted).containsExactly("01", "1.09", "1.9", "1.10", "latest", "v2", "v10");
    assertThat(Readable.size(1023)).isEqualTo("1023 B");
    assertThat(Readable.size(1024 * 1024 + 200 * 1024)).isEqualTo("1.2 MiB");
  }
}
