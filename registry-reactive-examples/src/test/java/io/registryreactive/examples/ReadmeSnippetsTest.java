package io.registryreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README shows the original five calls exactly as the compiled example classes run them. */
class ReadmeSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile("// \\[(\\w+)]\\n(.*?)\\n\\s*// \\[\\1]", Pattern.DOTALL);

  @Test
  void readme_whenExamplesChange_showsTheirCodeVerbatim() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    Path module = Files.exists(root.resolve("src/main/java")) ? root : root.resolve("registry-reactive-examples");
    Path readme = module.getParent().resolve("README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    Map<String, String> snippets = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(module.resolve("src/main/java/io/registryreactive/examples/original"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        Matcher m = SNIPPET.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          snippets.put(m.group(1), dedent(m.group(2)));
        }
      }
    }
    assertThat(snippets.keySet()).containsExactlyInAnyOrder("login", "catalog", "tags", "digest", "delete", "whitelist");
    snippets.forEach((name, code) -> assertThat(text).as("README snippet '%s'", name).contains("```java\n" + code + "\n```"));
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l).toList());
  }
}
