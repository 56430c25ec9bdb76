package io.registryreactive.internal.prune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.internal.json.Json;
import io.registryreactive.prune.DigestDecision;
import io.registryreactive.prune.PrunePlan;
import io.registryreactive.prune.RepositoryPlan;
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
 * Writes plans and reports as JSON, and reads plans back. Field names are the record component
 * names, in declaration order, so the format is as stable as the public records; times are ISO-8601
 * UTC, durations ISO-8601, absent optionals {@code null}.
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

  /**
   * Reads a plan {@link #write} wrote. Members it does not know are ignored (a newer writer may add
   * some); members it needs must be present with the right JSON type.
   *
   * @param json the plan's JSON
   * @return the plan
   * @throws IllegalArgumentException naming the first problem: not JSON, or a member missing or
   *     mistyped
   */
  /**
   * Plans written before the date source was recorded have none: read as the old constructor infers
   * it.
   */
  private static DigestDecision.DateSource dateSource(JsonNode d, String at) {
    JsonNode n = d.get("dateSource");
    if (n == null || n.isNull()) {
      return bool(d, "undated", at)
          ? DigestDecision.DateSource.NONE
          : DigestDecision.DateSource.CONFIG;
    }
    try {
      return DigestDecision.DateSource.valueOf(n.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a prune plan: " + at + ": dateSource '" + n.asText() + "' is unknown", e);
    }
  }

  public static PrunePlan readPlan(String json) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a prune plan: not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a prune plan: not a JSON object");
    }
    List<RepositoryPlan> repos = new ArrayList<>();
    for (JsonNode r : array(root, "repositories", "plan")) {
      String repository = text(r, "repository", "repository");
      String where = "repository " + repository;
      List<DigestDecision> decisions = new ArrayList<>();
      for (JsonNode d : array(r, "decisions", where)) {
        String digest = text(d, "digest", where + " decision");
        String at = where + " decision " + digest;
        String action = text(d, "action", at);
        DigestDecision.Action act;
        try {
          act = DigestDecision.Action.valueOf(action);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "not a prune plan: " + at + ": action '" + action + "' is neither DELETE nor KEEP",
              e);
        }
        JsonNode created = d.get("created");
        decisions.add(
            new DigestDecision(
                digest,
                text(d, "mediaType", at),
                strings(d, "tags", at),
                act,
                strings(d, "reasons", at),
                created == null || created.isNull()
                    ? Optional.empty()
                    : Optional.of(instant(d, "created", at)),
                bool(d, "undated", at),
                strings(d, "protectedTags", at),
                strings(d, "children", at),
                strings(d, "attached", at),
                number(d, "sizeBytes", at),
                dateSource(d, at)));
      }
      repos.add(new RepositoryPlan(repository, (int) number(r, "tagsScanned", where), decisions));
    }
    JsonNode t = object(root, "totals", "plan");
    PrunePlan.Totals totals =
        new PrunePlan.Totals(
            (int) number(t, "repositories", "totals"),
            number(t, "tagsScanned", "totals"),
            number(t, "tagsToDelete", "totals"),
            number(t, "tagsKept", "totals"),
            number(t, "digestsToDelete", "totals"),
            number(t, "digestsKept", "totals"),
            number(t, "digestsProtected", "totals"),
            number(t, "undated", "totals"),
            number(t, "reclaimableBytes", "totals"),
            // Plans written before the estimate's caveats were recorded have none.
            t.has("reclaimableUpperBound") && bool(t, "reclaimableUpperBound", "totals"),
            t.has("reclaimableCaveats") ? strings(t, "reclaimableCaveats", "totals") : List.of());
    Map<String, Object> policy =
        Json.mapper()
            .convertValue(
                object(root, "policy", "plan"),
                new com.fasterxml.jackson.core.type.TypeReference<
                    LinkedHashMap<String, Object>>() {});
    return new PrunePlan(
        text(root, "registry", "plan"),
        instant(root, "createdAt", "plan"),
        policy,
        repos,
        totals,
        strings(root, "warnings", "plan"));
  }

  private static JsonNode member(JsonNode node, String name, String where) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("not a prune plan: " + where + " has no '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode node, String name, String where) {
    JsonNode v = member(node, name, where);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not a string");
    }
    return v.asText();
  }

  private static long number(JsonNode node, String name, String where) {
    JsonNode v = member(node, name, where);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not an integer");
    }
    return v.asLong();
  }

  private static boolean bool(JsonNode node, String name, String where) {
    JsonNode v = member(node, name, where);
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not true or false");
    }
    return v.asBoolean();
  }

  private static Instant instant(JsonNode node, String name, String where) {
    String v = text(node, name, where);
    try {
      return Instant.parse(v);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not an ISO-8601 time: " + v, e);
    }
  }

  private static JsonNode object(JsonNode node, String name, String where) {
    JsonNode v = member(node, name, where);
    if (!v.isObject()) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode node, String name, String where) {
    JsonNode v = member(node, name, where);
    if (!v.isArray()) {
      throw new IllegalArgumentException(
          "not a prune plan: " + where + ": '" + name + "' is not an array");
    }
    return v;
  }

  private static List<String> strings(JsonNode node, String name, String where) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : array(node, name, where)) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException(
            "not a prune plan: " + where + ": '" + name + "' holds a non-string");
      }
      out.add(v.asText());
    }
    return out;
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
