package io.registryreactive;

/**
 * Content fetched by digest did not hash to that digest, or a server's {@code
 * Docker-Content-Digest} disagreed with the content it sent. The content is not used.
 */
public class DigestMismatchException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String actual;

  /**
   * Creates the exception.
   *
   * @param what what was fetched (for example the manifest URL)
   * @param expected the digest asked for
   * @param actual the digest of the bytes received
   */
  public DigestMismatchException(String what, String expected, String actual) {
    super(
        "digest mismatch for "
            + what
            + ": expected "
            + expected
            + " but the content hashes to "
            + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * @return the digest asked for
   */
  public String expected() {
    return expected;
  }

  /**
   * @return the digest of the bytes received
   */
  public String actual() {
    return actual;
  }
}
