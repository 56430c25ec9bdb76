package io.registryreactive.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against one real registry process, started before the first test
 * and closed after the last; test constructors, test methods and {@code @BeforeAll} methods receive
 * it as a {@link RegistryProcess} parameter, and a client authenticated as its user as an {@link
 * io.registryreactive.ReactiveRegistryClient} parameter (closed by JUnit). {@code @Nested} classes
 * share their enclosing class's registry.
 *
 * <p>Without a registry binary the class is skipped, unless {@code CI=true} or {@code
 * REQUIRE_REAL_REGISTRY=true}, in which case it fails. See {@link RealRegistryExtension}.
 *
 * <pre>{@code
 * @RealRegistry
 * class TagListingIT {
 *     @Test
 *     void listsTags(RegistryProcess registry, ReactiveRegistryClient client) { ... client.tags(...) ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RealRegistryExtension.class)
public @interface RealRegistry {

  /**
   * Whether the registry requires htpasswd basic auth.
   *
   * @return default {@code true}
   */
  boolean auth() default true;

  /**
   * {@code storage.delete.enabled}.
   *
   * @return default {@code true}
   */
  boolean deleteEnabled() default true;

  /**
   * {@code storage.maintenance.readonly.enabled}.
   *
   * @return default {@code false}
   */
  boolean readOnly() default false;
}
