package io.registryreactive.model;

import io.registryreactive.InvalidReferenceException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An image reference {@code [host[:port]/]repository[:tag][@digest]}, parsed and validated by the
 * grammar of the distribution reference library, so that malformed input fails here with a clear
 * message instead of as an HTTP 400 or 404 later.
 *
 * <p>Grammar: a repository is one or more path components {@code
 * [a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*} joined by {@code /}; a tag is {@code
 * [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}; a digest is {@code algorithm:encoded} with {@code algorithm}
 * {@code [a-z0-9]+(?:[.+_-][a-z0-9]+)*} and {@code encoded} {@code [a-zA-Z0-9=_-]+}, where {@code
 * sha256} needs exactly 64 and {@code sha512} exactly 128 lowercase hex characters. The first path
 * component names a registry host when it contains {@code .} or {@code :} or is {@code localhost};
 * a host is a hostname, an IPv4 address or a bracketed IPv6 address, with an optional port 1-65535.
 * The name ({@code host/repository}) is at most {@value #MAX_NAME_LENGTH} characters.
 *
 * <p>Docker Hub: the hosts {@code docker.io}, {@code index.docker.io} and {@code
 * registry-1.docker.io} become {@code docker.io}, and a one-component repository on Docker Hub gets
 * {@code library/} prefixed. A reference without a host keeps no host ({@link #registry()} is
 * empty) so that a client can apply its own default registry; {@link #dockerHubNormalized()}
 * applies Docker's default.
 *
 * <p>Instances are immutable and thread-safe. Two references are equal when registry, repository,
 * tag and digest are equal as normalised text; {@code ubuntu} and {@code docker.io/library/ubuntu}
 * are not equal (the first names no registry).
 */
public final class ImageReference {

  /** The canonical Docker Hub host that the Docker Hub aliases normalise to. */
  public static final String DOCKER_HUB = "docker.io";

  /** The tag {@link #tagOrDigest()} returns when a reference has neither tag nor digest. */
  public static final String DEFAULT_TAG = "latest";

  /** The longest name ({@code host/repository}, or the repository alone without a host). */
  public static final int MAX_NAME_LENGTH = 255;

  /** The longest tag. */
  public static final int MAX_TAG_LENGTH = 128;

  private static final int MAX_QUOTED_LENGTH = 512;

  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  private static final Pattern PATH_SEPARATOR_RUN = Pattern.compile("[._-]+");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DIGEST_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");
  private static final Pattern DIGEST_ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");
  private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]+");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");

  private final @Nullable String registry;
  private final String repository;
  private final @Nullable String tag;
  private final @Nullable String digest;

  private ImageReference(
      @Nullable String registry, String repository, @Nullable String tag, @Nullable String digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses {@code [host[:port]/]repository[:tag][@digest]}. Docker Hub hosts are normalised (see
   * the class description); a reference without a host stays without one.
   *
   * @param reference the reference text, for example {@code localhost:5000/team/app:1.2@sha256:...}
   * @return the parsed reference
   * @throws NullPointerException if {@code reference} is {@code null}
   * @throws InvalidReferenceException if {@code reference} is malformed; the message quotes it and
   *     says what is wrong (empty, whitespace, upper case in the repository, a bad tag, digest,
   *     host or port, a name over {@value #MAX_NAME_LENGTH} characters, a trailing {@code :} or
   *     {@code @}, ...)
   */
  public static ImageReference parse(String reference) {
    Objects.requireNonNull(reference, "'reference' must not be null");
    Subject subject = new Subject("invalid reference ", reference);
    if (reference.isEmpty()) {
      throw new InvalidReferenceException(subject + ": the reference is empty");
    }
    rejectWhitespace(reference, subject);

    int at = reference.indexOf('@');
    if (at >= 0 && reference.indexOf('@', at + 1) >= 0) {
      fail(subject, "it contains more than one '@'");
    }
    if (at == reference.length() - 1) {
      fail(subject, "it ends with '@' but no digest follows");
    }
    String beforeDigest = at < 0 ? reference : reference.substring(0, at);
    String digest = at < 0 ? null : reference.substring(at + 1);

    int colon = beforeDigest.lastIndexOf(':');
    // A ':' before the last '/' separates a host from its port, not a name from a tag.
    boolean hasTag = colon > beforeDigest.lastIndexOf('/');
    String tag = hasTag ? beforeDigest.substring(colon + 1) : null;
    if (tag != null && tag.isEmpty()) {
      fail(
          subject,
          digest == null
              ? "it ends with ':' but no tag follows"
              : "the tag between ':' and '@' is empty");
    }
    ImageReference name =
        parseName(hasTag ? beforeDigest.substring(0, colon) : beforeDigest, subject);
    // The messages are built only for what fails the fast checks.
    if (tag != null && !isPlainTag(tag)) {
      tagProblem(tag, "the tag " + quote(tag)).ifPresent(problem -> fail(subject, problem));
    }
    if (digest != null && !isPlainDigest(digest)) {
      digestProblem(digest, "the digest " + quote(digest))
          .ifPresent(problem -> fail(subject, problem));
    }
    return new ImageReference(name.registry, name.repository, tag, digest);
  }

  /**
   * Builds a reference from a name and a tag or digest.
   *
   * @param repository the name without tag or digest; like the name part of {@link #parse}, it may
   *     start with a registry host ({@code localhost:5000/team/app})
   * @param tagOrDigest a digest if it contains {@code ':'} (for example {@code sha256:<64 hex>}),
   *     else a tag
   * @return the reference
   * @throws NullPointerException if an argument is {@code null}
   * @throws InvalidReferenceException if the name, tag or digest is malformed, or the name carries
   *     a tag or digest of its own
   */
  public static ImageReference of(String repository, String tagOrDigest) {
    Objects.requireNonNull(repository, "'repository' must not be null");
    Objects.requireNonNull(tagOrDigest, "'tagOrDigest' must not be null");
    Subject subject = new Subject("invalid repository ", repository);
    if (repository.isEmpty()) {
      throw new InvalidReferenceException(subject + ": the repository name is empty");
    }
    rejectWhitespace(repository, subject);
    if (repository.indexOf('@') >= 0 || repository.lastIndexOf(':') > repository.lastIndexOf('/')) {
      throw new InvalidReferenceException(
          subject + ": it must not include a tag or digest; pass that as 'tagOrDigest' instead");
    }
    ImageReference name = parseName(repository, subject);
    if (tagOrDigest.indexOf(':') >= 0) {
      return new ImageReference(
          name.registry, name.repository, null, requireValidDigest(tagOrDigest));
    }
    return new ImageReference(name.registry, name.repository, requireValidTag(tagOrDigest), null);
  }

  /**
   * Checks a repository path as it appears in API routes ({@code /v2/<repository>/...}): path
   * components joined by {@code /}, no host, at most {@value #MAX_NAME_LENGTH} characters.
   *
   * @param repository the repository, for example {@code team/app}
   * @return {@code repository} itself
   * @throws NullPointerException if {@code repository} is {@code null}
   * @throws InvalidReferenceException if it is not a valid repository path; the message quotes it
   *     and says why
   */
  public static String requireValidRepository(String repository) {
    Objects.requireNonNull(repository, "'repository' must not be null");
    Subject subject = new Subject("invalid repository ", repository);
    rejectWhitespace(repository, subject);
    pathProblem(repository).ifPresent(problem -> fail(subject, problem));
    if (repository.length() > MAX_NAME_LENGTH) {
      fail(subject, tooLong(repository.length()));
    }
    return repository;
  }

  /**
   * Checks a tag: {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}.
   *
   * @param tag the tag, for example {@code v1.0_rc-1}
   * @return {@code tag} itself
   * @throws NullPointerException if {@code tag} is {@code null}
   * @throws InvalidReferenceException if it is not a valid tag; the message quotes it and says why
   */
  public static String requireValidTag(String tag) {
    Objects.requireNonNull(tag, "'tag' must not be null");
    tagProblem(tag, "a tag").ifPresent(problem -> fail("invalid tag " + quote(tag), problem));
    return tag;
  }

  /**
   * Checks a digest: {@code algorithm:encoded}; {@code sha256} needs exactly 64 and {@code sha512}
   * exactly 128 lowercase hex characters, other algorithms any {@code [a-zA-Z0-9=_-]+}.
   *
   * @param digest the digest, for example {@code sha256:<64 hex>}
   * @return {@code digest} itself
   * @throws NullPointerException if {@code digest} is {@code null}
   * @throws InvalidReferenceException if it is not a valid digest; the message quotes it and says
   *     why
   */
  public static String requireValidDigest(String digest) {
    Objects.requireNonNull(digest, "'digest' must not be null");
    digestProblem(digest, "a digest")
        .ifPresent(problem -> fail("invalid digest " + quote(digest), problem));
    return digest;
  }

  /**
   * Whether {@link #requireValidDigest} would accept {@code digest}.
   *
   * @param digest the text to check
   * @return {@code true} if it is a valid digest
   * @throws NullPointerException if {@code digest} is {@code null}
   */
  public static boolean isValidDigest(String digest) {
    Objects.requireNonNull(digest, "'digest' must not be null");
    return digestProblem(digest, "a digest").isEmpty();
  }

  /**
   * The registry host as written, with its port if one was given; the Docker Hub aliases read
   * {@value #DOCKER_HUB}.
   *
   * @return the host, or empty when the reference names no host
   */
  public Optional<String> registry() {
    return Optional.ofNullable(registry);
  }

  /**
   * The repository path without host, tag or digest; on Docker Hub it includes {@code library/} for
   * official images.
   *
   * @return the repository, for example {@code team/app}
   */
  public String repository() {
    return repository;
  }

  /**
   * The name: {@code host/repository}, or the repository alone when no host is given.
   *
   * @return the name without tag or digest
   */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /**
   * The tag.
   *
   * @return the tag, or empty if none was given
   */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /**
   * The digest.
   *
   * @return the digest, or empty if none was given
   */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /**
   * What to ask the registry for: the digest if present (it pins the content even when a tag is
   * given too), else the tag, else {@value #DEFAULT_TAG}.
   *
   * @return a digest or a tag
   */
  public String tagOrDigest() {
    if (digest != null) {
      return digest;
    }
    return tag != null ? tag : DEFAULT_TAG;
  }

  /**
   * Whether the reference carries a digest.
   *
   * @return {@code true} when {@link #digest()} is present
   */
  public boolean isDigest() {
    return digest != null;
  }

  /**
   * A copy with another tag; registry, repository and any digest are kept.
   *
   * @param tag the new tag
   * @return a new reference
   * @throws NullPointerException if {@code tag} is {@code null}
   * @throws InvalidReferenceException if {@code tag} is not a valid tag
   */
  public ImageReference withTag(String tag) {
    return new ImageReference(registry, repository, requireValidTag(tag), digest);
  }

  /**
   * A copy with another digest; registry, repository and any tag are kept.
   *
   * @param digest the new digest
   * @return a new reference
   * @throws NullPointerException if {@code digest} is {@code null}
   * @throws InvalidReferenceException if {@code digest} is not a valid digest
   */
  public ImageReference withDigest(String digest) {
    return new ImageReference(registry, repository, tag, requireValidDigest(digest));
  }

  /**
   * A copy without the tag.
   *
   * @return this reference if it has no tag, else a new one
   */
  public ImageReference withoutTag() {
    return tag == null ? this : new ImageReference(registry, repository, null, digest);
  }

  /**
   * A copy without the digest.
   *
   * @return this reference if it has no digest, else a new one
   */
  public ImageReference withoutDigest() {
    return digest == null ? this : new ImageReference(registry, repository, tag, null);
  }

  /**
   * A copy without the registry host; the repository is kept as it is (including any {@code
   * library/}).
   *
   * @return this reference if it names no host, else a new one
   */
  public ImageReference withoutRegistry() {
    return registry == null ? this : new ImageReference(null, repository, tag, digest);
  }

  /**
   * Applies Docker's default registry: a reference without a host gets {@value #DOCKER_HUB}, and
   * {@code library/} if its repository has one component ({@code ubuntu} becomes {@code
   * docker.io/library/ubuntu}). A reference with a host is returned unchanged. No tag is added;
   * {@link #tagOrDigest()} already answers {@value #DEFAULT_TAG}.
   *
   * @return the normalised reference
   * @throws InvalidReferenceException if the normalised name would exceed {@value #MAX_NAME_LENGTH}
   *     characters
   */
  public ImageReference dockerHubNormalized() {
    if (registry != null) {
      return this;
    }
    String path = repository.indexOf('/') < 0 ? "library/" + repository : repository;
    int length = DOCKER_HUB.length() + 1 + path.length();
    if (length > MAX_NAME_LENGTH) {
      fail("invalid reference " + quote(toString()), "on Docker Hub " + tooLong(length));
    }
    return new ImageReference(DOCKER_HUB, path, tag, digest);
  }

  /**
   * Two references are equal when registry, repository, tag and digest are equal.
   *
   * @param other the object to compare with
   * @return whether {@code other} is an equal reference
   */
  @Override
  public boolean equals(@Nullable Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ImageReference)) {
      return false;
    }
    ImageReference that = (ImageReference) other;
    return Objects.equals(registry, that.registry)
        && repository.equals(that.repository)
        && Objects.equals(tag, that.tag)
        && Objects.equals(digest, that.digest);
  }

  /**
   * A hash code consistent with {@link #equals}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }

  /**
   * The canonical text {@code [host/]repository[:tag][@digest]}; {@link #parse} of it gives an
   * equal reference. No default tag is added.
   *
   * @return the reference as text
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(name());
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }

  // ---- parsing -------------------------------------------------------------------------------

  /** Parses {@code [host/]path}; the result carries no tag or digest. */
  private static ImageReference parseName(String name, Subject subject) {
    if (name.isEmpty()) {
      fail(subject, "the repository name is missing");
    }
    if (name.contains("//")) {
      fail(subject, "it contains an empty path component ('//')");
    }
    String registry = null;
    String path = name;
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.indexOf('.') >= 0 || first.indexOf(':') >= 0 || first.equals("localhost")) {
        hostProblem(first).ifPresent(problem -> fail(subject, problem));
        registry = first;
        path = name.substring(slash + 1);
      }
    }
    if (registry != null && path.isEmpty()) {
      fail(subject, "no repository follows the registry host");
    }
    Optional<String> problem = pathProblem(path);
    if (problem.isPresent()) {
      fail(subject, problem.get());
    }
    if (registry != null && isDockerHub(registry)) {
      registry = DOCKER_HUB;
      if (path.indexOf('/') < 0) {
        path = "library/" + path;
      }
    }
    int length = registry == null ? path.length() : registry.length() + 1 + path.length();
    if (length > MAX_NAME_LENGTH) {
      fail(subject, tooLong(length));
    }
    return new ImageReference(registry, path, null, null);
  }

  private static boolean isDockerHub(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.equals(DOCKER_HUB)
        || lower.equals("index.docker.io")
        || lower.equals("registry-1.docker.io");
  }

  private static void rejectWhitespace(String text, Subject subject) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i))) {
        fail(subject, "it must not contain whitespace (found at index " + i + ")");
      }
    }
  }

  private static Optional<String> pathProblem(String path) {
    if (isPlainPath(path)) {
      return Optional.empty();
    }
    if (path.isEmpty()) {
      return Optional.of("the repository name is empty");
    }
    if (path.contains("//")) {
      return Optional.of("it contains an empty path component ('//')");
    }
    if (path.startsWith("/")) {
      return Optional.of("the repository must not start with '/'");
    }
    if (path.endsWith("/")) {
      return Optional.of("the repository must not end with '/'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return Optional.of("repository names must be lowercase (found '" + c + "')");
      }
    }
    for (String component : path.split("/", -1)) {
      if (PATH_COMPONENT.matcher(component).matches()) {
        continue;
      }
      String quoted = "path component " + quote(component);
      for (int i = 0; i < component.length(); i++) {
        char c = component.charAt(i);
        if (!((c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9')
            || c == '.'
            || c == '_'
            || c == '-')) {
          return Optional.of(
              quoted
                  + " contains the invalid character "
                  + describe(c)
                  + "; allowed are a-z, 0-9 and the separators '.', '_', '__' and '-'");
        }
      }
      if (!Character.isLetterOrDigit(component.charAt(0))
          || !Character.isLetterOrDigit(component.charAt(component.length() - 1))) {
        return Optional.of(quoted + " must start and end with a lowercase letter or digit");
      }
      Matcher separators = PATH_SEPARATOR_RUN.matcher(component);
      while (separators.find()) {
        String run = separators.group();
        if (!run.equals(".") && !run.equals("_") && !run.equals("__") && !run.matches("-+")) {
          return Optional.of(
              quoted
                  + " has the invalid separator "
                  + quote(run)
                  + "; components may be joined only by '.', '_', '__' or one or more '-'");
        }
      }
      return Optional.of(quoted + " is invalid"); // unreachable: the checks above cover the grammar
    }
    return Optional.empty();
  }

  private static Optional<String> tagProblem(String tag, String what) {
    if (isPlainTag(tag)) {
      return Optional.empty();
    }
    if (tag.isEmpty()) {
      return Optional.of(what + " must not be empty");
    }
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '_'
          || c == '-')) {
        return Optional.of(
            what
                + " contains the invalid character "
                + describe(c)
                + "; allowed are A-Z, a-z, 0-9, '.', '_' and '-'");
      }
    }
    if (tag.charAt(0) == '.' || tag.charAt(0) == '-') {
      return Optional.of(what + " must start with a letter, a digit or '_'");
    }
    if (tag.length() > MAX_TAG_LENGTH) {
      return Optional.of(
          what
              + " is "
              + tag.length()
              + " characters long; at most "
              + MAX_TAG_LENGTH
              + " are allowed");
    }
    // The checks above cover the grammar; the pattern is the authority should they ever drift.
    return TAG.matcher(tag).matches()
        ? Optional.empty()
        : Optional.of(what + " is not a valid tag");
  }

  private static Optional<String> digestProblem(String digest, String what) {
    if (isPlainDigest(digest)) {
      return Optional.empty();
    }
    int colon = digest.indexOf(':');
    if (colon < 0) {
      return Optional.of(
          what + " must have the form algorithm:encoded, for example sha256:<64 hex characters>");
    }
    String algorithm = digest.substring(0, colon);
    String encoded = digest.substring(colon + 1);
    if (!DIGEST_ALGORITHM.matcher(algorithm).matches()) {
      return Optional.of(
          what
              + " has the invalid algorithm "
              + quote(algorithm)
              + "; it must be lowercase letters and digits, optionally joined by '.', '+', '_' or '-'");
    }
    if (encoded.isEmpty()) {
      return Optional.of(what + " has nothing after " + quote(algorithm + ":"));
    }
    if (!DIGEST_ENCODED.matcher(encoded).matches()) {
      return Optional.of(
          what
              + " has invalid characters after "
              + quote(algorithm + ":")
              + "; allowed are A-Z, a-z, 0-9, '=', '_' and '-'");
    }
    int hexLength = algorithm.equals("sha256") ? 64 : algorithm.equals("sha512") ? 128 : 0;
    if (hexLength > 0) {
      if (encoded.length() != hexLength) {
        return Optional.of(
            what
                + " must have exactly "
                + hexLength
                + " hex characters after "
                + quote(algorithm + ":")
                + ", found "
                + encoded.length());
      }
      if (!LOWER_HEX.matcher(encoded).matches()) {
        return Optional.of(
            what
                + " must have only lowercase hex characters (0-9, a-f) after "
                + quote(algorithm + ":"));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> hostProblem(String hostAndPort) {
    String port = null;
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      if (close < 0) {
        return Optional.of("the IPv6 registry host " + quote(hostAndPort) + " has no closing ']'");
      }
      String address = hostAndPort.substring(1, close);
      if (!isIpv6(address)) {
        return Optional.of(quote(address) + " is not a valid IPv6 address");
      }
      String rest = hostAndPort.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          return Optional.of(
              "the registry host "
                  + quote(hostAndPort)
                  + " has "
                  + quote(rest)
                  + " after ']'; only ':port' may follow");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = hostAndPort.indexOf(':');
      if (colon >= 0 && hostAndPort.indexOf(':', colon + 1) >= 0) {
        return Optional.of(
            "the registry host "
                + quote(hostAndPort)
                + " has more than one ':'; IPv6 addresses must be written in brackets, for example [::1]:5000");
      }
      String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
      if (colon >= 0) {
        port = hostAndPort.substring(colon + 1);
      }
      if (host.isEmpty()) {
        return Optional.of("the registry host before ':' is empty");
      }
      Optional<String> hostnameProblem = hostnameProblem(host);
      if (hostnameProblem.isPresent()) {
        return hostnameProblem;
      }
    }
    if (port != null) {
      if (port.isEmpty()) {
        return Optional.of(
            "the port after "
                + quote(hostAndPort.substring(0, hostAndPort.length() - 1))
                + " is empty");
      }
      if (!DIGITS.matcher(port).matches()) {
        return Optional.of("the port " + quote(port) + " must be a number from 1 to 65535");
      }
      // Length first: a long digit string would overflow parseInt.
      if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        return Optional.of("the port " + port + " is out of range 1-65535");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> hostnameProblem(String host) {
    String[] labels = host.split("\\.", -1);
    boolean numeric = true;
    for (String label : labels) {
      numeric &= DIGITS.matcher(label).matches();
    }
    // An all-numeric name is an IPv4 address or nothing: resolvers read "10.1" as 10.0.0.1.
    if (numeric) {
      return isIpv4(host)
          ? Optional.empty()
          : Optional.of(
              quote(host)
                  + " is not a valid IPv4 address (four numbers 0-255 without leading zeros)");
    }
    for (String label : labels) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return Optional.of(
            "the registry host "
                + quote(host)
                + " is not a valid hostname: "
                + (label.isEmpty()
                    ? "it has an empty label"
                    : "the label "
                        + quote(label)
                        + " may hold only letters, digits and inner '-'"));
      }
    }
    return Optional.empty();
  }

  private static boolean isIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !DIGITS.matcher(part).matches()
          || (part.length() > 1 && part.charAt(0) == '0')
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String text) {
    String address = text;
    int lastColon = address.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    String tail = address.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      // An embedded IPv4 tail (::ffff:10.0.0.1) takes the place of two groups.
      if (!isIpv4(tail)) {
        return false;
      }
      address = address.substring(0, lastColon + 1) + "0:0";
    }
    int doubleColon = address.indexOf("::");
    if (doubleColon < 0) {
      return hexGroups(address) == 8;
    }
    if (address.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    int left = hexGroups(address.substring(0, doubleColon));
    int right = hexGroups(address.substring(doubleColon + 2));
    return left >= 0 && right >= 0 && left + right <= 7;
  }

  /** The number of ':'-separated 1-4 digit hex groups, 0 for "", or -1 if malformed. */
  private static int hexGroups(String text) {
    if (text.isEmpty()) {
      return 0;
    }
    String[] groups = text.split(":", -1);
    for (String group : groups) {
      if (!HEX_GROUP.matcher(group).matches()) {
        return -1;
      }
    }
    return groups.length;
  }

  private static String tooLong(int length) {
    return "the name is "
        + length
        + " characters long; at most "
        + MAX_NAME_LENGTH
        + " are allowed";
  }

  /**
   * What an error message says it is about ({@code invalid reference "..."}), quoted only when a
   * message is made: parsing a valid reference, the common case, builds no text.
   */
  private record Subject(String prefix, String text) {
    @Override
    public String toString() {
      return prefix + quote(text);
    }
  }

  // Fast checks, written out by hand: each accepts only what its *Problem method (and the grammar's
  // pattern) accepts, and those methods call it first, so a valid name, tag or digest is checked
  // without a regular expression or a message. Whatever a fast check does not accept goes through
  // the full check, which decides and explains; ImageReferenceTest compares the two.

  /**
   * @param path a repository path
   * @return {@code true} only if it is a valid path: components of {@code [a-z0-9]} joined by
   *     {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by single {@code /}
   */
  static boolean isPlainPath(String path) {
    int n = path.length();
    if (n == 0) {
      return false;
    }
    boolean componentStart = true;
    int i = 0;
    while (i < n) {
      char c = path.charAt(i);
      if (isLowerAlnum(c)) {
        componentStart = false;
        i++;
        continue;
      }
      if (componentStart) {
        return false; // a component starts with a separator, or is empty
      }
      if (c == '/') {
        componentStart = true;
        i++;
        continue;
      }
      // A separator run between two alphanumerics: ".", "_", "__" or "-"+.
      int end = i;
      while (end < n
          && (path.charAt(end) == '.' || path.charAt(end) == '_' || path.charAt(end) == '-')) {
        end++;
      }
      if (end == n || !isLowerAlnum(path.charAt(end)) || !isSeparatorRun(path, i, end)) {
        return false;
      }
      i = end;
    }
    return !componentStart;
  }

  private static boolean isSeparatorRun(String s, int from, int to) {
    int length = to - from;
    char first = s.charAt(from);
    if (first == '.') {
      return length == 1;
    }
    if (first == '_') {
      return length == 1 || (length == 2 && s.charAt(from + 1) == '_');
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * @param tag a tag
   * @return {@code true} only if it matches {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}
   */
  static boolean isPlainTag(String tag) {
    int n = tag.length();
    if (n == 0 || n > MAX_TAG_LENGTH) {
      return false;
    }
    char first = tag.charAt(0);
    if (!(isAlnum(first) || first == '_')) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = tag.charAt(i);
      if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param digest a digest
   * @return {@code true} only if it is {@code sha256:} and 64, or {@code sha512:} and 128,
   *     lower-case hex characters; other digests go through the full check
   */
  static boolean isPlainDigest(String digest) {
    int hex;
    if (digest.startsWith("sha256:")) {
      hex = 64;
    } else if (digest.startsWith("sha512:")) {
      hex = 128;
    } else {
      return false;
    }
    if (digest.length() != 7 + hex) {
      return false;
    }
    for (int i = 7; i < digest.length(); i++) {
      char c = digest.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  private static boolean isAlnum(char c) {
    return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
  }

  private static void fail(Object subject, String problem) {
    throw new InvalidReferenceException(subject + ": " + problem);
  }

  private static String describe(char c) {
    String code = String.format("U+%04X", (int) c);
    if (c < 0x20 || c == 0x7f || Character.isISOControl(c) || Character.isSurrogate(c)) {
      return code;
    }
    return c > 0x7e ? "'" + c + "' (" + code + ")" : "'" + c + "'";
  }

  /** Quotes input for a message, escaping control characters and bounding its length. */
  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    int end = Math.min(text.length(), MAX_QUOTED_LENGTH);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\t' -> quoted.append("\\t");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || (Character.isWhitespace(c) && c != ' ')) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    if (text.length() > MAX_QUOTED_LENGTH) {
      quoted.append("...\" (").append(text.length()).append(" characters)");
      return quoted.toString();
    }
    return quoted.append('"').toString();
  }
}
