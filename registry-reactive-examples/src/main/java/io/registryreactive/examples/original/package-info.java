/**
 * The original blocking Python client's five calls, translated to this SDK. Each class is a
 * runnable program: {@code java -cp registry-reactive-examples.jar
 * io.registryreactive.examples.original.ListCatalogs http://127.0.0.1:5000 user} with the password
 * in {@code REGISTRY_PASSWORD}. The README shows them as they are here.
 */
package io.registryreactive.examples.original;
