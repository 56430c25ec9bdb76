package io.registryreactive;

/**
 * Input that names no valid image, repository, tag or digest. Raised before any request is sent;
 * the message quotes the input and says what is wrong with it.
 */
public class InvalidReferenceException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the input and what is wrong with it
   */
  public InvalidReferenceException(String message) {
    super(message);
  }
}
