package io.registryreactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.registryreactive.ReactiveRegistryClient;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Human forms the text output shares: sizes, a version-aware order, SDK wording translated to
 * flags.
 */
final class Readable {
  private Readable() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @return {@code 512 B}, {@code 1.2 MiB}: binary units, one decimal (exact bytes are in the JSON
   *     output)
   */
  static String size(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /**
   * Names in the order people expect of versions: runs of digits compare as numbers (1.9 before
   * 1.10, v2 before v10), the rest as text; equal-looking names ("01" and "1") fall back to text
   * order so the order is total.
   */
  static final Comparator<String> VERSION_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          char ca = a.charAt(i);
          char cb = b.charAt(j);
          if (Character.isDigit(ca) && Character.isDigit(cb)) {
            int ei = i;
            while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
              ei++;
            }
            int ej = j;
            while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
              ej++;
            }
            String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
            String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
            int c =
                na.length() != nb.length()
                    ? Integer.compare(na.length(), nb.length())
                    : na.compareTo(nb);
            if (c != 0) {
              return c;
            }
            i = ei;
            j = ej;
          } else {
            if (ca != cb) {
              return Character.compare(ca, cb);
            }
            i++;
            j++;
          }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
      };

  /**
   * The SDK words some messages for its Java API; the CLI user typed flags. Applied to every error
   * and warning the CLI prints.
   */
  static String inFlags(String message) {
    return message
        .replace(
            "allowMissingKeep(true) (registry-prune: --allow-missing-keep)", "--allow-missing-keep")
        .replace(
            "(keep, keepTags, deleteOnlyTags, keepLast, keepNewerThan) or allowDeleteAll(true)",
            "(--keep, --keep-file, --keep-tags, --delete-tags, --keep-last, --keep-newer-than) or --allow-delete-all")
        .replace("allowDeleteAll(true)", "--allow-delete-all")
        .replace("allowMissingKeep(true)", "--allow-missing-keep")
        .replace("deleteAttachedArtifacts(true)", "--delete-attached")
        .replace("deleteUntagged(true)", "--untagged")
        .replace("(untaggedMinAge)", "(--untagged-min-age)")
        .replace("(Pruner.withStorage)", "(--registry-config)");
  }

  /**
   * What an image's config blob tells: its creation time, platform and labels (each absent if the
   * config lacks it).
   */
  record ImageConfig(
      Optional<String> created, Optional<String> platform, Map<String, String> labels) {
    static final ImageConfig NONE = new ImageConfig(Optional.empty(), Optional.empty(), Map.of());
  }

  /**
   * Reads an image's config blob; an unreadable or unparsable config yields {@link
   * ImageConfig#NONE}.
   */
  static Mono<ImageConfig> config(
      ReactiveRegistryClient client, String repository, String configDigest) {
    return client
        .blob(repository, configDigest)
        .map(Readable::parseConfig)
        .onErrorResume(e -> Mono.just(ImageConfig.NONE));
  }

  static ImageConfig parseConfig(byte[] bytes) {
    try {
      JsonNode root = JSON.readTree(bytes);
      Optional<String> created = text(root.path("created"));
      Optional<String> os = text(root.path("os"));
      Optional<String> arch = text(root.path("architecture"));
      Optional<String> variant = text(root.path("variant"));
      Optional<String> platform =
          os.isPresent() || arch.isPresent()
              ? Optional.of(
                  os.orElse("?") + "/" + arch.orElse("?") + variant.map(v -> "/" + v).orElse(""))
              : Optional.empty();
      Map<String, String> labels = new LinkedHashMap<>();
      root.path("config")
          .path("Labels")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      return new ImageConfig(created, platform, labels);
    } catch (IOException | RuntimeException e) {
      return ImageConfig.NONE;
    }
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }
}
