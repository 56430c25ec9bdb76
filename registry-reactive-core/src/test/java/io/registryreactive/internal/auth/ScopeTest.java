package io.registryreactive.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

  @Test
  void parse_whenPlainRepositoryScope_splitsTypeNameAndActions() {
    Scope scope = Scope.parse("repository:library/alpine:push,pull");

    assertThat(scope.type()).isEqualTo("repository");
    assertThat(scope.resourceName()).isEqualTo("library/alpine");
    assertThat(scope.actions()).containsExactly("pull", "push");
  }

  @Test
  void parse_whenNameHoldsHostAndPort_keepsThemInTheName() {
    Scope scope = Scope.parse("repository:localhost:5000/team/app:pull");

    assertThat(scope.type()).isEqualTo("repository");
    assertThat(scope.resourceName()).isEqualTo("localhost:5000/team/app");
    assertThat(scope.actions()).containsExactly("pull");
  }

  @Test
  void parse_whenTypeHasClass_keepsClassInType() {
    Scope scope = Scope.parse("repository(plugin):vieux/sshfs:pull");

    assertThat(scope.type()).isEqualTo("repository(plugin)");
    assertThat(scope.resourceName()).isEqualTo("vieux/sshfs");
    assertThat(scope.toString()).isEqualTo("repository(plugin):vieux/sshfs:pull");
  }

  @Test
  void parse_whenCatalogWildcard_readsStarAsAction() {
    assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "repository",
        "repository:name",
        ":name:pull",
        "repository::pull",
        "repository:name:",
        "repository:name:,",
        "repo sitory:name:pull",
        "repository:na me:pull"
      })
  void parse_whenNotTheGrammar_throwsIllegalArgument(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> Scope.parse(text));
    assertThat(Scope.tryParse(text)).isEmpty();
  }

  @Test
  void toString_whenActionsGivenUnsorted_rendersThemSorted() {
    Scope scope = new Scope("repository", "a/b", Set.of("push", "delete", "pull"));

    assertThat(scope.toString()).isEqualTo("repository:a/b:delete,pull,push");
  }

  @Test
  void factories_whenCalled_renderTheScopesTheSpecNames() {
    assertThat(Scope.repositoryPull("a/b")).hasToString("repository:a/b:pull");
    assertThat(Scope.repositoryPush("a/b")).hasToString("repository:a/b:pull,push");
    assertThat(Scope.repositoryDelete("a/b")).hasToString("repository:a/b:delete");
    assertThat(Scope.catalog()).hasToString("registry:catalog:*");
  }

  @Test
  void constructor_whenActionHoldsComma_throwsIllegalArgument() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new Scope("repository", "a", Set.of("pull,push")));
  }

  @Test
  void canonical_whenSameRepositoryTwice_mergesActions() {
    List<String> canonical =
        Scope.canonical(
            List.of(
                Scope.repositoryDelete("a/b"),
                Scope.repositoryPull("a/b"),
                Scope.repositoryPush("a/b")));

    assertThat(canonical).containsExactly("repository:a/b:delete,pull,push");
  }

  @Test
  void canonical_whenScopesInAnyOrder_returnsTheSameSortedList() {
    List<Scope> one =
        List.of(
            Scope.repositoryPull("z"),
            Scope.catalog(),
            Scope.repositoryPull("localhost:5000/a"),
            Scope.repositoryPush("b"));
    List<Scope> other =
        List.of(
            Scope.repositoryPush("b"),
            Scope.repositoryPull("localhost:5000/a"),
            Scope.catalog(),
            Scope.repositoryPull("z"),
            Scope.repositoryPull("b"));

    assertThat(Scope.canonical(one))
        .isEqualTo(Scope.canonical(other))
        .containsExactly(
            "registry:catalog:*",
            "repository:b:pull,push",
            "repository:localhost:5000/a:pull",
            "repository:z:pull");
  }

  @Test
  void canonical_whenSameNameDifferentType_keepsThemApart() {
    assertThat(
            Scope.canonical(
                List.of(
                    Scope.parse("repository(plugin):a:pull"), Scope.parse("repository:a:push"))))
        .containsExactly("repository:a:push", "repository(plugin):a:pull");
  }

  @Test
  void canonical_whenEmpty_returnsEmpty() {
    assertThat(Scope.canonical(List.of())).isEmpty();
  }
}
