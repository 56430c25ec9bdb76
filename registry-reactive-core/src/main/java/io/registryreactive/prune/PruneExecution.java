package io.registryreactive.prune;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A prune run: subscribe to {@link #events()} (once) to run it; {@link #report()} completes when
 * the run ends - finished, aborted or cancelled - so a cancelled run still says what it did.
 *
 * @param events progress events; subscribing starts the run
 * @param report the report, whenever the run ends
 */
public record PruneExecution(Flux<PruneEvent> events, Mono<PruneReport> report) {}
