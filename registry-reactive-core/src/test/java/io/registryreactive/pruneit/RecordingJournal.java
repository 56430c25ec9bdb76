package io.registryreactive.pruneit;

import io.registryreactive.NotFoundException;
import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageReference;
import io.registryreactive.prune.DeletionJournal;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * A journal for the tests: it records each entry with whether the registry still served the
 * manifest at that moment (it must, since the pruner records before it deletes), and fails with
 * "disk full" for the digests it is told to.
 */
final class RecordingJournal implements DeletionJournal {
  private final ReactiveRegistryClient client;
  private final Set<String> failFor;

  /** What was recorded, in order. */
  final List<Entry> entries = new CopyOnWriteArrayList<>();

  /** For each recorded entry, whether GET still served its manifest when it was recorded. */
  final List<Boolean> presentWhenRecorded = new CopyOnWriteArrayList<>();

  /**
   * @param client asked, directly, whether each manifest is still there
   * @param failFor digests whose recording fails
   */
  RecordingJournal(ReactiveRegistryClient client, String... failFor) {
    this.client = client;
    this.failFor = Set.of(failFor);
  }

  @Override
  public Mono<Void> record(Entry entry) {
    if (failFor.contains(entry.digest())) {
      return Mono.error(new IOException("disk full"));
    }
    return client
        .manifest(ImageReference.of(entry.repository(), entry.digest()))
        .map(m -> true)
        .onErrorResume(NotFoundException.class, e -> Mono.just(false))
        .doOnNext(
            present -> {
              presentWhenRecorded.add(present);
              entries.add(entry);
            })
        .then();
  }
}
