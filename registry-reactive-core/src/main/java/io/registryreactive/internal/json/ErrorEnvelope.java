package io.registryreactive.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.model.RegistryError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the registry errors from an error response body, tolerating whatever proxies and registries
 * actually send.
 *
 * <ul>
 *   <li>{@code {"errors":[{"code","message","detail"}]}}: one {@link RegistryError} per object
 *       entry; {@code detail} may be any JSON and is kept as JSON text.
 *   <li>Docker Hub's {@code {"message":"..."}} or {@code {"details":"..."}}: one error with code
 *       {@code UNKNOWN}.
 *   <li>Anything else (plain text, HTML, empty, invalid or other JSON): no errors.
 * </ul>
 */
public final class ErrorEnvelope {

  private ErrorEnvelope() {}

  /**
   * Reads the errors of a response body. Never throws for any body.
   *
   * @param body the response body, possibly empty or not JSON
   * @return the errors in body order; empty if the body holds none in a known form
   */
  public static List<RegistryError> parse(byte[] body) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (IOException | RuntimeException e) {
      // Not JSON: an HTML page from a proxy, "404 page not found", a truncated body.
      return List.of();
    }
    if (root == null || !root.isObject()) {
      return List.of();
    }
    JsonNode errors = root.get("errors");
    if (errors != null && (errors.isArray() || errors.isObject())) {
      List<RegistryError> result = new ArrayList<>();
      for (JsonNode entry : errors.isArray() ? errors : List.of(errors)) {
        if (entry.isObject()) {
          result.add(
              new RegistryError(
                  scalar(entry.get("code")),
                  text(entry.get("message")),
                  json(entry.get("detail"))));
        }
      }
      return List.copyOf(result);
    }
    String message = text(root.get("message"));
    String details = text(root.get("details"));
    if (!message.isEmpty()) {
      return List.of(new RegistryError("UNKNOWN", message, json(root.get("details"))));
    }
    if (!details.isEmpty()) {
      return List.of(new RegistryError("UNKNOWN", details, ""));
    }
    return List.of();
  }

  /** A code: strings and other scalars as text; objects, arrays and absent members as empty. */
  private static String scalar(JsonNode node) {
    return node == null || !node.isValueNode() || node.isNull() ? "" : node.asText();
  }

  /** A message: scalars as text, anything else as its JSON. */
  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return "";
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** A detail: any JSON value as JSON text, so callers can parse it again. */
  private static String json(JsonNode node) {
    return node == null || node.isNull() ? "" : node.toString();
  }
}
