package io.registryreactive.cli;

import io.registryreactive.prune.RetentionAge;

/**
 * Reads {@code --keep-newer-than}: the SDK's {@link RetentionAge#parse} ({@code 30d}, {@code 12h},
 * {@code 90min}, {@code 2w}, {@code 6mo}, {@code 1y}, ISO-8601 {@code P6M}, {@code PT12H}; a bare
 * {@code 6m} is refused as ambiguous, more than 100 years is refused), so the CLI, the SDK and the
 * WebFlux example accept the same forms.
 */
final class Durations {

  private Durations() {}

  static RetentionAge parse(String text) {
    try {
      return RetentionAge.parse(text);
    } catch (IllegalArgumentException e) {
      // Bad input found before any request: exit 2 with the option the user typed.
      throw new IllegalArgumentException("--keep-newer-than: " + e.getMessage(), e);
    }
  }
}
