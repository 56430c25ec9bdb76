/**
 * The README's library snippets as compiled, runnable classes: a test checks that every Java block
 * of the README is the code between {@code // [name]} markers here or in {@code examples.original},
 * and an integration test runs each class against a real registry.
 */
@NullMarked
package io.registryreactive.examples.readme;

import org.jspecify.annotations.NullMarked;
