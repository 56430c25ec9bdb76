package io.registryreactive.benchmarks.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the requests the registry served, from its access log ({@code 127.0.0.1 - - [..] "GET
 * /v2/.. HTTP/1.1" 200 ..}, one line per request): what a client actually asked, by method and
 * endpoint, whatever the client says about itself.
 */
final class RegistryLog {
  private static final Pattern ACCESS =
      Pattern.compile("\"(GET|HEAD|DELETE|PUT|POST|PATCH) (\\S+) HTTP/1\\.[01]\" (\\d{3}) ");

  private final Path file;

  /**
   * @param file the registry's log file (stdout and stderr of the process)
   */
  RegistryLog(Path file) {
    this.file = file;
  }

  /**
   * @return where the log ends now, to count from
   */
  long mark() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Counts the requests logged since {@code mark}, keyed like {@code "GET manifest"}, {@code "HEAD
   * manifest 404"}, {@code "GET blob"}, {@code "GET tags/list"}, {@code "GET _catalog"}, {@code
   * "DELETE manifest 202"}: the status is in the key unless it is 200.
   *
   * @param mark a value of {@link #mark()}
   * @return the counts; empty if the log could not be read or held no access lines
   */
  Optional<Map<String, Long>> countSince(long mark) {
    if (mark < 0) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long end = in.length();
      if (end <= mark) {
        return Optional.empty();
      }
      byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, end - mark)];
      in.seek(mark);
      in.readFully(bytes);
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        Matcher m = ACCESS.matcher(line);
        if (m.find()) {
          String key = m.group(1) + " " + endpoint(m.group(2));
          if (!m.group(3).equals("200")) {
            key += " " + m.group(3);
          }
          counts.merge(key, 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return counts.isEmpty() ? Optional.empty() : Optional.of(counts);
  }

  private static String endpoint(String uri) {
    String path = uri.replaceFirst("\\?.*", "");
    if (path.equals("/v2/") || path.equals("/v2")) {
      return "/v2/";
    }
    if (path.endsWith("/_catalog")) {
      return "_catalog";
    }
    if (path.endsWith("/tags/list")) {
      return "tags/list";
    }
    for (String kind : new String[] {"manifests", "blobs/uploads", "blobs", "referrers"}) {
      if (path.contains("/" + kind + "/") || path.endsWith("/" + kind)) {
        return kind.equals("manifests") ? "manifest" : kind.equals("blobs") ? "blob" : kind;
      }
    }
    return "other";
  }
}
