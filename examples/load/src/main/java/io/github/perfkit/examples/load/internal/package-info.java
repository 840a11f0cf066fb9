/** Implementation of the load generator; not an API. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.load.internal;
