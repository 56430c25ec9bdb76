package io.registryreactive.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.model.Platform;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the client reads from an image config blob: the creation time and the platform. Tolerant: an
 * absent, malformed or mistyped member gives an empty value, never an exception.
 */
public final class ConfigBlob {

  /**
   * RFC 3339 date-time. Go writes up to nine fraction digits; longer fractions are cut to nine so
   * {@code java.time} can read them.
   */
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d+))?([Zz]|[+-]\\d{2}:\\d{2})");

  private static final ConfigBlob EMPTY = new ConfigBlob(Optional.empty(), Optional.empty());

  private final Optional<Instant> created;
  private final Optional<Platform> platform;

  private ConfigBlob(Optional<Instant> created, Optional<Platform> platform) {
    this.created = created;
    this.platform = platform;
  }

  /**
   * Reads a config blob.
   *
   * @param json the config blob bytes
   * @return what could be read; empty values if the bytes are not a JSON object
   */
  public static ConfigBlob parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (IOException | RuntimeException e) {
      return EMPTY;
    }
    if (root == null || !root.isObject()) {
      return EMPTY;
    }
    return new ConfigBlob(created(root), platform(root));
  }

  /**
   * The config's top-level {@code created} time.
   *
   * @param json the config blob bytes
   * @return the creation time, or empty if absent or not an RFC 3339 date-time
   */
  public static Optional<Instant> parseCreated(byte[] json) {
    return parse(json).created();
  }

  /**
   * The config's {@code os}, {@code architecture}, {@code variant} and {@code os.version}.
   *
   * @param json the config blob bytes
   * @return the platform, or empty if the config states neither os nor architecture
   */
  public static Optional<Platform> parsePlatform(byte[] json) {
    return parse(json).platform();
  }

  /**
   * Reads an RFC 3339 date-time such as {@code 2024-05-01T12:30:00.123456789Z} or {@code
   * 2024-05-01T14:30:00+02:00}. Also used for the {@code org.opencontainers.image.created}
   * annotation. Reproducible builds write {@code 1970-01-01T00:00:00Z} and some tools Go's zero
   * time {@code 0001-01-01T00:00:00Z}; both are returned as they are.
   *
   * @param text the text
   * @return the instant, or empty if the text is not an RFC 3339 date-time
   */
  public static Optional<Instant> parseTimestamp(String text) {
    Matcher m = RFC_3339.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    String digits = m.group(3);
    String fraction = digits == null ? "" : "." + digits.substring(0, Math.min(9, digits.length()));
    String offset = m.group(4).equalsIgnoreCase("z") ? "Z" : m.group(4);
    try {
      return Optional.of(
          OffsetDateTime.parse(
                  m.group(1) + "T" + m.group(2) + fraction + offset,
                  DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant());
    } catch (DateTimeException e) {
      // Matches the shape but not the calendar, such as month 13 or February 30.
      return Optional.empty();
    }
  }

  /**
   * The creation time.
   *
   * @return the {@code created} member, or empty if absent or unreadable
   */
  public Optional<Instant> created() {
    return created;
  }

  /**
   * The platform the image was built for.
   *
   * @return the platform, or empty if the config states neither os nor architecture
   */
  public Optional<Platform> platform() {
    return platform;
  }

  private static Optional<Instant> created(JsonNode root) {
    JsonNode node = root.get("created");
    return node != null && node.isTextual() ? parseTimestamp(node.textValue()) : Optional.empty();
  }

  private static Optional<Platform> platform(JsonNode root) {
    String os = text(root, "os");
    String architecture = text(root, "architecture");
    if (os.isEmpty() && architecture.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Platform(architecture, os, text(root, "variant"), text(root, "os.version")));
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() ? node.textValue() : "";
  }
}
