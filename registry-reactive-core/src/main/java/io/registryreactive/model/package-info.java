/** Values the client returns and accepts: references, manifests, metadata, delete results. */
@NullMarked
package io.registryreactive.model;

import org.jspecify.annotations.NullMarked;
