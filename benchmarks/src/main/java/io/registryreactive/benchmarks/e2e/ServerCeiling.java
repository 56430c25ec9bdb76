package io.registryreactive.benchmarks.e2e;

import io.registryreactive.model.MediaTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most manifest look-ups per second the registry serves to 16 kept-alive connections, measured
 * with native load generators that spend almost no CPU of their own.
 *
 * <ul>
 *   <li>{@code wrk} cycles through every tag's manifest URL with the clients' Accept and Basic auth
 *       headers. It sends {@code GET}: wrk 4.1 hangs on {@code HEAD} responses that carry {@code
 *       Content-Length} (wg/wrk#198), and distribution serves GET and HEAD of a manifest with the
 *       same handler, so the server's work is the same.
 *   <li>{@code ab -i} sends real {@code HEAD} requests, but to one URL only (ab cannot vary it).
 * </ul>
 *
 * The ceiling is the higher of the two, so a client is compared with the harder target.
 */
final class ServerCeiling {
  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern WRK_COUNT = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)");
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern WRK_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern AB_RATE = Pattern.compile("Requests per second:\\s+([0-9.]+)");
  private static final Pattern AB_COMPLETE = Pattern.compile("Complete requests:\\s+(\\d+)");
  private static final Pattern AB_FAILED = Pattern.compile("Failed requests:\\s+(\\d+)");
  private static final Pattern AB_NON_2XX = Pattern.compile("Non-2xx responses:\\s+(\\d+)");
  private static final Pattern AB_TIME =
      Pattern.compile("Time taken for tests:\\s+([0-9.]+) seconds");

  private final Path luaScript;
  private final String authorization;
  private final String password;

  /**
   * @param luaScript {@code benchmarks/e2e/manifests.lua}
   * @param authorization the {@code Authorization} header value
   * @param password masked in printed commands
   */
  ServerCeiling(Path luaScript, String authorization, String password) {
    this.luaScript = luaScript;
    this.authorization = authorization;
    this.password = password;
  }

  /**
   * A load generator's result.
   *
   * @param requests requests completed
   * @param seconds test duration
   * @param command the command line, secrets masked
   */
  record Run(long requests, double seconds, String command) {
    double rate() {
      return requests / seconds;
    }
  }

  /**
   * Runs wrk against every tag's manifest URL.
   *
   * @param baseUrl {@code http://127.0.0.1:PORT}
   * @param repository the repository
   * @param tagCount tags {@code t00000 ..} to cycle through
   * @param connections connections (and at most that many requests in flight)
   * @param duration test length
   * @return requests and time
   */
  Run wrk(String baseUrl, String repository, int tagCount, int connections, Duration duration) {
    return wrk(
        baseUrl, List.of(repository, Integer.toString(tagCount), "GET"), connections, duration);
  }

  /**
   * Runs wrk against the manifest URLs of a layout.
   *
   * @param baseUrl {@code http://127.0.0.1:PORT}
   * @param scriptArguments the arguments of {@code manifests.lua} ({@link Layout#wrkArguments()})
   * @param connections connections (and at most that many requests in flight)
   * @param duration test length
   * @return requests and time
   */
  Run wrk(String baseUrl, List<String> scriptArguments, int connections, Duration duration) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                luaScript.toString(),
                baseUrl,
                "--"));
    args.addAll(scriptArguments);
    ExternalCommand command =
        new ExternalCommand(
            args,
            Map.of("E2E_AUTHORIZATION", authorization),
            duration.plusSeconds(60),
            List.of(password, authorization));
    ExternalCommand.Result result = command.runOk();
    String out = result.stdout();
    long non2xx = find(WRK_NON_2XX, out).map(Long::parseLong).orElse(0L);
    Matcher errors = WRK_ERRORS.matcher(out);
    long socketErrors = 0;
    if (errors.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(errors.group(g));
      }
    }
    Matcher count = WRK_COUNT.matcher(out);
    if (!count.find()) {
      throw new IllegalStateException("unexpected wrk output:\n" + out + result.stderr());
    }
    long requests = Long.parseLong(count.group(1));
    double seconds =
        Double.parseDouble(count.group(2))
            * switch (count.group(3)) {
              case "ms" -> 0.001;
              case "m" -> 60;
              default -> 1;
            };
    // A ceiling made of errors would flatter nobody; refuse it.
    if (non2xx > 0 || socketErrors > requests / 100) {
      throw new IllegalStateException(
          "wrk saw "
              + non2xx
              + " non-2xx responses and "
              + socketErrors
              + " socket errors:\n"
              + out);
    }
    find(WRK_RATE, out)
        .orElseThrow(() -> new IllegalStateException("no Requests/sec in wrk output:\n" + out));
    return new Run(requests, seconds, command.display());
  }

  /**
   * Runs {@code ab -k -i} (keep-alive HEAD) against one tag's manifest URL.
   *
   * @param url the manifest URL
   * @param connections concurrent requests
   * @param duration test length
   * @return requests and time
   */
  Run ab(String url, int connections, Duration duration) {
    ExternalCommand command =
        new ExternalCommand(
            List.of(
                "ab",
                "-k",
                "-i",
                "-q",
                "-c",
                Integer.toString(connections),
                "-t",
                Long.toString(duration.toSeconds()),
                "-n",
                "10000000",
                "-s",
                "10",
                "-H",
                "Authorization: " + authorization,
                "-H",
                "Accept: " + MediaTypes.MANIFEST_ACCEPT,
                url),
            Map.of(),
            duration.plusSeconds(60),
            List.of(password, authorization));
    ExternalCommand.Result result = command.runOk();
    String out = result.stdout();
    long complete =
        find(AB_COMPLETE, out)
            .map(Long::parseLong)
            .orElseThrow(
                () -> new IllegalStateException("unexpected ab output:\n" + out + result.stderr()));
    long failed = find(AB_FAILED, out).map(Long::parseLong).orElse(0L);
    long non2xx = find(AB_NON_2XX, out).map(Long::parseLong).orElse(0L);
    if (failed > complete / 100 || non2xx > 0) {
      throw new IllegalStateException(
          "ab saw " + failed + " failed and " + non2xx + " non-2xx:\n" + out);
    }
    double seconds = find(AB_TIME, out).map(Double::parseDouble).orElseThrow();
    find(AB_RATE, out).orElseThrow();
    return new Run(complete - failed, seconds, command.display());
  }

  private static java.util.Optional<String> find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }
}
