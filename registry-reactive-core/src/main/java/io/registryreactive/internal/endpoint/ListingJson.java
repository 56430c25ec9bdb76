package io.registryreactive.internal.endpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.internal.http.BodyDecoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the string array of a catalog or tag list ({@code {"<field>": [strings] | null, ...}}) with
 * Jackson's non-blocking parser, chunk by chunk as the body arrives: distribution sends every tag
 * of a repository in one response, and a million tags are some 20 MB of JSON that need never be
 * held whole - only the strings are kept.
 */
final class ListingJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ListingJson() {}

  /**
   * Reads a whole body at once (the same parser as {@link #decoder}).
   *
   * @param body the response body
   * @param field {@code repositories} or {@code tags}
   * @param what the request, for error messages
   * @return the strings; empty for {@code null}
   * @throws RegistryProtocolException if the body is not such an object
   */
  static List<String> readStringArray(byte[] body, String field, String what) {
    Reader reader = new Reader(field, what);
    reader.append(body);
    return reader.finish();
  }

  /**
   * A decoder that parses 200 bodies while they arrive and leaves other statuses to be buffered for
   * error mapping.
   *
   * @param field {@code repositories} or {@code tags}
   * @param what the request, for error messages
   * @return the decoder; {@link io.registryreactive.internal.http.RegistryResponse#decoded()} is
   *     the {@code List<String>}
   */
  static BodyDecoder decoder(String field, String what) {
    return status -> status == 200 ? Optional.of(new Reader(field, what)) : Optional.empty();
  }

  /** Incremental parse of one body. */
  private static final class Reader implements BodyDecoder.Decoding {
    private final String field;
    private final String what;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private int depth;
    private boolean expectValue;
    private boolean inArray;
    private boolean sawObject;
    private @Nullable List<String> items;

    Reader(String field, String what) {
      this.field = field;
      this.what = what;
      try {
        this.parser = FACTORY.createNonBlockingByteArrayParser();
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a JSON parser", e);
      }
      this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    @Override
    public void append(byte[] chunk) {
      try {
        feeder.feedInput(chunk, 0, chunk.length);
        drain();
      } catch (IOException e) {
        throw malformed("malformed JSON: " + message(e), e);
      }
    }

    @Override
    public List<String> finish() {
      try {
        feeder.endOfInput();
        drain();
      } catch (IOException e) {
        throw malformed("malformed JSON: " + message(e), e);
      }
      if (!sawObject) {
        throw malformed("the body is not a JSON object", null);
      }
      if (depth != 0) {
        throw malformed("the body ends inside the JSON object", null);
      }
      if (items == null) {
        throw malformed("the body has no '" + field + "' member", null);
      }
      return items;
    }

    private void drain() throws IOException {
      JsonToken t;
      while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
        if (!sawObject) {
          if (t != JsonToken.START_OBJECT) {
            throw malformed("the body is not a JSON object", null);
          }
          sawObject = true;
          depth = 1;
          continue;
        }
        if (depth == 0) {
          throw malformed("unexpected content after the JSON object", null);
        }
        if (inArray) {
          if (t == JsonToken.END_ARRAY) {
            inArray = false;
            depth--;
          } else if (t == JsonToken.VALUE_STRING) {
            items.add(parser.getText());
          } else {
            throw malformed("'" + field + "' holds a non-string element", null);
          }
          continue;
        }
        if (expectValue) {
          expectValue = false;
          if (t == JsonToken.VALUE_NULL) {
            items = new ArrayList<>(0);
          } else if (t == JsonToken.START_ARRAY) {
            items = new ArrayList<>();
            inArray = true;
            depth++;
          } else {
            throw malformed("'" + field + "' is not an array", null);
          }
          continue;
        }
        if (t == JsonToken.FIELD_NAME && depth == 1 && field.equals(parser.currentName())) {
          expectValue = true;
        } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        }
      }
    }

    private RegistryProtocolException malformed(String why, @Nullable Throwable cause) {
      return new RegistryProtocolException(
          what + ": unexpected response (expected {\"" + field + "\": [...]}): " + why, cause);
    }

    private static String message(IOException e) {
      return e instanceof JsonProcessingException j
          ? j.getOriginalMessage()
          : String.valueOf(e.getMessage());
    }
  }
}
