package io.registryreactive.internal.endpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.registryreactive.RegistryProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the string array of a catalog or tag list with Jackson's streaming parser: a page can hold
 * hundreds of thousands of tags, and a tree model would cost several times the body in memory.
 */
final class ListingJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ListingJson() {}

  /**
   * Reads {@code {"<field>": [strings] | null, ...}}.
   *
   * @param body the response body
   * @param field {@code repositories} or {@code tags}
   * @param what the request, for error messages
   * @return the strings; empty for {@code null}
   * @throws RegistryProtocolException if the body is not such an object
   */
  static List<String> readStringArray(byte[] body, String field, String what) {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed(what, field, "the body is not a JSON object", null);
      }
      List<String> out = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals(name)) {
          p.skipChildren();
          continue;
        }
        if (value == JsonToken.VALUE_NULL) {
          out = new ArrayList<>(0);
        } else if (value == JsonToken.START_ARRAY) {
          out = new ArrayList<>();
          JsonToken t;
          while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
              throw malformed(what, field, "'" + field + "' holds a non-string element", null);
            }
            out.add(p.getText());
          }
        } else {
          throw malformed(what, field, "'" + field + "' is not an array", null);
        }
      }
      if (out == null) {
        throw malformed(what, field, "the body has no '" + field + "' member", null);
      }
      return out;
    } catch (IOException e) {
      throw malformed(what, field, "malformed JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  private static RegistryProtocolException malformed(String what, String field, String why, Throwable cause) {
    return new RegistryProtocolException(what + ": unexpected response (expected {\"" + field + "\": [...]}): " + why,
        cause);
  }
}
