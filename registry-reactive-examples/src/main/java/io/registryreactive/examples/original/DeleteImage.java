package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.DeleteResult;
import io.registryreactive.model.ImageMetadata;

/** {@code imageMetadata.delete()}: deletes the image's digest, and so every tag on it. */
public final class DeleteImage {
  private DeleteImage() {}

  /**
   * @param args registry URL, user name, image reference (repo:tag)
   */
  public static void main(String[] args) {
    try (ReactiveRegistryClient client = Connect.login(args)) {
      // [delete]
      ImageMetadata metadata = client.metadata(args[2]).block();
      DeleteResult result = client.delete(metadata).block(); // DELETED, or ALREADY_ABSENT on 404
      System.out.println(result.outcome() + " " + result.repository() + "@" + result.digest());
      // [delete]
    }
  }
}
