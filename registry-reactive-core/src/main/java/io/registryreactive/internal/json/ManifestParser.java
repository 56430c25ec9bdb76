package io.registryreactive.internal.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import io.registryreactive.RegistryProtocolException;
import io.registryreactive.model.Descriptor;
import io.registryreactive.model.ImageIndex;
import io.registryreactive.model.ImageManifest;
import io.registryreactive.model.Manifest;
import io.registryreactive.model.MediaTypes;
import io.registryreactive.model.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a manifest body into an {@link ImageManifest} or {@link ImageIndex}.
 *
 * <p>The kind comes from the body's {@code mediaType} member, else from the {@code Content-Type},
 * else from the shape ({@code manifests} makes an index, {@code config} and {@code layers} an image
 * manifest). Unknown members are ignored; JSON {@code null} counts as absent. Schema 1 manifests,
 * malformed JSON, missing required members (config, digest, size, layers, manifests) and members of
 * the wrong type fail with a {@link RegistryProtocolException} naming the manifest and the member.
 *
 * <p>The parser does not hash the body when given a digest: the caller verifies it.
 */
public final class ManifestParser {

  private ManifestParser() {}

  /**
   * Parses a manifest whose digest is not known yet; the digest is the sha256 of {@code body}.
   *
   * @param body the exact response body
   * @param contentType the response's {@code Content-Type}, or empty if it had none
   * @return the manifest
   * @throws RegistryProtocolException if the body is not a manifest this client can use
   */
  public static Manifest parse(byte[] body, String contentType) {
    return parse(body, contentType, Digests.sha256(body));
  }

  /**
   * Parses a manifest.
   *
   * @param body the exact response body
   * @param contentType the response's {@code Content-Type}, or empty if it had none
   * @param digest the digest of {@code body}, already verified by the caller
   * @return the manifest, with {@code digest} as its digest
   * @throws RegistryProtocolException if the body is not a manifest this client can use
   */
  public static Manifest parse(byte[] body, String contentType, String digest) {
    return new Reading(body, digest).manifest(contentType);
  }

  /** One parse: remembers the digest so every failure can name the manifest. */
  private static final class Reading {
    private final byte[] body;
    private final String digest;

    Reading(byte[] body, String digest) {
      this.body = body;
      this.digest = digest;
    }

    Manifest manifest(String contentType) {
      JsonNode root = readRoot();
      int schemaVersion = schemaVersion(root);
      Optional<String> declared = optionalText(root, "mediaType", "");
      if (schemaVersion == 1) {
        throw schema1("schemaVersion 1");
      }
      if (declared.isPresent() && MediaTypes.isSchema1(declared.get())) {
        throw schema1("mediaType " + declared.get());
      }
      if (declared.isEmpty() && MediaTypes.isSchema1(contentType)) {
        throw schema1("Content-Type " + MediaTypes.essence(contentType));
      }

      if (declared.isPresent()) {
        String mediaType = declared.get();
        if (MediaTypes.isIndex(mediaType)) {
          return index(root, mediaType, schemaVersion);
        }
        if (MediaTypes.isImageManifest(mediaType)) {
          return image(root, mediaType, schemaVersion);
        }
        throw fail(
            "its mediaType '"
                + mediaType
                + "' is not an image manifest or index type this"
                + " client supports ("
                + MediaTypes.MANIFEST_ACCEPT
                + ")");
      }
      if (MediaTypes.isIndex(contentType)) {
        return index(root, MediaTypes.essence(contentType), schemaVersion);
      }
      if (MediaTypes.isImageManifest(contentType)) {
        return image(root, MediaTypes.essence(contentType), schemaVersion);
      }
      if (present(root, "manifests")) {
        return index(root, MediaTypes.OCI_INDEX, schemaVersion);
      }
      if (present(root, "config") && present(root, "layers")) {
        Descriptor config = descriptor(root.get("config"), "config");
        String mediaType =
            config.mediaType().equals(MediaTypes.DOCKER_CONFIG)
                ? MediaTypes.DOCKER_MANIFEST_V2
                : MediaTypes.OCI_MANIFEST;
        return image(root, mediaType, schemaVersion);
      }
      String type = contentType.isBlank() ? "no Content-Type" : "Content-Type " + contentType;
      throw fail(
          "it has no mediaType, "
              + type
              + ", and neither 'manifests' nor"
              + " 'config' and 'layers', so it is not an image manifest or index");
    }

    private JsonNode readRoot() {
      JsonNode root;
      try {
        root = Json.mapper().readTree(body);
      } catch (JacksonException e) {
        JsonLocation at = e.getLocation();
        String where =
            at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        throw new RegistryProtocolException(
            "cannot read manifest "
                + digest
                + ": not valid JSON"
                + where
                + ": "
                + e.getOriginalMessage(),
            e);
      } catch (IOException e) {
        throw new RegistryProtocolException("cannot read manifest " + digest + ": " + e, e);
      }
      if (root == null || root.isMissingNode()) {
        throw fail("the body is empty");
      }
      if (!root.isObject()) {
        throw fail("expected a JSON object but the body is " + typeOf(root));
      }
      return root;
    }

    private int schemaVersion(JsonNode root) {
      JsonNode node = root.get("schemaVersion");
      if (node == null || node.isNull()) {
        // OCI requires it, but it carries no information beyond "not schema 1".
        return 2;
      }
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw fail("schemaVersion must be an integer but is " + typeOf(node));
      }
      int version = node.intValue();
      if (version != 1 && version != 2) {
        throw fail("schemaVersion " + version + " is not supported (expected 2)");
      }
      return version;
    }

