package io.registryreactive.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthChallengeTest {

  /** The challenges of a {@code WWW-Authenticate} value, which must be this many. */
  private static List<AuthChallenge> challenges(String header, int count) {
    List<AuthChallenge> challenges = AuthChallenge.parse(header);
    assertThat(challenges).hasSize(count);
    return challenges;
  }

  /** The first challenge of a {@code WWW-Authenticate} value. */
  private static AuthChallenge first(String header) {
    return AuthChallenge.parse(header).get(0);
  }

  /**
   * Bearer challenges written several ways, each one challenge: (what, header, realm, service,
   * scope, error); an empty cell is a parameter the header does not have.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
      Docker's challenge: realm, service and scope | Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull" | https://auth.docker.io/token | registry.docker.io | repository:library/alpine:pull |
      a quoted scope holding a comma stays one value | Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull,push" | https://auth.example/token | reg | repository:a/b:pull,push |
      unquoted values are read as tokens | Bearer realm=https://auth.example/token,service=registry.example,error=invalid_token | https://auth.example/token | registry.example | | invalid_token
      """)
  void parse_whenOneBearerChallenge_readsItsParameters(
      String what, String header, String realm, String service, String scope, String error) {
    List<AuthChallenge> challenges = challenges(header, 1);

    AuthChallenge bearer = challenges.get(0);
    assertThat(bearer.isBearer()).isTrue();
    assertThat(bearer.isBasic()).isFalse();
    assertThat(bearer.realm()).isEqualTo(Optional.ofNullable(realm));
    assertThat(bearer.service()).isEqualTo(Optional.ofNullable(service));
    assertThat(bearer.scope()).isEqualTo(Optional.ofNullable(scope));
    assertThat(bearer.error()).isEqualTo(Optional.ofNullable(error));
    assertThat(bearer.token68()).isEmpty();
    assertThat(bearer.params().keySet())
        .containsExactlyInAnyOrderElementsOf(
            Stream.of(
                    realm == null ? null : "realm",
                    service == null ? null : "service",
                    scope == null ? null : "scope",
                    error == null ? null : "error")
                .filter(Objects::nonNull)
                .toList());
  }

  @Test
  void parse_whenQuotedRealmHoldsComma_keepsItInOneValue() {
    List<AuthChallenge> challenges =
        challenges("Basic realm=\"Registry, staff only\", charset=\"UTF-8\"", 1);

    assertThat(challenges.get(0).realm()).contains("Registry, staff only");
    assertThat(challenges.get(0).param("charset")).contains("UTF-8");
  }

  @Test
  void parse_whenQuotedValueHasEscapes_unescapesThem() {
    AuthChallenge basic = first("Basic realm=\"say \\\"hi\\\" \\\\ bye\", other=\"x\"");

    assertThat(basic.realm()).contains("say \"hi\" \\ bye");
    assertThat(basic.param("other")).contains("x");
  }

  @Test
  void parse_whenSeveralChallengesInOneValue_returnsEachInOrder() {
    List<AuthChallenge> challenges =
        AuthChallenge.parse("Bearer realm=\"x\",service=\"y\", Basic realm=\"z\"");

    assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("bearer", "basic");
    assertThat(challenges.get(0).params()).isEqualTo(Map.of("realm", "x", "service", "y"));
    assertThat(challenges.get(1).params()).isEqualTo(Map.of("realm", "z"));
  }

  @Test
  void parse_whenBasicBeforeBearer_splitsAtTheSecondScheme() {
    List<AuthChallenge> challenges =
        challenges(
            "Basic realm=\"Registry Realm\", Bearer realm=\"https://a/token\", service=\"s\"", 2);

    assertThat(challenges.get(0).isBasic()).isTrue();
    assertThat(challenges.get(0).params()).containsOnlyKeys("realm");
    assertThat(challenges.get(1).isBearer()).isTrue();
    assertThat(challenges.get(1).service()).contains("s");
  }

  @Test
  void parse_whenInsufficientScope_exposesErrorAndScopes() {
    AuthChallenge bearer =
        first(
            "Bearer realm=\"https://auth/token\",service=\"reg\","
                + "scope=\"repository:localhost:5000/a:pull,push repository:b:pull\","
                + "error=\"insufficient_scope\"");

    assertThat(bearer.error()).contains("insufficient_scope");
    assertThat(bearer.scopes())
        .containsExactly(Scope.repositoryPush("localhost:5000/a"), Scope.repositoryPull("b"));
  }

  @Test
  void parse_whenWhitespaceAroundEqualsAndCommas_ignoresIt() {
    AuthChallenge bearer = first("  Bearer   realm = \"r\" ,\tservice =s  ,  ,scope= \"x:y:z\"  ");

    assertThat(bearer.params()).isEqualTo(Map.of("realm", "r", "service", "s", "scope", "x:y:z"));
  }

  @Test
  void parse_whenSchemeAndParamNamesInOtherCase_lowerCasesThem() {
    AuthChallenge bearer = first("BEARER Realm=\"R\", SERVICE=\"S\"");

    assertThat(bearer.scheme()).isEqualTo("bearer");
    assertThat(bearer.isBearer()).isTrue();
    assertThat(bearer.params()).containsOnlyKeys("realm", "service");
    assertThat(bearer.realm()).contains("R");
    assertThat(bearer.param("Service")).contains("S");
  }

  @Test
  void parse_whenToken68_keepsItApartFromParams() {
    List<AuthChallenge> challenges = challenges("Negotiate abc+/def==, Basic realm=\"b\"", 2);

    assertThat(challenges.get(0).token68()).contains("abc+/def==");
    assertThat(challenges.get(0).params()).isEmpty();
    assertThat(challenges.get(1).realm()).contains("b");
  }

  @Test
  void parse_whenSchemeHasNoParams_returnsItAlone() {
    List<AuthChallenge> challenges = AuthChallenge.parse("Negotiate, Basic");

    assertThat(challenges).extracting(AuthChallenge::scheme).containsExactly("negotiate", "basic");
    assertThat(challenges).allSatisfy(c -> assertThat(c.params()).isEmpty());
  }

  @Test
  void parse_whenParamRepeated_keepsTheFirst() {
    AuthChallenge bearer = first("Bearer realm=\"first\", realm=\"second\"");

    assertThat(bearer.realm()).contains("first");
  }

  @Test
  void parse_whenGarbageBetweenParams_skipsItAndKeepsTheRest() {
    List<AuthChallenge> challenges =
        challenges(
            "=oops, Bearer realm=\"r\" junk \"q,uoted\", \"stray\", service=\"s\", Basic realm=\"z\"",
            2);

    assertThat(challenges.get(0).params()).isEqualTo(Map.of("realm", "r", "service", "s"));
    assertThat(challenges.get(1).realm()).contains("z");
  }

  @Test
  void parse_whenQuotedStringUnterminated_returnsWhatWasThere() {
    AuthChallenge bearer = first("Bearer realm=\"https://auth/tok");

    assertThat(bearer.realm()).contains("https://auth/tok");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        ",,, ,",
        "\"",
        "=",
        "\"unterminated",
        "realm=\"x\"",
        "=\"a\\",
        "\\",
        "Bearer realm=\"a\\",
        "Bearer realm=",
        "Bearer =,=",
        "((()))",
        "Bearer realm=\"x\"\"\"",
        "\u0000\u0001",
        ", =, \"\", Bearer"
      })
  void parse_whenGarbage_neverThrows(String header) {
    List<AuthChallenge> challenges = AuthChallenge.parse(header);

    assertThat(challenges).allSatisfy(c -> assertThat(c.scheme()).isNotEmpty());
  }

  @Test
  void parse_whenOnlyStrayParams_returnsNoChallenge() {
    assertThat(AuthChallenge.parse("realm=\"x\", service=\"y\"")).isEmpty();
  }

  @Test
  void parseAll_whenChallengesInSeveralHeaders_concatenatesInOrder() {
    List<AuthChallenge> challenges =
        AuthChallenge.parseAll(
            List.of("Basic realm=\"a\"", "garbage\"", "Bearer realm=\"b\", Negotiate"));

    assertThat(challenges)
        .extracting(AuthChallenge::scheme)
        .containsExactly("basic", "bearer", "negotiate");
  }

  @Test
  void scopes_whenScopeParamInvalidInParts_dropsOnlyTheInvalidOnes() {
    AuthChallenge bearer =
        new AuthChallenge(
            "Bearer", Map.of("scope", "nocolons repository:a:pull  x:y:"), Optional.empty());

    assertThat(bearer.scopes()).containsExactly(Scope.repositoryPull("a"));
  }

  @Test
  void toString_whenToken68_hidesIt() {
    AuthChallenge challenge = first("Negotiate c2VjcmV0LXRva2Vu");

    assertThat(challenge.token68()).contains("c2VjcmV0LXRva2Vu");
    assertThat(challenge.toString()).doesNotContain("c2VjcmV0LXRva2Vu").contains("negotiate");
  }
}
