package io.registryreactive.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every command gets without declaring it: environment defaults for the connection options (by
 * option name, so a command added later that mixes in {@link ConnectionOptions} inherits them) and
 * the version of the build.
 */
final class CliConventions {
  private CliConventions() {}

  /**
   * Options whose default comes from an environment variable. The password is not here: it is read
   * in {@link ConnectionOptions} (REGISTRY_PASSWORD) so that it never becomes an option value that
   * help, an error message or a default listing could show.
   */
  static final Map<String, String> ENVIRONMENT_DEFAULTS =
      Map.of(
          "--registry", "REGISTRY_URL",
          "--username", "REGISTRY_USERNAME");

  /**
   * Defaults from the run's environment ({@link CliEnvironment}), read when the command line is
   * parsed.
   */
  static final class EnvironmentDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (argSpec instanceof OptionSpec option) {
        String variable = ENVIRONMENT_DEFAULTS.get(option.longestName());
        if (variable != null) {
          return CliEnvironment.variable(variable).orElse(null);
        }
      }
      return null;
    }
  }

  /** The version Maven wrote into {@code version.properties} when it built the jar. */
  static final class BuildVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"registry-prune " + version()};
    }
  }

  /**
   * @return the project version of this build, e.g. {@code 0.1.0-SNAPSHOT}
   */
  static String version() {
    try (InputStream in = CliConventions.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the build");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies the conventions to the top-level command line (picocli passes them to subcommands). */
  static void apply(CommandLine cli) {
    cli.setDefaultValueProvider(new EnvironmentDefaults());
    // Every subcommand's -V tells the same build version as the top-level one.
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null
          && sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().versionProvider(new BuildVersion());
      }
    }
  }
}
