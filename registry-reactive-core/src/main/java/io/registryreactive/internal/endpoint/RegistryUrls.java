package io.registryreactive.internal.endpoint;

import java.net.URI;

/**
 * Builds the v2 API routes under a base URL. Repository names, tags and digests are validated
 * before they get here, and their grammar allows no character that needs escaping in a path.
 */
final class RegistryUrls {
  private final String base;

  /**
   * @param baseUrl the registry base URL; a path prefix (for registries behind a proxy path) is
   *     kept
   */
  RegistryUrls(URI baseUrl) {
    String s = baseUrl.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * @return {@code /v2/}, the API version check
   */
  URI apiVersion() {
    return URI.create(base + "/v2/");
  }

  /**
   * @param pageSize the {@code n} parameter, or 0 for the registry's default
   * @return {@code /v2/_catalog}
   */
  URI catalog(int pageSize) {
    return URI.create(base + "/v2/_catalog" + (pageSize > 0 ? "?n=" + pageSize : ""));
  }

  /**
   * @param repository repository name
   * @param pageSize the {@code n} parameter, or 0 for the registry's default
   * @return {@code /v2/<name>/tags/list}
   */
  URI tags(String repository, int pageSize) {
    return URI.create(
        base + "/v2/" + repository + "/tags/list" + (pageSize > 0 ? "?n=" + pageSize : ""));
  }

  /**
   * @param repository repository name
   * @param tagOrDigest tag or digest
   * @return {@code /v2/<name>/manifests/<reference>}
   */
  URI manifest(String repository, String tagOrDigest) {
    return URI.create(base + "/v2/" + repository + "/manifests/" + tagOrDigest);
  }

  /**
   * @param repository repository name
   * @param digest blob digest
   * @return {@code /v2/<name>/blobs/<digest>}
   */
  URI blob(String repository, String digest) {
    return URI.create(base + "/v2/" + repository + "/blobs/" + digest);
  }

  /**
   * @param repository repository name
   * @return {@code /v2/<name>/blobs/uploads/}
   */
  URI uploads(String repository) {
    return URI.create(base + "/v2/" + repository + "/blobs/uploads/");
  }

  /**
   * @param repository repository name
   * @param digest subject digest
   * @return {@code /v2/<name>/referrers/<digest>}
   */
  URI referrers(String repository, String digest) {
    return URI.create(base + "/v2/" + repository + "/referrers/" + digest);
  }
}
