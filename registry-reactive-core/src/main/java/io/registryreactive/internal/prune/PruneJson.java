package io.registryreactive.internal.prune;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.registryreactive.internal.json.Json;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes plans and reports as JSON. Field names are the record component names, in declaration
 * order, so the format is as stable as the public records; times are ISO-8601 UTC, durations
 * ISO-8601, absent optionals {@code null}.
 */
public final class PruneJson {

  private PruneJson() {}

  /**
   * @param value a plan or report (any record tree of strings, numbers, booleans, enums, times,
   *     optionals, lists and maps)
   * @return indented JSON
   */
  public static String write(Object value) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Object tree(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Optional<?> o) {
      return o.map(PruneJson::tree).orElse(null);
    }
    if (value instanceof Instant || value instanceof Duration || value instanceof Enum<?>) {
      return value.toString();
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>(c.size());
      c.forEach(v -> out.add(tree(v)));
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), tree(v)));
      return out;
    }
    if (value instanceof Record r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          out.put(rc.getName(), tree(rc.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + rc, e);
        }
      }
      return out;
    }
    return value;
  }
}
