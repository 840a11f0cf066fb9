/**
 * An HTTP load generator: {@link io.github.perfkit.examples.load.LoadGenerator} (library) and
 * {@link io.github.perfkit.examples.load.LoadMain} (command line).
 */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.load;
