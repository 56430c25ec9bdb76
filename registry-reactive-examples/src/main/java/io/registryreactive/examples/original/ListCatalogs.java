package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;

/** {@code getCatalogIterator()}: every repository, across pages. */
public final class ListCatalogs {
  private ListCatalogs() {}

  /**
   * @param args registry URL, user name
   */
  public static void main(String[] args) {
    try (ReactiveRegistryClient client = Connect.login(args)) {
      // [catalog]
      client
          .catalog() // Flux<String>, fetches the next page on demand
          .doOnNext(System.out::println)
          .blockLast();
      // [catalog]
    }
  }
}
