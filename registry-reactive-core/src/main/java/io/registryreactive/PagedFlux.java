package io.registryreactive;

import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A listing that pages through the registry on demand: a {@link Flux} of items, plus {@link
 * #byPage()} for callers that want whole pages and their continuation tokens.
 *
 * <p>Nothing is requested until subscription, and a page is fetched only when downstream demand
 * exceeds the items already fetched: a subscriber that requests 10 items from pages of 100 causes
 * one request. Each subscription starts afresh from the first page (or from the given token). A
 * {@code Link} header that leads back to a page already fetched in this subscription fails the
 * listing with {@link RegistryProtocolException} instead of looping forever, and so does a listing
 * longer than the client's page cap ({@link ReactiveRegistryClient.Builder#maxListingPages}).
 *
 * @param <T> the item type
 */
public final class PagedFlux<T> extends Flux<T> {
  private final Function<Optional<String>, Mono<Page<T>>> pageFetcher;
  private final int maxPages;

  /**
   * Creates a paged listing; made by the client only.
   *
   * @param pageFetcher fetches the first page for an empty token, else the page at the token's URL
   * @param maxPages pages one subscription fetches at most
   */
  PagedFlux(Function<Optional<String>, Mono<Page<T>>> pageFetcher, int maxPages) {
    this.pageFetcher = Objects.requireNonNull(pageFetcher, "'pageFetcher' must not be null");
    this.maxPages = maxPages;
  }

  /**
   * The pages from the first one.
   *
   * @return a lazy flux of pages; each page is fetched when requested
   */
  public Flux<Page<T>> byPage() {
    return pull(Optional.empty(), List::of);
  }

  /**
   * The pages from a continuation token of an earlier page.
   *
   * @param continuationToken a {@link Page#continuationToken()} value
   * @return a lazy flux of pages starting at the token
   * @throws NullPointerException (signalled) if the token is null
   */
  public Flux<Page<T>> byPage(String continuationToken) {
    if (continuationToken == null) {
      return Flux.error(new NullPointerException("'continuationToken' must not be null"));
    }
    return pull(Optional.of(continuationToken), List::of);
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    pull(Optional.empty(), Page::items).subscribe(actual);
  }

  private <E> Flux<E> pull(Optional<String> start, Function<Page<T>, List<E>> explode) {
    return Flux.create(
        sink -> {
          Puller<E> puller = new Puller<>(sink, start, explode);
          sink.onRequest(n -> puller.drain());
          sink.onDispose(puller::dispose);
        },
        FluxSink.OverflowStrategy.BUFFER);
  }

  /** Fetches one page at a time, only while downstream demand is not met by buffered items. */
  private final class Puller<E> {
    private final FluxSink<E> sink;
    private final Function<Page<T>, List<E>> explode;

    /** The items of the last page not yet emitted: iterated in place, never copied. */
    private volatile Iterator<E> buffer = Collections.emptyIterator();

    private final AtomicInteger wip = new AtomicInteger();
    private final Set<String> seen = new HashSet<>();
    private volatile Optional<String> next;
    private int pagesFetched;
    private volatile boolean fetching;
    private volatile boolean lastPageFetched;
    private volatile @Nullable Throwable error;
    private volatile @Nullable Disposable inFlight;

    Puller(FluxSink<E> sink, Optional<String> start, Function<Page<T>, List<E>> explode) {
      this.sink = sink;
      this.next = start;
      this.explode = explode;
      start.ifPresent(seen::add);
    }

    void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        Iterator<E> items = buffer;
        while (sink.requestedFromDownstream() > 0 && items.hasNext() && !sink.isCancelled()) {
          sink.next(items.next());
        }
        if (!items.hasNext() && !fetching) {
          Throwable e = error;
          if (e != null) {
            sink.error(e);
            return;
          }
          if (lastPageFetched) {
            sink.complete();
            return;
          }
          if (sink.requestedFromDownstream() > 0 && !sink.isCancelled()) {
            fetching = true;
            boolean[] received = {false};
            inFlight =
                pageFetcher
                    .apply(next)
                    .subscribe(
                        page -> {
                          received[0] = true;
                          onPage(page);
                        },
                        this::onError,
                        () -> {
                          if (!received[0]) {
                            onEmpty();
                          }
                        });
          }
        }
      } while (wip.decrementAndGet() != 0);
    }

    private void onPage(Page<T> page) {
      // Only fetched when the previous page's items are all emitted, so nothing is overwritten.
      buffer = explode.apply(page).iterator();
      Optional<String> token = page.continuationToken();
      pagesFetched++;
      if (token.isEmpty()) {
        lastPageFetched = true;
      } else if (pagesFetched >= maxPages) {
        error =
            new RegistryProtocolException(
                "the listing has more than "
                    + maxPages
                    + " pages (the client's maxListingPages); the next would be "
                    + token.get(),
                null);
      } else if (!seen.add(token.get())) {
        error =
            new RegistryProtocolException(
                "the registry's Link header loops: "
                    + token.get()
                    + " was already fetched in this listing",
                null);
      } else {
        next = token;
      }
      fetching = false;
      drain();
    }

    /** A fetcher that completes without a page ends the listing. */
    private void onEmpty() {
      lastPageFetched = true;
      fetching = false;
      drain();
    }

    private void onError(Throwable e) {
      error = e;
      fetching = false;
      drain();
    }

    void dispose() {
      Disposable d = inFlight;
      if (d != null) {
        d.dispose();
      }
      buffer = Collections.emptyIterator();
    }
  }
}
