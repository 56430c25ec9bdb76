package io.registryreactive.pruneit;

import io.registryreactive.testkit.RegistryProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests a registry process answered, read from the combined-format access log distribution
 * writes next to its own log ({@code 127.0.0.1 - user [date] "DELETE /v2/... HTTP/1.1" 202 ...}):
 * what the server saw, independent of the client's own counters.
 */
final class AccessLog {
  private static final Pattern LINE =
      Pattern.compile("\"(GET|HEAD|POST|PUT|PATCH|DELETE) (\\S+) HTTP/[\\d.]+\" (\\d{3}) ");

  /** One answered request. */
  record Request(String method, String uri, int status) {}

  private AccessLog() {}

  /**
   * Requests logged so far. The access log line is written as the handler returns, so a caller that
   * just got its response waits briefly for the line.
   */
  static List<Request> requests(RegistryProcess registry) {
    try {
      Thread.sleep(200);
      List<Request> out = new ArrayList<>();
      for (String line : Files.readAllLines(registry.logFile(), StandardCharsets.UTF_8)) {
        Matcher m = LINE.matcher(line);
        if (m.find()) {
          out.add(new Request(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static long count(RegistryProcess registry, String method, String uriPrefix) {
    return requests(registry).stream()
        .filter(r -> r.method().equals(method) && r.uri().startsWith(uriPrefix))
        .count();
  }
}
