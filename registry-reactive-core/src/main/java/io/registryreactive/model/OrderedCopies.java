package io.registryreactive.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Immutable copies that keep the order the registry sent, so output and toString are stable. */
final class OrderedCopies {

  private OrderedCopies() {}

  static Map<String, String> map(Map<String, String> source, String what) {
    if (source.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    source.forEach(
        (key, value) ->
            copy.put(
                Objects.requireNonNull(key, () -> what + " key"),
                Objects.requireNonNull(value, () -> what + " value for " + key)));
    return Collections.unmodifiableMap(copy);
  }
}
