package io.registryreactive.prune;

import io.registryreactive.RegistryException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signalled by {@link Pruner#apply} (and {@code deleteNonWhitelistedTags}) before any request when
 * the plan has keep rules that match nothing ({@link PrunePlan#missingKeep()}): a typo in what to
 * keep would otherwise delete it. Build the policy with {@link
 * RetentionPolicy.Builder#allowMissingKeep(boolean) allowMissingKeep(true)} to apply such a plan
 * anyway.
 */
public final class PlanRefusedException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /** The rules that match nothing; transient because records of a plan are not serializable. */
  private final transient List<PrunePlan.MissingKeep> missingKeep;

  /**
   * @param missingKeep the keep rules that match nothing, at least one
   */
  public PlanRefusedException(List<PrunePlan.MissingKeep> missingKeep) {
    super(
        "the plan is not applied, nothing was deleted: "
            + missingKeep.stream()
                .map(m -> "keep rule '" + m.rule() + "' matches nothing (" + m.reason() + ")")
                .collect(Collectors.joining("; "))
            + "; fix the rule, or allow it with allowMissingKeep(true) (registry-prune: --allow-missing-keep)");
    this.missingKeep = List.copyOf(missingKeep);
  }

  /**
   * @return the keep rules that match nothing
   */
  public List<PrunePlan.MissingKeep> missingKeep() {
    return missingKeep;
  }
}
