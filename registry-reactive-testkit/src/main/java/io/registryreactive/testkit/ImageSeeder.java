package io.registryreactive.testkit;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pushes {@link TestImages} blueprints through the client's own push API, so tests seed a registry
 * exactly as a user of the SDK would, and checks that the registry stored what was sent.
 *
 * <p>Two ways to use it: {@link #push(String, String, ImageBlueprint)} pushes one image now (a
 * {@code Mono}); {@link #add(String, ImageBlueprint, String...)} then {@link #pushAll()} pushes a
 * whole seed with bounded concurrency ({@value #CONCURRENCY} requests at once) and remembers it, so
 * a test can compare the registry afterwards with {@link #tagDigests()} and {@link
 * #manifestRefs()}.
 */
public final class ImageSeeder {

  /** Requests in flight during {@link #pushAll()}. */
  public static final int CONCURRENCY = 8;

  /** Blob uploads in flight per image in {@link #push(String, String, ImageBlueprint)}. */
  private static final int BLOB_CONCURRENCY = 4;

  private static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One image (or index) to push under some tags; no tag pushes it by digest only.
   *
   * @param repository the repository
   * @param image the image or index
   * @param tags the tags, possibly none
   */
  public record Push(String repository, ImageBlueprint image, List<String> tags) {

    /**
     * Copies the tags.
     *
     * @param repository the repository
     * @param image the image or index
     * @param tags the tags, possibly none
     */
    public Push {
      tags = List.copyOf(tags);
    }
  }

  private final ReactiveRegistryClient client;
  private final List<Push> pushes = new ArrayList<>();

  /**
   * A seeder pushing through this client.
   *
   * @param client the client; the caller closes it
   */
  public ImageSeeder(ReactiveRegistryClient client) {
    this.client = client;
  }

  /**
   * Pushes the blobs, then (for an index) every child manifest by its digest, then the manifest
   * under {@code tag}.
   *
   * @param repository the repository
   * @param tag the tag
   * @param image what to push
   * @return the metadata {@code pushManifest} returned for the top manifest; an error if the
   *     registry named a blob by another digest than its content's
   */
  public Mono<ImageMetadata> push(String repository, String tag, ImageBlueprint image) {
    List<ImageBlueprint> manifests = image.manifestsInPushOrder();
    List<ImageBlueprint> children = manifests.subList(0, manifests.size() - 1);
    return Flux.fromIterable(image.blobs())
        .flatMap(blob -> pushBlob(repository, blob), BLOB_CONCURRENCY)
        .thenMany(
            Flux.fromIterable(children)
                .concatMap(
                    child ->
                        client.pushManifest(
                            repository,
                            child.manifestDigest(),
                            child.manifest(),
                            child.mediaType())))
        .then(client.pushManifest(repository, tag, image.manifest(), image.mediaType()));
  }

  /**
   * Pushes the image under several tags; the blobs are uploaded once (later pushes find them).
   *
   * @param repository the repository
   * @param tags the tags, at least one
   * @param image what to push
   * @return the metadata of the last push
   */
  public Mono<ImageMetadata> push(String repository, List<String> tags, ImageBlueprint image) {
    return Flux.fromIterable(tags).concatMap(tag -> push(repository, tag, image)).last();
  }

  private Mono<String> pushBlob(String repository, Blob blob) {
    return client
        .pushBlob(repository, blob.bytes())
        .map(
            digest -> {
              if (!digest.equals(blob.digest())) {
                throw new IllegalStateException("pushBlob returned " + digest + " for " + blob);
              }
              return digest;
            });
  }

  /**
   * Adds an image to the seed {@link #pushAll()} pushes.
   *
   * @param repository the repository
   * @param image the image or index
   * @param tags its tags; none pushes it by digest only
   * @return this seeder
   */
  public ImageSeeder add(String repository, ImageBlueprint image, String... tags) {
    pushes.add(new Push(repository, image, List.of(tags)));
    return this;
  }

  /**
   * Adds to one repository without naming it for each image: {@code new
   * ImageSeeder(client).into("app").add(k, "keep").add(x, "x").pushAll()}.
   *
   * @param repository the repository the view adds to
   * @return a view of this seeder that adds to {@code repository}
   */
  public RepositorySeed into(String repository) {
    return new RepositorySeed(repository);
  }

  /** This seeder, adding to one repository; see {@link #into(String)}. */
  public final class RepositorySeed {
    private final String repository;

    private RepositorySeed(String repository) {
      this.repository = repository;
    }

    /**
     * Adds an image to this repository, as {@link ImageSeeder#add} does.
     *
     * @param image the image or index
     * @param tags its tags; none pushes it by digest only
     * @return this view
     */
    public RepositorySeed add(ImageBlueprint image, String... tags) {
      ImageSeeder.this.add(repository, image, tags);
      return this;
    }

    /**
     * Pushes everything the seeder holds, as {@link ImageSeeder#pushAll()} does.
     *
     * @return the seeder, for {@link ImageSeeder#tagDigests()} and the like
     * @throws IllegalStateException if the registry stored a manifest under another digest
     */
    public ImageSeeder pushAll() {
      ImageSeeder.this.pushAll();
      return ImageSeeder.this;
    }
  }

  /**
   * Pushes everything added so far (blocking: test code): every distinct blob of each repository,
   * then image manifests, then indexes. Each blob and each manifest digest goes to a repository
   * once at a time: distribution 2.8's filesystem driver rewrites link files in place, so pushing
   * the same content to the same repository concurrently can make a parallel manifest PUT read an
   * empty link and fail with MANIFEST_BLOB_UNKNOWN / DIGEST_INVALID.
   *
   * @throws IllegalStateException if the registry stored a manifest under another digest
   */
  public void pushAll() {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    Map<String, List<String>> images = new LinkedHashMap<>();
    Map<String, List<String>> indexes = new LinkedHashMap<>();
    Map<String, ImageBlueprint> manifests = new LinkedHashMap<>();
    for (Push p : pushes) {
      for (Blob blob : p.image().blobs()) {
        blobs.putIfAbsent(p.repository() + "@" + blob.digest(), blob.bytes());
      }
      for (ImageBlueprint m : p.image().manifestsInPushOrder()) {
        String ref = p.repository() + "@" + m.manifestDigest();
        manifests.put(ref, m);
        Map<String, List<String>> stage = m.isIndex() ? indexes : images;
        List<String> refs = stage.computeIfAbsent(ref, r -> new ArrayList<>());
        if (m == p.image()) {
          refs.addAll(p.tags());
        }
      }
    }
    Flux.fromIterable(blobs.entrySet())
        .flatMap(e -> client.pushBlob(repositoryOf(e.getKey()), e.getValue()), CONCURRENCY)
        .thenMany(
            Flux.fromIterable(images.entrySet())
                .flatMap(
                    e -> pushManifest(e.getKey(), manifests.get(e.getKey()), e.getValue()),
                    CONCURRENCY))
        .thenMany(
            Flux.fromIterable(indexes.entrySet())
                .flatMap(
                    e -> pushManifest(e.getKey(), manifests.get(e.getKey()), e.getValue()),
                    CONCURRENCY))
        .then()
        .block(SEED_TIMEOUT);
  }

  private static String repositoryOf(String ref) {
    return ref.substring(0, ref.indexOf('@'));
  }

  /** Pushes one manifest under each tag in turn, or by digest when it has none. */
  private Mono<Void> pushManifest(String ref, ImageBlueprint m, List<String> tags) {
    String repo = repositoryOf(ref);
    List<String> targets = tags.isEmpty() ? List.of(m.manifestDigest()) : tags;
    return Flux.fromIterable(targets)
        .concatMap(
            target ->
                client
                    .pushManifest(repo, target, m.manifest(), m.mediaType())
                    .doOnNext(
                        stored -> {
                          if (!stored.digest().equals(m.manifestDigest())) {
                            throw new IllegalStateException(
                                "registry stored "
                                    + repo
                                    + ":"
                                    + target
                                    + " as "
                                    + stored.digest()
                                    + ", expected "
                                    + m.manifestDigest());
                          }
                        }))
        .then();
  }

  /**
   * The seed's tags.
   *
   * @return every added tag as {@code repo:tag} with the digest it was pushed with
   * @throws IllegalStateException if the seed pushes one tag twice
   */
  public Map<String, String> tagDigests() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Push p : pushes) {
      for (String tag : p.tags()) {
        String previous = out.put(p.repository() + ":" + tag, p.image().manifestDigest());
        if (previous != null && !previous.equals(p.image().manifestDigest())) {
          throw new IllegalStateException("seed pushes " + p.repository() + ":" + tag + " twice");
        }
      }
    }
    return out;
  }

  /**
   * The seed's manifests.
   *
   * @return every added manifest (index children included) as {@code repo@digest}
   */
  public Set<String> manifestRefs() {
    Set<String> out = new LinkedHashSet<>();
    for (Push p : pushes) {
      for (ImageBlueprint m : p.image().manifestsInPushOrder()) {
        out.add(p.repository() + "@" + m.manifestDigest());
      }
    }
    return out;
  }

  /**
   * The seed.
   *
   * @return what was added, in order
   */
  public List<Push> pushes() {
    return List.copyOf(pushes);
  }
}
