package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.model.ImageMetadata;

/** {@code getImageMetadata(name:tag).getDigest()}. */
public final class GetDigest {
  private GetDigest() {}

  /**
   * @param args registry URL, user name, image reference (repo:tag)
   */
  public static void main(String[] args) {
    try (ReactiveRegistryClient client = Connect.login(args)) {
      // [digest]
      ImageMetadata metadata = client.metadata(args[2]).block(); // one HEAD request
      System.out.println(
          metadata.digest() + "  " + metadata.mediaType() + "  " + metadata.size() + " bytes");
      // [digest]
    }
  }
}
