package io.registryreactive.examples.original;

import io.registryreactive.ReactiveRegistryClient;
import io.registryreactive.prune.PruneReport;
import java.util.Arrays;
import java.util.List;

/**
 * "Delete every tag not on a whitelist", safely: decisions are per digest, so a tag that shares its
 * digest with a whitelisted tag survives, and children of whitelisted multi-platform images stay.
 */
public final class DeleteAllNotWhitelisted {
  private DeleteAllNotWhitelisted() {}

  /**
   * @param args registry URL, user name, whitelist entries (repo:tag, repo@sha256:..., repo)
   */
  public static void main(String[] args) {
    try (ReactiveRegistryClient client = Connect.login(args)) {
      List<String> whitelist = Arrays.asList(args).subList(2, args.length);
      // [whitelist]
      PruneReport report = client.deleteNonWhitelistedTags(whitelist).block();
      System.out.println(
          report.status()
              + ": deleted "
              + report.deleted().size()
              + " manifests ("
              + report.tagsDeleted()
              + " tags), "
              + report.failures().size()
              + " failures");
      // [whitelist]
    }
  }
}
