package io.registryreactive.prune;

import java.util.List;

/**
 * The plan for one repository.
 *
 * @param repository the repository name
 * @param tagsScanned how many tags it had when planned
 * @param decisions one per manifest digest reachable from its tags, deletions first
 */
public record RepositoryPlan(String repository, int tagsScanned, List<DigestDecision> decisions) {

  /**
   * Canonical constructor; copies.
   *
   * @param repository the repository name
   * @param tagsScanned how many tags it had when planned
   * @param decisions one per manifest digest reachable from its tags, deletions first
   */
  public RepositoryPlan {
    decisions = List.copyOf(decisions);
  }

  /**
   * @return the decisions that delete
   */
  public List<DigestDecision> deletions() {
    return decisions.stream().filter(DigestDecision::isDelete).toList();
  }

  /**
   * @return the tags that disappear when the plan is applied
   */
  public List<String> tagsToDelete() {
    return decisions.stream()
        .filter(DigestDecision::isDelete)
        .flatMap(d -> d.tags().stream())
        .sorted()
        .toList();
  }
}