    private ImageManifest image(JsonNode root, String mediaType, int schemaVersion) {
      JsonNode configNode = required(root, "config", "");
      Descriptor config = descriptor(configNode, "config");
      List<Descriptor> layers = descriptors(root, "layers");
      return new ImageManifest(
          mediaType,
          digest,
          schemaVersion,
          config,
          layers,
          stringMap(root, "annotations", ""),
          subject(root),
          optionalText(root, "artifactType", ""),
          body);
    }

    private ImageIndex index(JsonNode root, String mediaType, int schemaVersion) {
      List<Descriptor> manifests = descriptors(root, "manifests");
      return new ImageIndex(
          mediaType,
          digest,
          schemaVersion,
          manifests,
          stringMap(root, "annotations", ""),
          subject(root),
          optionalText(root, "artifactType", ""),
          body);
    }

    private Optional<Descriptor> subject(JsonNode root) {
      JsonNode node = root.get("subject");
      return node == null || node.isNull()
          ? Optional.empty()
          : Optional.of(descriptor(node, "subject"));
    }

    private List<Descriptor> descriptors(JsonNode root, String field) {
      JsonNode array = required(root, field, "");
      if (!array.isArray()) {
        throw fail(field + " must be an array but is " + typeOf(array));
      }
      List<Descriptor> descriptors = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        descriptors.add(descriptor(array.get(i), field + "[" + i + "]"));
      }
      return descriptors;
    }

    private Descriptor descriptor(JsonNode node, String path) {
      if (!node.isObject()) {
        throw fail(path + " must be an object but is " + typeOf(node));
      }
      String prefix = path + ".";
      String mediaType = optionalText(node, "mediaType", prefix).orElse("");
      String childDigest = requiredText(node, "digest", prefix);
      if (!Digests.isWellFormed(childDigest)) {
        throw fail(path + ".digest '" + shorten(childDigest) + "' is not a valid digest");
      }
      JsonNode sizeNode = required(node, "size", prefix);
      if (!sizeNode.isIntegralNumber()
          || !sizeNode.canConvertToLong()
          || sizeNode.longValue() < 0) {
        throw fail(
            path
                + ".size must be a non-negative integer but is "
                + (sizeNode.isNumber() ? sizeNode.asText() : typeOf(sizeNode)));
      }
      JsonNode platformNode = node.get("platform");
      Optional<Platform> platform =
          platformNode == null || platformNode.isNull()
              ? Optional.empty()
              : Optional.of(platform(platformNode, prefix + "platform"));
      return new Descriptor(
          mediaType,
          childDigest,
          sizeNode.longValue(),
          platform,
          stringMap(node, "annotations", prefix),
          stringList(node, "urls", prefix),
          optionalText(node, "artifactType", prefix));
    }

    private Platform platform(JsonNode node, String path) {
      if (!node.isObject()) {
        throw fail(path + " must be an object but is " + typeOf(node));
      }
      String prefix = path + ".";
      return new Platform(
          optionalText(node, "architecture", prefix).orElse(""),
          optionalText(node, "os", prefix).orElse(""),
          optionalText(node, "variant", prefix).orElse(""),
          optionalText(node, "os.version", prefix).orElse(""));
    }

    private Map<String, String> stringMap(JsonNode parent, String field, String prefix) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        return Map.of();
      }
      if (!node.isObject()) {
        throw fail(prefix + field + " must be an object of strings but is " + typeOf(node));
      }
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        if (!entry.getValue().isTextual()) {
          throw fail(
              prefix
                  + field
                  + "[\""
                  + shorten(entry.getKey())
                  + "\"] must be a string but is "
                  + typeOf(entry.getValue()));
        }
        map.put(entry.getKey(), entry.getValue().textValue());
      }
      return map;
    }

    private List<String> stringList(JsonNode parent, String field, String prefix) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        return List.of();
      }
      if (!node.isArray()) {
        throw fail(prefix + field + " must be an array of strings but is " + typeOf(node));
      }
      List<String> list = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        if (!element.isTextual()) {
          throw fail(prefix + field + "[" + i + "] must be a string but is " + typeOf(element));
        }
        list.add(element.textValue());
      }
      return list;
    }

    private Optional<String> optionalText(JsonNode parent, String field, String prefix) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        return Optional.empty();
      }
      if (!node.isTextual()) {
        throw fail(prefix + field + " must be a string but is " + typeOf(node));
      }
      return Optional.of(node.textValue());
    }

    private String requiredText(JsonNode parent, String field, String prefix) {
      JsonNode node = required(parent, field, prefix);
      if (!node.isTextual()) {
        throw fail(prefix + field + " must be a string but is " + typeOf(node));
      }
      return node.textValue();
    }

    private JsonNode required(JsonNode parent, String field, String prefix) {
      JsonNode node = parent.get(field);
      if (node == null || node.isNull()) {
        throw fail("required member " + prefix + field + " is missing");
      }
      return node;
    }

    private static boolean present(JsonNode parent, String field) {
      JsonNode node = parent.get(field);
      return node != null && !node.isNull();
    }

    private RegistryProtocolException schema1(String evidence) {
      return new RegistryProtocolException(
          "manifest "
              + digest
              + " is a Docker schema 1 manifest ("
              + evidence
              + "); schema 1 is not supported. Registries send schema 1 only when the"
              + " request's Accept header does not list schema 2 and OCI types; sending Accept: "
              + MediaTypes.MANIFEST_ACCEPT
              + " prevents it",
          null);
    }

    private RegistryProtocolException fail(String what) {
      return new RegistryProtocolException("cannot read manifest " + digest + ": " + what, null);
    }
  }

  private static String typeOf(JsonNode node) {
    String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "null" -> "null";
      case "array", "object" -> "an " + type;
      default -> "a " + type;
    };
  }

  private static String shorten(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
