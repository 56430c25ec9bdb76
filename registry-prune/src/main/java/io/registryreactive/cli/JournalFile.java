package io.registryreactive.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.registryreactive.prune.DeletionJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The deletion journal of {@code prune --apply}: one JSON object per line (JSON Lines), written and
 * forced to disk before the pruner sends the {@code DELETE} it describes, so that {@code restore}
 * can push every deleted manifest back. Fields: {@code registry} (base URL, never credentials),
 * {@code repository}, {@code digest}, {@code mediaType}, {@code manifest} (the exact bytes,
 * base64), {@code tags}, {@code recordedAt} (ISO-8601 UTC).
 */
final class JournalFile implements DeletionJournal, AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter DEFAULT_NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path path;
  private final FileChannel channel;
  private final AtomicLong entries = new AtomicLong();

  private JournalFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Opens (creating, or appending to) a journal; done before any request, so an unwritable path is
   * bad input (exit 2), not a failure half-way through the deletes.
   */
  static JournalFile open(Path path) {
    try {
      FileChannel channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new JournalFile(path, channel);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write --journal " + path + ": " + e, e);
    }
  }

  /** {@code registry-prune-journal-<UTC time>.jsonl} in the working directory. */
  static Path defaultPath(Instant now) {
    return Path.of("registry-prune-journal-" + DEFAULT_NAME_TIME.format(now) + ".jsonl")
        .toAbsolutePath();
  }

  Path path() {
    return path;
  }

  long entries() {
    return entries.get();
  }

  @Override
  public Mono<Void> record(Entry entry) {
    // File writes and fsync block: never on the event loop that answered the previous request.
    return Mono.<Void>fromRunnable(() -> write(entry)).subscribeOn(Schedulers.boundedElastic());
  }

  private synchronized void write(Entry entry) {
    ObjectNode line = MAPPER.createObjectNode();
    line.put("registry", entry.registry());
    line.put("repository", entry.repository());
    line.put("digest", entry.digest());
    line.put("mediaType", entry.mediaType());
    line.put("manifest", Base64.getEncoder().encodeToString(entry.manifest()));
    ArrayNode tags = line.putArray("tags");
    entry.tags().forEach(tags::add);
    line.put("recordedAt", entry.recordedAt().toString());
    try {
      ByteBuffer bytes =
          ByteBuffer.wrap(
              (MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      // Durable before the DELETE is sent: a crash right after it must still leave the entry.
      channel.force(true);
      entries.incrementAndGet();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the deletion journal " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a journal; a malformed line is bad input (exit 2) naming the line.
   *
   * @param path the journal
   * @return its entries in file order
   */
  static List<Entry> read(Path path) {
    List<String> lines;
    try {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("journal " + path + " is not a regular file");
      }
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read journal " + path + ": " + e, e);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty()) {
        continue;
      }
      try {
        JsonNode n = MAPPER.readTree(text);
        List<String> tags = new ArrayList<>();
        JsonNode tagNode = required(n, "tags");
        if (!tagNode.isArray()) {
          throw new IllegalArgumentException("'tags' is not an array");
        }
        tagNode.forEach(t -> tags.add(t.asText()));
        entries.add(
            new Entry(
                required(n, "registry").asText(),
                required(n, "repository").asText(),
                required(n, "digest").asText(),
                required(n, "mediaType").asText(),
                Base64.getDecoder().decode(required(n, "manifest").asText()),
                tags,
                Instant.parse(required(n, "recordedAt").asText())));
      } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
        throw new IllegalArgumentException(
            "journal " + path + " line " + (i + 1) + " is not a journal entry: " + e.getMessage(),
            e);
      }
    }
    return entries;
  }

  private static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("missing '" + field + "'");
    }
    return v;
  }
}
