package io.registryreactive.model;

import java.util.Objects;

/**
 * The platform an image runs on, as an index entry or an image config states it.
 *
 * @param architecture the CPU architecture, for example {@code amd64} or {@code arm64}; empty if
 *     absent
 * @param os the operating system, for example {@code linux}; empty if absent
 * @param variant the CPU variant, for example {@code v8} for {@code arm64}; empty if absent
 * @param osVersion the operating system version ({@code os.version}, used by Windows images); empty
 *     if absent
 */
public record Platform(String architecture, String os, String variant, String osVersion) {

  /**
   * Canonical constructor.
   *
   * @param architecture the CPU architecture; empty if unknown
   * @param os the operating system; empty if unknown
   * @param variant the CPU variant; empty if none
   * @param osVersion the operating system version; empty if none
   * @throws NullPointerException if any component is {@code null}; use an empty string instead
   */
  public Platform {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(osVersion, "osVersion");
  }

  /**
   * A platform without variant or OS version. Note the order: operating system first, as in {@code
   * linux/amd64}.
   *
   * @param os the operating system, for example {@code linux}
   * @param architecture the CPU architecture, for example {@code amd64}
   * @return the platform
   */
  public static Platform of(String os, String architecture) {
    return new Platform(architecture, os, "", "");
  }

  /**
   * A platform with a variant and without OS version, as in {@code linux/arm64/v8}.
   *
   * @param os the operating system, for example {@code linux}
   * @param architecture the CPU architecture, for example {@code arm64}
   * @param variant the CPU variant, for example {@code v8}
   * @return the platform
   */
  public static Platform of(String os, String architecture, String variant) {
    return new Platform(architecture, os, variant, "");
  }

  /**
   * The platform as Docker writes it.
   *
   * @return {@code os/architecture}, followed by {@code /variant} when there is a variant
   */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
