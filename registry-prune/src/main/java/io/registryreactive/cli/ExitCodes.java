package io.registryreactive.cli;

import io.registryreactive.AccessDeniedException;
import io.registryreactive.AuthenticationException;
import io.registryreactive.DeletionDisabledException;
import io.registryreactive.InvalidReferenceException;

/** The exit codes of {@code registry-prune}; the README lists them. */
final class ExitCodes {
  /** Done. */
  static final int OK = 0;

  /** Some deletions (or other requests) failed. */
  static final int FAILED = 1;

  /** Bad usage or bad input, found before any request. */
  static final int USAGE = 2;

  /** Authentication, permission, or deletion disabled. */
  static final int DENIED = 3;

  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report a process ended by SIGINT. */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  static int of(Throwable e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof InvalidReferenceException || t instanceof IllegalArgumentException) {
        return USAGE;
      }
      if (t instanceof AuthenticationException
          || t instanceof AccessDeniedException
          || t instanceof DeletionDisabledException) {
        return DENIED;
      }
      t = t.getCause();
    }
    return FAILED;
  }
}
