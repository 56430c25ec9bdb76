package io.registryreactive.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.registryreactive.InvalidReferenceException;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  private static final String SHA256 =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String SHA256_OTHER = "sha256:" + "fedcba9876543210".repeat(4);
  private static final String SHA512 =
      "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
          + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /** Asserts that the call is refused as an invalid reference; for checks of the message. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
      ThrowingCallable call) {
    return assertThatThrownBy(call).isInstanceOf(InvalidReferenceException.class);
  }

  /**
   * Asserts that the call is refused with a message that quotes the input as a {@code kind}
   * ("reference", "repository") and names the problem.
   */
  private static void assertRefusedQuoting(
      ThrowingCallable call, String kind, String input, String problem) {
    assertInvalid(call)
        .hasMessageStartingWith("invalid " + kind + " \"" + input + "\": ")
        .hasMessageContaining(problem);
  }

  // Empty CSV cells arrive as null and stand for "absent".
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ubuntu                                  |                      | ubuntu              |
      ubuntu:22.04                            |                      | ubuntu              | 22.04
      team/sub/app:v1                         |                      | team/sub/app        | v1
      team/a.b_c__d-e---f/x9                  |                      | team/a.b_c__d-e---f/x9 |
      localhost/app                           | localhost            | app                 |
      localhost:5000/app:1.0                  | localhost:5000       | app                 | 1.0
      registry.example.com/a/b/c:latest       | registry.example.com | a/b/c               | latest
      Registry.Example.COM:443/app            | Registry.Example.COM:443 | app             |
      192.168.1.10:5000/app                   | 192.168.1.10:5000    | app                 |
      [::1]:5000/app:dev                      | [::1]:5000           | app                 | dev
      [2001:db8::ff00:42:8329]/team/app       | [2001:db8::ff00:42:8329] | team/app        |
      [::ffff:10.0.0.1]:80/app                | [::ffff:10.0.0.1]:80 | app                 |
      app:v1.0_rc-1                           |                      | app                 | v1.0_rc-1
      app:__a                                 |                      | app                 | __a
      app:_                                   |                      | app                 | _
      app:UPPER.case-Tag                      |                      | app                 | UPPER.case-Tag
      """)
  void parse_whenValidWithoutDigest_splitsIntoParts(
      String input, String registry, String repository, String tag) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).isEqualTo(Optional.ofNullable(registry));
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
    assertThat(ref.digest()).isEmpty();
    assertThat(ref.isDigest()).isFalse();
    assertThat(ref.toString()).isEqualTo(input);
  }

  /** The reference, the written form of {@link #SHA256}, splits into these parts. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      digest only, no tag          | ghcr.io/owner/app@        | ghcr.io        | owner/app |
      tag and digest, digest wins  | localhost:5000/app:v2@    | localhost:5000 | app       | v2
      """)
  void parse_whenDigestGiven_keepsItAndPrefersItToAnyTag(
      String what, String beforeDigest, String registry, String repository, String tag) {
    String input = beforeDigest + SHA256;
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).contains(registry);
    assertThat(ref.repository()).isEqualTo(repository);
    assertThat(ref.tag()).isEqualTo(Optional.ofNullable(tag));
    assertThat(ref.digest()).contains(SHA256);
    assertThat(ref.isDigest()).isTrue();
    assertThat(ref.tagOrDigest()).isEqualTo(SHA256);
    assertThat(ref).hasToString(input);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        SHA512,
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
        "blake3:abababababababababababababababababababababababababababababababab"
      })
  void parse_whenOtherDigestAlgorithms_accepts(String digest) {
    ImageReference ref = ImageReference.parse("app@" + digest);

    assertThat(ref.digest()).contains(digest);
  }

  @Test
  void parse_whenTagIs128Characters_accepts() {
    String tag = "t" + "x".repeat(127);

    assertThat(ImageReference.parse("app:" + tag).tag()).contains(tag);
  }

  @Test
  void parse_whenNameIs255Characters_accepts() {
    String repository = "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(53);

    assertThat(ImageReference.parse(repository).repository()).hasSize(255);
    assertThat(ImageReference.parse("example.com/" + repository.substring(12)).name()).hasSize(255);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      docker.io/ubuntu                          | docker.io/library/ubuntu
      index.docker.io/ubuntu:22.04              | docker.io/library/ubuntu:22.04
      registry-1.docker.io/library/ubuntu       | docker.io/library/ubuntu
      DOCKER.IO/ubuntu                          | docker.io/library/ubuntu
      docker.io/bitnami/redis                   | docker.io/bitnami/redis
      index.docker.io/bitnami/redis:7           | docker.io/bitnami/redis:7
      """)
  void parse_whenDockerHubHost_normalisesHostAndAddsLibrary(String input, String canonical) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).contains("docker.io");
    assertThat(ref).hasToString(canonical);
    assertThat(ref).isEqualTo(ImageReference.parse(canonical));
  }

  @Test
  void parse_whenDockerHubPortGiven_doesNotTreatItAsDockerHub() {
    ImageReference ref = ImageReference.parse("docker.io:5000/ubuntu");

    assertThat(ref.registry()).contains("docker.io:5000");
    assertThat(ref.repository()).isEqualTo("ubuntu");
  }

  @Test
  void parse_whenNoHost_keepsRegistryEmptyAndNoLibraryPrefix() {
    ImageReference ref = ImageReference.parse("ubuntu");

    assertThat(ref.registry()).isEmpty();
    assertThat(ref.repository()).isEqualTo("ubuntu");
    assertThat(ref).isNotEqualTo(ImageReference.parse("docker.io/library/ubuntu"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      example.com/app                 | example.com
      localhost/app                   | localhost
      a:1/app                         | a:1
      """)
  void parse_whenFirstComponentHasDotColonOrIsLocalhost_treatsItAsHost(String input, String host) {
    assertThat(ImageReference.parse(input).registry()).contains(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"team/app", "localhostx/app", "my-registry/app"})
  void parse_whenFirstComponentIsPlainName_treatsItAsPath(String input) {
    ImageReference ref = ImageReference.parse(input);

    assertThat(ref.registry()).isEmpty();
    assertThat(ref.repository()).isEqualTo(input);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      Ubuntu                         | repository names must be lowercase
      team/App:v1                    | repository names must be lowercase
      example.com/Team/app           | repository names must be lowercase
      ubuntu:-v1                     | must start with a letter, a digit or '_'
      ubuntu:.v1                     | must start with a letter, a digit or '_'
      ubuntu:v1!                     | invalid character '!'
      ubuntu:v1+build                | invalid character '+'
      ubuntu@sha256:abc              | exactly 64 hex characters after "sha256:", found 3
      ubuntu@sha512:0123456789abcdef | exactly 128 hex characters after "sha512:", found 16
      ubuntu@sha256                  | algorithm:encoded
      ubuntu@md5:                    | nothing after "md5:"
      ubuntu@sha256:ab/cd            | invalid characters after "sha256:"
      ubuntu@:abc                    | invalid algorithm ""
      ubuntu@                        | ends with '@' but no digest follows
      ubuntu:                        | ends with ':' but no tag follows
      localhost:5000/app:            | ends with ':' but no tag follows
      a@b@c                          | more than one '@'
      localhost:0/app                | out of range 1-65535
      localhost:65536/app            | out of range 1-65535
      localhost:9999999999/app       | out of range 1-65535
      localhost:http/app             | must be a number
      localhost:/app                 | port after "localhost" is empty
      :5000/app                      | registry host before ':' is empty
      a//b                           | empty path component ('//')
      localhost:5000//app            | empty path component ('//')
      /ubuntu                        | must not start with '/'
      ubuntu/                        | must not end with '/'
      team/app/:v1                   | must not end with '/'
      example.com/                   | no repository follows the registry host
      -ubuntu                        | must start and end with a lowercase letter or digit
      ubuntu-                        | must start and end with a lowercase letter or digit
      team/_app                      | must start and end with a lowercase letter or digit
      ubuntu.:v1                     | must start and end with a lowercase letter or digit
      a..b                           | invalid separator ".."
      a___b                          | invalid separator "___"
      a.-b                           | invalid separator ".-"
      a-_b                           | invalid separator "-_"
      ubü                            | invalid character 'ü' (U+00FC)
      team/a+b                       | invalid character '+'
      @sha256:abc                    | repository name is missing
      :v1                            | repository name is missing
      [::1/app                       | no closing ']'
      [::g]/app                      | "::g" is not a valid IPv6 address
      [1::2::3]:5000/app             | not a valid IPv6 address
      [::1]x/app                     | only ':port' may follow
      ::1/app                        | IPv6 addresses must be written in brackets
      my_host.com/app                | not a valid hostname
      -host.com/app                  | not a valid hostname
      example..com/app               | it has an empty label
      999.1.1.1/app                  | not a valid IPv4 address
      10.1:5000/app                  | not a valid IPv4 address
      """)
  void parse_whenMalformed_throwsMessageQuotingInputAndProblem(String input, String problem) {
    assertRefusedQuoting(() -> ImageReference.parse(input), "reference", input, problem);
  }

  @Test
  void parse_whenEmpty_throwsSayingEmpty() {
    assertInvalid(() -> ImageReference.parse(""))
        .hasMessage("invalid reference \"\": the reference is empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " ubuntu",
        "ubuntu ",
        "ubu ntu",
        "ubuntu:v 1",
        "ubuntu@ " + SHA256,
        "ubuntu\u00a0"
      })
  void parse_whenWhitespace_throwsSayingWhitespace(String input) {
    assertInvalid(() -> ImageReference.parse(input))
        .hasMessageContaining("\"" + input + "\"")
        .hasMessageContaining("must not contain whitespace");
  }

  @Test
  void parse_whenControlWhitespace_escapesItInTheMessage() {
    assertInvalid(() -> ImageReference.parse("ubuntu\n:v1\t"))
        .hasMessageStartingWith("invalid reference \"ubuntu\\n:v1\\t\": ")
        .hasMessageContaining("whitespace (found at index 6)");
  }

  /**
   * Inputs too long or malformed in one part, built rather than written out: (what, input, the
   * problem named).
   */
  static Stream<Arguments> malformedBuiltInputs() {
    return Stream.of(
        Arguments.of(
            "a 129-character tag",
            "app:" + "t".repeat(129),
            "is 129 characters long; at most 128 are allowed"),
        Arguments.of(
            "a sha256 digest with upper-case hex",
            "app@sha256:" + "0123456789ABCDEF".repeat(4),
            "only lowercase hex characters"),
        Arguments.of(
            "a sha256 digest with non-hex characters",
            "app@sha256:" + "g".repeat(64),
            "only lowercase hex characters"),
        Arguments.of(
            "an empty tag before the digest",
            "app:@" + SHA256,
            "the tag between ':' and '@' is empty"),
        Arguments.of(
            "a 256-character name",
            "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(54) + ":v1",
            "the name is 256 characters long; at most 255 are allowed"),
        Arguments.of(
            "host plus path over 255 characters",
            "registry.example.com/" + "a".repeat(235),
            "the name is 256 characters long"),
        // 255 characters as written, 263 once "library/" is added.
        Arguments.of(
            "a Docker Hub name that the library/ prefix makes too long",
            "docker.io/" + "a".repeat(245),
            "the name is 263 characters long"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBuiltInputs")
  void parse_whenOnePartIsTooLongOrMalformed_throwsNamingTheProblem(
      String what, String input, String problem) {
    assertInvalid(() -> ImageReference.parse(input)).hasMessageContaining(problem);
  }

  @Test
  void parse_whenInputIsHuge_boundsTheQuotedInput() {
    String input = "a".repeat(10_000) + "!";

    assertInvalid(() -> ImageReference.parse(input))
        .hasMessageContaining("...\" (10001 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(2_000));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ubuntu",
        "team/app:v1",
        "localhost:5000/app@" + SHA256,
        "[::1]:5000/a/b:c@" + SHA256,
        "docker.io/library/ubuntu:22.04"
      })
  void toString_whenParsedAgain_givesEqualReference(String input) {
    ImageReference ref = ImageReference.parse(input);
    ImageReference again = ImageReference.parse(ref.toString());

    assertThat(again).isEqualTo(ref);
    assertThat(again.hashCode()).isEqualTo(ref.hashCode());
  }

  @Test
  void of_whenTag_buildsTaggedReference() {
    ImageReference ref = ImageReference.of("team/app", "1.0");

    assertThat(ref.tag()).contains("1.0");
    assertThat(ref.digest()).isEmpty();
    assertThat(ref).isEqualTo(ImageReference.parse("team/app:1.0"));
  }

  @Test
  void of_whenValueContainsColon_treatsItAsDigest() {
    ImageReference ref = ImageReference.of("localhost:5000/app", SHA256);

    assertThat(ref.registry()).contains("localhost:5000");
    assertThat(ref.digest()).contains(SHA256);
    assertThat(ref.tag()).isEmpty();
  }

  @Test
  void of_whenDockerHubHost_normalisesLikeParse() {
    assertThat(ImageReference.of("index.docker.io/ubuntu", "22.04"))
        .hasToString("docker.io/library/ubuntu:22.04");
  }

  @ParameterizedTest(name = "{0} + {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      Team/app        | v1             | invalid repository "Team/app": repository names must be lowercase
      app:v1          | v2             | invalid repository "app:v1": it must not include a tag or digest
      app@x           | v2             | must not include a tag or digest
      app//x          | v2             | empty path component
      app             | -v1            | invalid tag "-v1": a tag must start with a letter, a digit or '_'
      app             | bad!tag        | invalid tag "bad!tag": a tag contains the invalid character '!'
      app             | sha256:abc     | invalid digest "sha256:abc": a digest must have exactly 64 hex characters
      app             | ``             | invalid tag "": a tag must not be empty
      ``              | v1             | invalid repository "": the repository name is empty
      """)
  void of_whenMalformed_throwsNamingTheBadPart(
      String repository, String tagOrDigest, String message) {
    assertInvalid(() -> ImageReference.of(repository, tagOrDigest)).hasMessageContaining(message);
  }

  @Test
  void tagOrDigest_whenNeitherGiven_returnsLatest() {
    assertThat(ImageReference.parse("app").tagOrDigest()).isEqualTo("latest");
    assertThat(ImageReference.parse("app:v3").tagOrDigest()).isEqualTo("v3");
  }

  @Test
  void withTag_whenValid_replacesTagAndKeepsTheRest() {
    ImageReference original = ImageReference.parse("localhost:5000/app:v1@" + SHA256);

    ImageReference changed = original.withTag("v2");

    assertThat(changed).hasToString("localhost:5000/app:v2@" + SHA256);
    assertThat(original.tag()).contains("v1");
  }

  @Test
  void withTag_whenInvalid_throwsAndNamesTag() {
    ImageReference ref = ImageReference.parse("app");

    assertInvalid(() -> ref.withTag("v" + "1".repeat(128)))
        .hasMessageContaining("is 129 characters long");
  }

  @Test
  void withDigest_whenValid_replacesDigestAndKeepsTag() {
    ImageReference ref = ImageReference.parse("app:v1@" + SHA256).withDigest(SHA256_OTHER);

    assertThat(ref.digest()).contains(SHA256_OTHER);
    assertThat(ref.tag()).contains("v1");
  }

  @Test
  void withDigest_whenInvalid_throws() {
    ImageReference ref = ImageReference.parse("app");

    assertInvalid(() -> ref.withDigest("sha256:xyz"))
        .hasMessageStartingWith("invalid digest \"sha256:xyz\": ");
  }

  @Test
  void withoutTagAndWithoutDigest_whenPresent_dropThatPartOnly() {
    ImageReference ref = ImageReference.parse("app:v1@" + SHA256);

    assertThat(ref.withoutTag()).hasToString("app@" + SHA256);
    assertThat(ref.withoutDigest()).hasToString("app:v1");
  }

  @Test
  void withoutRegistry_whenHostGiven_dropsHostAndKeepsPath() {
    assertThat(ImageReference.parse("localhost:5000/team/app:v1").withoutRegistry())
        .hasToString("team/app:v1");
    assertThat(ImageReference.parse("docker.io/ubuntu").withoutRegistry())
        .hasToString("library/ubuntu");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ubuntu                     | docker.io/library/ubuntu
      ubuntu:22.04               | docker.io/library/ubuntu:22.04
      bitnami/redis              | docker.io/bitnami/redis
      localhost:5000/app         | localhost:5000/app
      ghcr.io/owner/app          | ghcr.io/owner/app
      docker.io/library/ubuntu   | docker.io/library/ubuntu
      """)
  void dockerHubNormalized_whenApplied_addsDockerHubOnlyWithoutHost(String input, String expected) {
    assertThat(ImageReference.parse(input).dockerHubNormalized()).hasToString(expected);
  }

  @Test
  void dockerHubNormalized_whenNoHost_equalsExplicitDockerHubReference() {
    assertThat(ImageReference.parse("ubuntu").dockerHubNormalized())
        .isEqualTo(ImageReference.parse("index.docker.io/library/ubuntu"));
  }

  @Test
  void dockerHubNormalized_whenResultWouldExceed255_throws() {
    ImageReference ref = ImageReference.parse("a".repeat(240));

    assertInvalid(ref::dockerHubNormalized).hasMessageContaining("258 characters long");
  }

  @Test
  void equals_whenAnyPartDiffers_isFalse() {
    ImageReference ref = ImageReference.parse("localhost:5000/app:v1");

    assertThat(ref).isEqualTo(ImageReference.parse("localhost:5000/app:v1"));
    assertThat(ref).isNotEqualTo(ImageReference.parse("localhost:5001/app:v1"));
    assertThat(ref).isNotEqualTo(ImageReference.parse("localhost:5000/app2:v1"));
    assertThat(ref).isNotEqualTo(ImageReference.parse("localhost:5000/app:v2"));
    assertThat(ref).isNotEqualTo(ImageReference.parse("localhost:5000/app:v1@" + SHA256));
  }

  @Test
  void requireValidRepository_whenValid_returnsArgument() {
    String repository = "team/sub-team/app.v2";

    assertThat(ImageReference.requireValidRepository(repository)).isSameAs(repository);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      localhost:5000/app | invalid character ':'
      Team/app           | repository names must be lowercase
      ``                 | the repository name is empty
      team//app          | '//'
      team/app/          | must not end with '/'
      `team app`         | must not contain whitespace
      """)
  void requireValidRepository_whenInvalid_throwsQuotingArgument(String repository, String problem) {
    assertRefusedQuoting(
        () -> ImageReference.requireValidRepository(repository), "repository", repository, problem);
  }

  @Test
  void requireValidRepository_whenLongerThan255_throws() {
    assertInvalid(() -> ImageReference.requireValidRepository("a".repeat(256)))
        .hasMessageContaining("256 characters long; at most 255");
  }

  @Test
  void requireValidTag_whenValid_returnsArgument() {
    String tag = "v1.0_rc-1";

    assertThat(ImageReference.requireValidTag(tag)).isSameAs(tag);
  }

  @Test
  void requireValidTag_whenInvalid_throwsQuotingArgument() {
    assertInvalid(() -> ImageReference.requireValidTag("v1/x"))
        .hasMessage(
            "invalid tag \"v1/x\": a tag contains the invalid character '/';"
                + " allowed are A-Z, a-z, 0-9, '.', '_' and '-'");
  }

  @Test
  void requireValidDigest_whenValid_returnsArgument() {
    assertThat(ImageReference.requireValidDigest(SHA256)).isSameAs(SHA256);
  }

  @Test
  void requireValidDigest_whenInvalid_throwsQuotingArgument() {
    assertInvalid(() -> ImageReference.requireValidDigest("SHA256:abc"))
        .hasMessageStartingWith(
            "invalid digest \"SHA256:abc\": a digest has the invalid algorithm \"SHA256\"");
  }

  @Test
  void isValidDigest_whenChecked_agreesWithGrammar() {
    assertThat(ImageReference.isValidDigest(SHA256)).isTrue();
    assertThat(ImageReference.isValidDigest(SHA512)).isTrue();
    assertThat(ImageReference.isValidDigest("sha256:" + "a".repeat(63))).isFalse();
    assertThat(ImageReference.isValidDigest(SHA512.substring(0, 71))).isFalse();
    assertThat(ImageReference.isValidDigest("0123456789abcdef".repeat(4))).isFalse();
    assertThat(ImageReference.isValidDigest("")).isFalse();
  }

  /** Asserts that the call throws a NullPointerException naming this parameter. */
  private static void assertNullRefused(ThrowingCallable call, String parameter) {
    assertThatNullPointerException()
        .isThrownBy(call)
        .withMessage("'" + parameter + "' must not be null");
  }

  @Test
  void nullArguments_whenPassed_throwNullPointerExceptionNamingParameter() {
    ImageReference ref = ImageReference.parse("app");

    assertNullRefused(() -> ImageReference.parse(null), "reference");
    assertNullRefused(() -> ImageReference.of(null, "v1"), "repository");
    assertNullRefused(() -> ImageReference.of("app", null), "tagOrDigest");
    assertNullRefused(() -> ref.withTag(null), "tag");
    assertNullRefused(() -> ref.withDigest(null), "digest");
    assertNullRefused(() -> ImageReference.requireValidRepository(null), "repository");
    assertNullRefused(() -> ImageReference.isValidDigest(null), "digest");
  }
}
