package io.registryreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README is code that compiles: it is the text between {@code // [name]}
 * markers of a class in {@code examples.original} or {@code examples.readme} ({@link
 * ReadmeSnippetsIT} runs those classes against a real registry).
 */
class ReadmeSnippetsTest {
  private static final Pattern MARKED =
      Pattern.compile("// \\[(\\w+)]\\n(.*?)\\n\\s*// \\[\\1]", Pattern.DOTALL);
  private static final Pattern README_JAVA =
      Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
  private static final List<String> SNIPPET_PACKAGES = List.of("original", "readme");

  @Test
  void readme_whenExamplesChange_showsTheirCodeVerbatim() throws IOException {
    Map<String, String> snippets = snippets();
    String readme =
        Files.readString(moduleDir().getParent().resolve("README.md"), StandardCharsets.UTF_8);
    assertThat(snippets.keySet())
        .containsExactlyInAnyOrder(
            "login", "catalog", "tags", "digest", "delete", "whitelist", "quickstart", "pruning");
    snippets.forEach(
        (name, code) ->
            assertThat(readme)
                .as("README snippet '%s'", name)
                .contains("```java\n" + code + "\n```"));
  }

  @Test
  void readme_everyJavaBlock_isACompiledSnippet() throws IOException {
    Map<String, String> snippets = snippets();
    String readme =
        Files.readString(moduleDir().getParent().resolve("README.md"), StandardCharsets.UTF_8);
    List<String> blocks = new ArrayList<>();
    Matcher m = README_JAVA.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("Java blocks in README.md").isNotEmpty();
    assertThat(blocks)
        .allSatisfy(
            block ->
                assertThat(snippets.values())
                    .as("a README Java block that no compiled example contains:%n%s", block)
                    .contains(block));
  }

  static Map<String, String> snippets() throws IOException {
    Map<String, String> snippets = new LinkedHashMap<>();
    for (String pkg : SNIPPET_PACKAGES) {
      try (Stream<Path> files =
          Files.list(moduleDir().resolve("src/main/java/io/registryreactive/examples/" + pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          Matcher m = MARKED.matcher(Files.readString(f, StandardCharsets.UTF_8));
          while (m.find()) {
            assertThat(snippets.put(m.group(1), dedent(m.group(2))))
                .as("snippet name %s used twice", m.group(1))
                .isNull();
          }
        }
      }
    }
    return snippets;
  }

  static Path moduleDir() {
    Path root = Path.of("").toAbsolutePath();
    return Files.exists(root.resolve("src/main/java/io/registryreactive/examples"))
        ? root
        : root.resolve("registry-reactive-examples");
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l).toList());
  }
}
