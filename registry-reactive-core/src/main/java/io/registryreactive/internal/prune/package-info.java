/** Implementation detail, not API: may change in any release. */
@NullMarked
package io.registryreactive.internal.prune;

import org.jspecify.annotations.NullMarked;
