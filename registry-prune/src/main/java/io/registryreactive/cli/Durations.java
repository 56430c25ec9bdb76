package io.registryreactive.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code 30d}, {@code 12h}, {@code 90m}, {@code 2w}, {@code 45s} or ISO-8601 {@code P30D}. */
final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([smhdw])");

  private Durations() {}

  static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        case "d":
          return Duration.ofDays(n);
        default:
          return Duration.ofDays(7 * n);
      }
    }
    try {
      return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid duration '" + text + "': use e.g. 30d, 12h, 90m, 2w or P30D");
    }
  }
}
