package io.registryreactive.examples.webflux;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.AuthenticationException;
import io.registryreactive.InvalidReferenceException;
import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;
import io.registryreactive.prune.Pruner;
import io.registryreactive.prune.RetentionAge;
import io.registryreactive.prune.RetentionPolicy;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The endpoints. Listings stream as NDJSON, and the catalog is paged lazily: a client that reads
 * slowly slows the registry paging down with it, through Reactor's backpressure.
 */
@RestController
class RegistryController {
  private final ReactiveRegistryClient client;
  private final int pageSize;

  RegistryController(
      ReactiveRegistryClient client, @Value("${registry.page-size:100}") int pageSize) {
    this.client = client;
    this.pageSize = pageSize;
  }

  /** Every repository, one JSON string per line. */
  @GetMapping(path = "/repositories", produces = MediaType.APPLICATION_NDJSON_VALUE)
  Flux<String> repositories() {
    return client.catalog(pageSize).map(RegistryController::ndjsonLine);
  }

  /**
   * {@code /repositories/{name}/tags}, where the name may hold slashes: the tags, one per line. Any
   * other path under {@code /repositories/} is 404.
   */
  @GetMapping(path = "/repositories/{*path}", produces = MediaType.APPLICATION_NDJSON_VALUE)
  Flux<String> tags(@PathVariable("path") String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (!p.endsWith("/tags")) {
      return Flux.error(
          new ResponseStatusException(HttpStatus.NOT_FOUND, "use /repositories/{name}/tags"));
    }
    return client
        .tags(p.substring(0, p.length() - "/tags".length()))
        .map(RegistryController::ndjsonLine);
  }

  /**
   * One NDJSON line holding {@code value} as a JSON string. Spring writes a {@code Flux<String>}
   * with its plain-text encoder whatever the content type, so without this the names would run
   * together with neither quotes nor line breaks.
   */
  private static String ndjsonLine(String value) {
    StringBuilder line = new StringBuilder(value.length() + 3).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        line.append('\\').append(c);
      } else if (c < 0x20) {
        line.append(String.format("\\u%04x", (int) c));
      } else {
        line.append(c);
      }
    }
    return line.append("\"\n").toString();
  }

  /**
   * {@code /images/{reference}}: digest, media type and size of {@code repo:tag} or {@code
   * repo@digest}.
   */
  @GetMapping(path = "/images/{*reference}", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> image(@PathVariable("reference") String reference) {
    String ref = reference.startsWith("/") ? reference.substring(1) : reference;
    return client.metadata(ref).map(RegistryController::json);
  }

  /** A prune plan for a policy; nothing is deleted. */
  @PostMapping(
      path = "/prune/plan",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<String> plan(@RequestBody PolicyRequest request) {
    return Mono.fromCallable(() -> request.toPolicy(client.registryHost()))
        .flatMap(policy -> Pruner.of(client).plan(policy))
        .map(io.registryreactive.prune.PrunePlan::toJson);
  }

  private static Map<String, Object> json(ImageMetadata m) {
    return Map.of(
        "repository",
        m.repository(),
        "tag",
        m.tag().orElse(""),
        "digest",
        m.digest(),
        "mediaType",
        m.mediaType(),
        "size",
        m.size());
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<Map<String, String>> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
  }

  @ExceptionHandler({InvalidReferenceException.class, IllegalArgumentException.class})
  ResponseEntity<Map<String, String>> badRequest(RuntimeException e) {
    return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
  }

  /**
   * A body Spring cannot read (invalid JSON, a string where a number belongs): say what was wrong.
   */
  @ExceptionHandler(org.springframework.web.server.ServerWebInputException.class)
  ResponseEntity<Map<String, String>> unreadable(
      org.springframework.web.server.ServerWebInputException e) {
    Throwable cause = e.getMostSpecificCause();
    return ResponseEntity.badRequest()
        .body(
            Map.of(
                "error",
                "unreadable request: "
                    + (cause.getMessage() == null
                        ? e.getReason()
                        : cause.getMessage().lines().findFirst().orElse(""))));
  }

  @ExceptionHandler({AuthenticationException.class, AccessDeniedException.class})
  ResponseEntity<Map<String, String>> registryRefused(RuntimeException e) {
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
        .body(Map.of("error", "the registry refused this service: " + e.getMessage()));
  }

  /**
   * The policy JSON of {@code POST /prune/plan}; every field optional.
   *
   * @param keep whitelist entries
   * @param includeRepositories repository patterns to cover
   * @param excludeRepositories repository patterns to skip
   * @param keepTags tag pattern to keep
   * @param deleteOnlyTags tag pattern that alone may be deleted
   * @param keepLast newest images kept per repository
   * @param keepNewerThan an age as {@link RetentionAge#parse} reads it: {@code 30d}, {@code 6mo},
   *     {@code P6M}, ...
   * @param deleteAttachedArtifacts delete signatures with their subject
   * @param allowDeleteAll accept a policy without keep rules
   */
  record PolicyRequest(
      List<String> keep,
      List<String> includeRepositories,
      List<String> excludeRepositories,
      String keepTags,
      String deleteOnlyTags,
      Integer keepLast,
      String keepNewerThan,
      Boolean deleteAttachedArtifacts,
      Boolean allowDeleteAll) {

    RetentionPolicy toPolicy(String registryHost) {
      RetentionPolicy.Builder b = RetentionPolicy.builder().registryHost(registryHost);
      if (keep != null) {
        keep.forEach(b::keep);
      }
      if (includeRepositories != null) {
        includeRepositories.forEach(b::includeRepositories);
      }
      if (excludeRepositories != null) {
        excludeRepositories.forEach(b::excludeRepositories);
      }
      if (keepTags != null) {
        b.keepTags(keepTags);
      }
      if (deleteOnlyTags != null) {
        b.deleteOnlyTags(deleteOnlyTags);
      }
      if (keepLast != null) {
        b.keepLast(keepLast);
      }
      if (keepNewerThan != null) {
        try {
          // The SDK's parser: the same forms as registry-prune's --keep-newer-than.
          b.keepNewerThan(RetentionAge.parse(keepNewerThan));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("keepNewerThan: " + e.getMessage(), e);
        }
      }
      b.deleteAttachedArtifacts(Boolean.TRUE.equals(deleteAttachedArtifacts));
      b.allowDeleteAll(Boolean.TRUE.equals(allowDeleteAll));
      return b.build();
    }
  }
}
