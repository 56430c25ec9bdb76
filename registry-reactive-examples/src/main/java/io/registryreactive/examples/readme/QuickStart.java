package io.registryreactive.examples.readme;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.RegistryCredentials;
import io.registryreactive.model.ImageReference;

/** The README's library quick start: lazy paging, pages with tokens, and digests of every tag. */
public final class QuickStart {
  private QuickStart() {}

  /**
   * @param args registry URL, user name (password in {@code REGISTRY_PASSWORD}), repository
   */
  public static void main(String[] args) {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: REGISTRY_URL USERNAME REPOSITORY   (password in REGISTRY_PASSWORD)");
    }
    String registryUrl = args[0];
    RegistryCredentials credentials =
        RegistryCredentials.basic(args[1], System.getenv().getOrDefault("REGISTRY_PASSWORD", ""));
    String repository = args[2];
    // [quickstart]
    try (ReactiveRegistryClient client =
        ReactiveRegistryClient.builder()
            .baseUrl(registryUrl) // e.g. "https://registry.example.com"
            .credentials(credentials) // e.g. RegistryCredentials.dockerConfig()
            .maxConcurrentRequests(32)
            .build()) {

      // Lazy paging: this requests one page of 100, however many the registry has.
      client
          .catalog(100)
          .take(10)
          .doOnNext(name -> System.out.println("repository " + name))
          .blockLast();

      // Pages with their continuation tokens (the registry's Link URL), to resume later.
      client
          .catalog(2)
          .byPage()
          .take(1)
          .doOnNext(
              page ->
                  System.out.println(
                      "page "
                          + page.items()
                          + " next "
                          + page.continuationToken().orElse("(last page)")))
          .blockLast();

      // Digests of every tag, 32 HEAD requests in flight at most.
      client
          .tags(repository)
          .flatMap(tag -> client.metadata(ImageReference.of(repository, tag)), 32)
          .doOnNext(m -> System.out.println(m.tag().orElseThrow() + " " + m.digest()))
          .blockLast();
    } // the publishers above completed (blockLast), so closing the client here is safe
    // [quickstart]
  }
}
