package io.registryreactive.testkit;

import io.registryreactive.ReactiveRegistryClient;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit Jupiter extension behind {@link RealRegistry}: starts one {@link RegistryProcess} per test
 * class in {@code beforeAll}, keeps it in the class's {@link ExtensionContext.Store} (JUnit closes
 * it, as an {@link AutoCloseable}, when the class finishes) and resolves {@code RegistryProcess}
 * parameters, and {@link ReactiveRegistryClient} parameters with a client authenticated as the
 * registry's user ({@link RegistryClients#authenticated}), which JUnit closes when the test (or,
 * for a constructor or {@code @BeforeAll} parameter, the scope it was resolved in) ends.
 *
 * <p>If no registry binary is found (see {@link RegistryProcess#findBinary()}) the tests are
 * aborted (reported as skipped) with the install command, so a laptop without the package still
 * builds. With {@code CI=true} or {@code REQUIRE_REAL_REGISTRY=true} in the environment they fail
 * instead: a CI run must not pass by skipping every integration test.
 */
public final class RealRegistryExtension implements BeforeAllCallback, ParameterResolver {

  /** Set to {@code true} to fail, rather than skip, when no registry binary is installed. */
  public static final String REQUIRE_ENV = "REQUIRE_REAL_REGISTRY";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealRegistryExtension.class);
  private static final String KEY = "registry";

  /** Creates the extension; JUnit does this through {@link RealRegistry}. */
  public RealRegistryExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    // get() also searches enclosing contexts: a @Nested class reuses its outer class's registry.
    if (store.get(KEY, RegistryProcess.class) != null) {
      return;
    }
    Map<String, String> env = System.getenv();
    if (RegistryProcess.findBinary(env).isEmpty()) {
      reportMissingBinary(env);
    }
    Optional<RealRegistry> options =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RealRegistry.class);
    RegistryProcess registry =
        RegistryProcess.builder()
            .auth(options.map(RealRegistry::auth).orElse(true))
            .deleteEnabled(options.map(RealRegistry::deleteEnabled).orElse(true))
            .readOnly(options.map(RealRegistry::readOnly).orElse(false))
            .start();
    store.put(KEY, registry);
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == RegistryProcess.class || type == ReactiveRegistryClient.class;
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    RegistryProcess registry = extensionContext.getStore(NAMESPACE).get(KEY, RegistryProcess.class);
    if (registry == null) {
      throw new ParameterResolutionException(
          "no RegistryProcess: annotate the test class with @RealRegistry"
              + " (a registry is started per class, in beforeAll)");
    }
    if (parameterContext.getParameter().getType() == ReactiveRegistryClient.class) {
      ReactiveRegistryClient client = RegistryClients.authenticated(registry);
      // A fresh key per client: the store closes every AutoCloseable value when its context ends.
      extensionContext.getStore(NAMESPACE).put(new Object(), (AutoCloseable) client::close);
      return client;
    }
    return registry;
  }

  /**
   * Fails or aborts, per the environment, because no binary was found.
   *
   * @throws ExtensionConfigurationException when the environment requires a real registry
   * @throws org.opentest4j.TestAbortedException otherwise
   */
  static void reportMissingBinary(Map<String, String> env) {
    String where =
        env.containsKey(RegistryProcess.BINARY_ENV)
            ? RegistryProcess.BINARY_ENV
                + "="
                + env.get(RegistryProcess.BINARY_ENV)
                + " is not an executable file"
            : "neither docker-registry nor registry is on PATH";
    String message =
        "No real registry for integration tests: "
            + where
            + ". Install it with: "
            + RegistryProcess.INSTALL_HINT;
    if (isTrue(env.get("CI")) || isTrue(env.get(REQUIRE_ENV))) {
      throw new ExtensionConfigurationException(
          message + " (failing, not skipping, because CI=true or " + REQUIRE_ENV + "=true)");
    }
    Assumptions.abort(message + " (set " + REQUIRE_ENV + "=true to fail instead of skipping)");
  }

  private static boolean isTrue(@Nullable String value) {
    return value != null && value.trim().equalsIgnoreCase("true");
  }
}
