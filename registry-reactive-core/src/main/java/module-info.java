/**
 * registry-reactive: a reactive, non-blocking client for the Docker Registry HTTP API v2 / OCI
 * Distribution API ({@link io.registryreactive.ReactiveRegistryClient}), its model types and
 * pruning ({@link io.registryreactive.prune.Pruner}).
 *
 * <p>Only the API packages are exported. {@code io.registryreactive.internal.*} is the
 * implementation: not exported, so code outside this module cannot use it when the SDK runs on the
 * module path (on the class path it is still only a name, as for any library).
 */
// Reactor, Reactor Netty and Resilience4j ship no module-info, only an Automatic-Module-Name:
// requiring them is expected, not a finding.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.registryreactive {
  exports io.registryreactive;
  exports io.registryreactive.model;
  exports io.registryreactive.prune;

  // Mono, Flux and Publisher appear in the public signatures.
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  // @Nullable and @NullMarked appear in public signatures; they are needed to compile, never to
  // run.
  requires static transitive org.jspecify;
  requires reactor.netty.core;
  requires reactor.netty.http;
  requires reactor.pool;
  requires io.netty.buffer;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.handler;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.reactor;
  requires org.slf4j;
}
