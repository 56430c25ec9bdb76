package io.registryreactive.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assertions;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The one way the tests take the error a call ends with, so that each test states only what it
 * checks about that error: {@code RegistryResponseException e = failure(client.tags(repo),
 * RegistryResponseException.class, BOUND);} then plain assertions on {@code e}. As strict as {@code
 * StepVerifier...expectErrorSatisfies}: the call must emit no value and must end with an error of
 * the type, within the bound.
 */
public final class Failures {

  private Failures() {}

  /**
   * Subscribes to the call and returns the error it ends with.
   *
   * @param call the call, not yet subscribed
   * @param type the type the error must have (or a subtype of it)
   * @param bound how long to wait for the call to end; a safety net, not a timed assertion
   * @param <E> the error's type
   * @return the error, cast to the type
   * @throws AssertionError if the call emits a value, completes without error, or ends with an
   *     error of another type
   * @throws IllegalStateException if the call does not end within the bound
   */
  public static <E extends Throwable> E failure(Publisher<?> call, Class<E> type, Duration bound) {
    List<Object> values = new CopyOnWriteArrayList<>();
    Throwable error =
        Flux.from(call)
            .doOnNext(values::add)
            .then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(bound);
    Assertions.assertEquals(List.of(), values, "the call emitted values before it ended");
    Assertions.assertNotNull(error, "the call completed without an error");
    return Assertions.assertInstanceOf(type, error);
  }
}
