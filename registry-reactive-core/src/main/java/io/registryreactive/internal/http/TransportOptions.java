package io.registryreactive.internal.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the connection pool and the Netty client.
 *
 * @param maxConnections connections the pool opens at most
 * @param pendingAcquireMaxCount requests that may wait for a connection
 * @param pendingAcquireTimeout how long a request waits for a connection
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout time from request sent to response headers and between body reads
 * @param userAgent the {@code User-Agent} header
 * @param insecureTls trust any TLS certificate (for test registries only)
 * @param tls extra trusted CAs and a client certificate
 * @param proxy the HTTP proxy to tunnel through, if any
 */
public record TransportOptions(
    int maxConnections,
    int pendingAcquireMaxCount,
    Duration pendingAcquireTimeout,
    Duration connectTimeout,
    Duration responseTimeout,
    String userAgent,
    boolean insecureTls,
    TlsSettings tls,
    Optional<ProxySettings> proxy) {}
