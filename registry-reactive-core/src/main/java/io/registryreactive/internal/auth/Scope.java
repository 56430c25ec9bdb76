package io.registryreactive.internal.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A token scope, {@code type[(class)]:name:actions}, as the token service and the {@code scope}
 * parameter of a Bearer challenge spell it.
 *
 * <p>The resource name may contain {@code host:port} ({@code repository:localhost:5000/a:pull}), so
 * the type ends at the first {@code ':'} and the actions start after the last one; a naive split on
 * {@code ':'} would cut such names apart. Actions are kept sorted so that equal scopes render
 * equally, which a token cache keyed by scope text depends on.
 *
 * @param type the resource type such as {@code repository} or {@code registry}, including any
 *     {@code (class)} suffix such as {@code repository(plugin)}
 * @param resourceName the resource name such as {@code library/alpine} or {@code catalog}
 * @param actions the actions, sorted, never empty
 */
public record Scope(String type, String resourceName, Set<String> actions) {

  /**
   * Validates the parts and sorts the actions.
   *
   * @throws IllegalArgumentException if a part is empty, contains whitespace (scopes are
   *     space-separated in requests and challenges), the type contains {@code ':'}, or an action
   *     contains {@code ','} or {@code ':'}
   * @param type the resource type such as {@code repository} or {@code registry}, including any
   *     {@code (class)} suffix such as {@code repository(plugin)}
   * @param resourceName the resource name such as {@code library/alpine} or {@code catalog}
   * @param actions the actions, sorted, never empty
   */
  public Scope {
    if (type.isEmpty() || type.indexOf(':') >= 0 || hasWhitespace(type)) {
      throw new IllegalArgumentException("Invalid scope type '" + type + "'");
    }
    if (resourceName.isEmpty() || hasWhitespace(resourceName)) {
      throw new IllegalArgumentException("Invalid scope resource name '" + resourceName + "'");
    }
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("Scope " + type + ":" + resourceName + " has no actions");
    }
    for (String action : actions) {
      if (action.isEmpty()
          || action.indexOf(',') >= 0
          || action.indexOf(':') >= 0
          || hasWhitespace(action)) {
        throw new IllegalArgumentException("Invalid scope action '" + action + "'");
      }
    }
    // One action (pull, delete: the scope of nearly every request) is sorted as it is.
    actions =
        actions.size() == 1
            ? Set.of(actions.iterator().next())
            : Collections.unmodifiableSortedSet(new TreeSet<>(actions));
  }

  /**
   * Parses {@code type[(class)]:name:actions}.
   *
   * @param text the scope text, such as {@code repository:localhost:5000/a/b:pull,push}
   * @return the scope
   * @throws IllegalArgumentException if the text does not follow the grammar
   */
  public static Scope parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Not a scope of the form type:name:actions: '" + text + "'"));
  }

  /**
   * Parses {@code type[(class)]:name:actions} without throwing, for scopes a server sent.
   *
   * @param text the scope text
   * @return the scope, or empty if the text does not follow the grammar
   */
  public static Optional<Scope> tryParse(String text) {
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    if (first <= 0 || last == first) {
      return Optional.empty();
    }
    Set<String> actions = new TreeSet<>();
    for (String action : text.substring(last + 1).split(",")) {
      if (!action.isEmpty()) {
        actions.add(action);
      }
    }
    try {
      return Optional.of(
          new Scope(text.substring(0, first), text.substring(first + 1, last), actions));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The scope for reading a repository (GET and HEAD of manifests, blobs and tags).
   *
   * @param repository the repository name, such as {@code library/alpine}
   * @return {@code repository:<name>:pull}
   * @throws IllegalArgumentException if the name is empty or contains whitespace
   */
  public static Scope repositoryPull(String repository) {
    return new Scope("repository", repository, Set.of("pull"));
  }

  /**
   * The scope for writing to a repository; registries require {@code pull} alongside {@code push}
   * because uploads check for existing blobs.
   *
   * @param repository the repository name
   * @return {@code repository:<name>:pull,push}
   * @throws IllegalArgumentException if the name is empty or contains whitespace
   */
  public static Scope repositoryPush(String repository) {
    return new Scope("repository", repository, Set.of("pull", "push"));
  }

  /**
   * The scope for deleting manifests and blobs of a repository.
   *
   * @param repository the repository name
   * @return {@code repository:<name>:delete}
   * @throws IllegalArgumentException if the name is empty or contains whitespace
   */
  public static Scope repositoryDelete(String repository) {
    return new Scope("repository", repository, Set.of("delete"));
  }

  /**
   * The scope for listing repositories through {@code /v2/_catalog}.
   *
   * @return {@code registry:catalog:*}
   */
  public static Scope catalog() {
    return new Scope("registry", "catalog", Set.of("*"));
  }

  /**
   * Renders the scopes in one canonical form: scopes for the same type and name merged into one
   * with the union of their actions, sorted by type, then name. Two requests needing the same
   * access therefore get the same list, which makes it usable as (part of) a token cache key and as
   * the {@code scope} parameters of a token request.
   *
   * @param scopes the scopes, in any order, possibly with duplicates
   * @return the merged scopes rendered as text, sorted
   */
  public static List<String> canonical(Collection<Scope> scopes) {
    Map<String, Map<String, SortedSet<String>>> byTypeAndName = new TreeMap<>();
    for (Scope scope : scopes) {
      byTypeAndName
          .computeIfAbsent(scope.type(), type -> new TreeMap<>())
          .computeIfAbsent(scope.resourceName(), name -> new TreeSet<>())
          .addAll(scope.actions());
    }
    List<String> rendered = new ArrayList<>();
    byTypeAndName.forEach(
        (type, byName) ->
            byName.forEach(
                (name, actions) -> rendered.add(new Scope(type, name, actions).toString())));
    return List.copyOf(rendered);
  }

  /** Renders the wire form, {@code type:name:action1,action2} with sorted actions. */
  @Override
  public String toString() {
    return type + ":" + resourceName + ":" + String.join(",", actions);
  }

  private static boolean hasWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
