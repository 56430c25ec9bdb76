package io.registryreactive.examples.webflux;

import io.registryreactive.ReactiveRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link RegistryWebApplication} started in this JVM on a free port of {@code 127.0.0.1}, the way a
 * user starts it: by its main class and {@code registry.*} properties. Started per test class and
 * closed after it. (Spring Boot 4 moved the {@code WebTestClient} auto-configuration out of {@code
 * spring-boot-test}; a server of our own needs none of it.)
 */
final class RunningApplication implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  private final int port;

  private RunningApplication(ConfigurableApplicationContext context) {
    this.context = context;
    this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /**
   * @param properties {@code registry.url} and the rest, as {@code name -> value}
   * @param initializers extra beans, e.g. a server customizer
   * @return the started application
   */
  @SafeVarargs
  static RunningApplication start(
      Map<String, String> properties,
      ApplicationContextInitializer<ConfigurableApplicationContext>... initializers) {
    List<String> props = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1"));
    properties.forEach((name, value) -> props.add(name + "=" + value));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(RegistryWebApplication.class)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .properties(props.toArray(String[]::new))
            .initializers(initializers)
            .run();
    return new RunningApplication(context);
  }

  /**
   * @return {@code http://127.0.0.1:PORT}
   */
  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * @return the application's own registry client (for its request counters)
   */
  ReactiveRegistryClient registryClient() {
    return context.getBean(ReactiveRegistryClient.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
