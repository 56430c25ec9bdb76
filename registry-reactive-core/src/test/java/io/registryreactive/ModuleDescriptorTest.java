package io.registryreactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK as a module: it resolves against its dependencies' module names, exports only its API
 * packages, and code outside it cannot use {@code io.registryreactive.internal.*}. The tests run on
 * the class path, so the module is loaded here into a layer of its own from the compiled classes
 * and the dependency jars.
 */
class ModuleDescriptorTest {
  private static final String MODULE = "io.registryreactive";

  /** Where the SDK's runtime dependencies sit in the Maven repository. */
  private static final List<String> RUNTIME =
      List.of(
          "/io/projectreactor/",
          "/io/netty/",
          "/com/fasterxml/jackson/",
          "/io/github/resilience4j/",
          "/org/slf4j/slf4j-api/",
          "/org/jspecify/",
          "/org/reactivestreams/",
          "/io/micrometer/");

  private static Module module;

  @BeforeAll
  static void loadTheModule() throws URISyntaxException {
    Path classes =
        Path.of(
            ReactiveRegistryClient.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    assertThat(classes.resolve("module-info.class")).exists();
    List<Path> modulePath = new ArrayList<>(List.of(classes));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isRegularFile(p)
          && isSdkDependency(p.toString().replace(File.separatorChar, '/'))) {
        modulePath.add(p);
      }
    }
    ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
    Configuration cf =
        ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
    ModuleLayer layer =
        ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    module = layer.findModule(MODULE).orElseThrow();
  }

  /**
   * The SDK's runtime dependencies, by their repository path: the class path also holds the test
   * libraries, whose automatic modules would clash if they were resolved too.
   */
  private static boolean isSdkDependency(String jar) {
    return RUNTIME.stream().anyMatch(jar::contains)
        && !jar.contains("/io/projectreactor/tools/")
        && !jar.contains("/reactor-test/");
  }

  @Test
  void exportsOnlyTheApiPackages_unqualified() {
    ModuleDescriptor d = module.getDescriptor();
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "io.registryreactive", "io.registryreactive.model", "io.registryreactive.prune");
    assertThat(d.opens()).isEmpty();
    assertThat(d.isOpen()).isFalse();
  }

  @Test
  void internalPackages_areInTheModuleButNotExported() {
    Set<String> internal =
        module.getPackages().stream()
            .filter(p -> p.startsWith("io.registryreactive.internal"))
            .collect(Collectors.toSet());
    assertThat(internal)
        .contains(
            "io.registryreactive.internal.endpoint",
            "io.registryreactive.internal.http",
            "io.registryreactive.internal.json",
            "io.registryreactive.internal.auth",
            "io.registryreactive.internal.prune");
    assertThat(internal).allSatisfy(p -> assertThat(module.isExported(p)).as(p).isFalse());
  }

  @Test
  void codeOutsideTheModule_canCallTheApiButNotTheInternals() throws Exception {
    ClassLoader loader = module.getClassLoader();
    Method api =
        loader
            .loadClass("io.registryreactive.model.ImageReference")
            .getMethod("isValidDigest", String.class);
    assertThat(api.invoke(null, "sha256:nothex")).isEqualTo(false);

    Method internal =
        loader
            .loadClass("io.registryreactive.internal.json.Digests")
            .getMethod("sha256", byte[].class);
    assertThat(internal.getDeclaringClass().getModule()).isSameAs(module);
    assertThatThrownBy(() -> internal.invoke(null, (Object) new byte[0]))
        .isInstanceOf(IllegalAccessException.class);
  }

  @Test
  void jspecifyIsACompileTimeDependencyOnly() {
    assertThat(module.getDescriptor().requires())
        .filteredOn(r -> r.name().equals("org.jspecify"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC));
  }
}
