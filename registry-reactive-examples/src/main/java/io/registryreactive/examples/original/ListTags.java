package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;

/** {@code getTagsForCatalogIterator(name)}: every tag of a repository. */
public final class ListTags {
  private ListTags() {}

  /**
   * @param args registry URL, user name, repository
   */
  public static void main(String[] args) {
    try (ReactiveRegistryClient client = Connect.login(args)) {
      String repository = args[2];
      // [tags]
      client
          .tags(repository)
          .doOnNext(tag -> System.out.println(repository + ":" + tag))
          .blockLast();
      // [tags]
    }
  }
}
