package io.registryreactive.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.prune.DeletionJournal.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class JournalFileTest {

  private static final Entry ENTRY =
      new Entry(
          "http://127.0.0.1:5000",
          "team/app",
          "sha256:" + "a".repeat(64),
          "application/vnd.oci.image.manifest.v1+json",
          new byte[] {'{', 0, (byte) 0xff, '}'},
          List.of("1.0", "latest"),
          Instant.parse("2024-01-01T00:00:00Z"));

  @Test
  void record_whenCompleted_hasTheLineOnDiskAndReadsBackTheSameEntry(@TempDir Path dir)
      throws IOException {
    Path path = dir.resolve("j.jsonl");
    try (JournalFile journal = JournalFile.open(path)) {
      journal.record(ENTRY).block(Duration.ofSeconds(10));

      // Read while the journal is still open: nothing may wait in a buffer for close().
      assertThat(Files.readString(path, StandardCharsets.UTF_8))
          .endsWith("\n")
          .contains("\"digest\":\"sha256:aaaa");
      assertThat(JournalFile.read(path)).containsExactly(ENTRY);
      assertThat(journal.entries()).isEqualTo(1);
    }
  }

  @Test
  void record_whenSubscribedOnAnEventLoopLikeThread_writesOnAnotherThread(@TempDir Path dir) {
    AtomicReference<String> writer = new AtomicReference<>();
    try (JournalFile journal = JournalFile.open(dir.resolve("j.jsonl"))) {
      Mono.defer(() -> journal.record(ENTRY))
          .then(Mono.fromRunnable(() -> writer.set(Thread.currentThread().getName())))
          .subscribeOn(Schedulers.parallel())
          .block(Duration.ofSeconds(10));
    }

    assertThat(writer.get()).startsWith("boundedElastic");
  }

  @Test
  void open_whenFileExists_appendsAfterItsEntries(@TempDir Path dir) {
    Path path = dir.resolve("j.jsonl");
    try (JournalFile first = JournalFile.open(path)) {
      first.record(ENTRY).block(Duration.ofSeconds(10));
    }
    try (JournalFile second = JournalFile.open(path)) {
      second.record(ENTRY).block(Duration.ofSeconds(10));
    }

    assertThat(JournalFile.read(path)).containsExactly(ENTRY, ENTRY);
  }

  @Test
  void read_whenLineIsNotAnEntry_namesTheLine(@TempDir Path dir) throws IOException {
    Path path = dir.resolve("j.jsonl");
    try (JournalFile journal = JournalFile.open(path)) {
      journal.record(ENTRY).block(Duration.ofSeconds(10));
    }
    Files.writeString(path, "not json\n", java.nio.file.StandardOpenOption.APPEND);

    assertThatThrownBy(() -> JournalFile.read(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2 is not a journal entry");
  }
}
