/**
 * Chaos tests: the client against a real registry behind {@link
 * io.registryreactive.testkit.FaultInjectingProxy}, a reverse proxy that resets connections, loses
 * answers to applied requests, throttles, answers 5xx and garbage, and stalls past the client's
 * response timeout.
 */
@NullMarked
package io.registryreactive.chaos;

import org.jspecify.annotations.NullMarked;
