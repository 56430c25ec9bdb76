package io.registryreactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The other tests run the client on Netty and Reactor threads and rely on BlockHound (installed by
 * {@code blockhound-junit-platform}) to fail any blocking call there. This proves it is installed.
 */
class BlockHoundTest {

  @Test
  void blockingCall_whenOnNonBlockingThread_isReported() {
    Mono<Object> blocking =
        Mono.fromCallable(
                () -> {
                  Thread.sleep(1);
                  return new Object();
                })
            .subscribeOn(Schedulers.parallel());

    StepVerifier.create(blocking)
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(BlockingOperationError.class))
        .verify(Duration.ofSeconds(60));
  }
}
