package io.registryreactive.benchmarks.e2e;

import io.registryreactive.ReactiveRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;

/**
 * The repositories and tags one target row plans: either one repository with many tags or many
 * repositories with a few tags each, all seeded with distinct images (see {@link TagSeeder}).
 *
 * <p>Repositories of the many-repositories layout are named {@code <prefix>000 ..}, three digits,
 * the names {@code benchmarks/e2e/manifests.lua} rebuilds for wrk.
 */
final class Layout {
  private final String name;
  private final String wrkRepository;
  private final int wrkRepositories;
  private final String repositoryRegex;
  private final List<TagSeeder> seeders;

  private Layout(
      String name,
      String wrkRepository,
      int wrkRepositories,
      String repositoryRegex,
      List<TagSeeder> seeders) {
    this.name = name;
    this.wrkRepository = wrkRepository;
    this.wrkRepositories = wrkRepositories;
    this.repositoryRegex = repositoryRegex;
    this.seeders = List.copyOf(seeders);
  }

  /**
   * @param repository the repository
   * @param tags tags in it
   * @param firstMinute creation minute of its first image (see {@link TagSeeder})
   * @return one repository with {@code tags} tags
   */
  static Layout oneRepository(String repository, int tags, long firstMinute) {
    return new Layout(
        String.format("%,d tags in one repository", tags),
        repository,
        0,
        repository,
        List.of(new TagSeeder(repository, tags, firstMinute)));
  }

  /**
   * @param prefix repository name prefix; the repositories are {@code prefix000 ..}
   * @param repositories how many (at most 1,000)
   * @param tagsEach tags in each
   * @param firstMinute creation minute of the first image
   * @return {@code repositories} repositories of {@code tagsEach} tags
   */
  static Layout manyRepositories(String prefix, int repositories, int tagsEach, long firstMinute) {
    if (repositories < 1 || repositories > 1000) {
      throw new IllegalArgumentException("1 to 1000 repositories, was " + repositories);
    }
    List<TagSeeder> seeders = new ArrayList<>();
    for (int i = 0; i < repositories; i++) {
      seeders.add(
          new TagSeeder(
              String.format("%s%03d", prefix, i), tagsEach, firstMinute + (long) i * tagsEach));
    }
    return new Layout(
        String.format("%,d tags over %,d repositories", repositories * tagsEach, repositories),
        prefix,
        repositories,
        prefix + "[0-9]{3}",
        seeders);
  }

  /**
   * @return a description, such as "3,000 tags in one repository"
   */
  String name() {
    return name;
  }

  /**
   * @return the {@code --repository} regex that selects exactly this layout's repositories
   */
  String repositoryRegex() {
    return repositoryRegex;
  }

  /**
   * @return the repositories, in seeding order
   */
  List<TagSeeder> repositories() {
    return seeders;
  }

  /**
   * @return the first repository (the only one of a one-repository layout)
   */
  TagSeeder first() {
    return seeders.get(0);
  }

  /**
   * @return tags over all repositories
   */
  int tags() {
    return seeders.stream().mapToInt(s -> s.tags().size()).sum();
  }

  /**
   * @return tags in each repository (the first repository's count)
   */
  int tagsPerRepository() {
    return first().tags().size();
  }

  /**
   * @return the arguments after {@code --} for {@code manifests.lua}: repository (or prefix), tags
   *     per repository, method, and the number of repositories for the many-repositories layout
   */
  List<String> wrkArguments() {
    List<String> args =
        new ArrayList<>(List.of(wrkRepository, Integer.toString(tagsPerRepository())));
    args.add("GET");
    if (wrkRepositories > 0) {
      args.add(Integer.toString(wrkRepositories));
    }
    return args;
  }

  /**
   * @param keep which tags of a repository a policy keeps
   * @return tags a policy that keeps {@code keep} deletes, over all repositories
   */
  int deletedBy(Predicate<String> keep) {
    return (int) seeders.stream().flatMap(s -> s.tags().stream()).filter(keep.negate()).count();
  }

  /**
   * Seeds every repository; small repositories several at a time so that 16 requests stay in
   * flight.
   *
   * @param client the client to push with
   * @param concurrency requests in flight
   * @param timeout the whole seeding must finish within this
   */
  void seed(ReactiveRegistryClient client, int concurrency, Duration timeout) {
    int perRepository = Math.min(concurrency, tagsPerRepository());
    int repositoriesAtOnce = Math.max(1, concurrency / perRepository);
    Flux.fromIterable(seeders)
        .flatMap(s -> s.push(client, perRepository), repositoriesAtOnce)
        .then()
        .block(timeout);
  }

  /**
   * Pushes back every tag a deleting run removed and checks that every repository holds exactly its
   * seeded tags again.
   *
   * @param client the client to push and list with
   * @param concurrency requests in flight
   * @param timeout the most the listing and pushing may take
   * @return tags pushed again
   */
  int restore(ReactiveRegistryClient client, int concurrency, Duration timeout) {
    Map<TagSeeder, List<String>> missing = missing(client, concurrency, timeout);
    int perRepository = Math.min(concurrency, tagsPerRepository());
    Flux.fromIterable(missing.entrySet())
        .flatMap(
            e -> e.getKey().pushAgain(client, e.getValue(), perRepository),
            Math.max(1, concurrency / perRepository))
        .then()
        .block(timeout);
    requireAllTags(client, concurrency, timeout);
    return missing.values().stream().mapToInt(List::size).sum();
  }

  /**
   * @throws IllegalStateException unless every repository lists exactly its seeded tags
   */
  void requireAllTags(ReactiveRegistryClient client, int concurrency, Duration timeout) {
    Map<TagSeeder, List<String>> missing = missing(client, concurrency, timeout);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          name + ": " + missing.size() + " repositories do not hold all their seeded tags");
    }
  }

  private Map<TagSeeder, List<String>> missing(
      ReactiveRegistryClient client, int concurrency, Duration timeout) {
    return Flux.fromIterable(seeders)
        .flatMap(
            s ->
                client
                    .tags(s.repository())
                    .collectList()
                    .onErrorResume(
                        io.registryreactive.NotFoundException.class,
                        e -> reactor.core.publisher.Mono.just(List.of()))
                    .map(
                        listed -> {
                          Set<String> present = new HashSet<>(listed);
                          if (!s.tags().containsAll(present)) {
                            throw new IllegalStateException(
                                s.repository() + " lists tags that were never seeded");
                          }
                          return Map.entry(
                              s, s.tags().stream().filter(t -> !present.contains(t)).toList());
                        }),
            concurrency)
        .filter(e -> !e.getValue().isEmpty())
        .collectMap(Map.Entry::getKey, Map.Entry::getValue)
        .block(timeout);
  }
}
