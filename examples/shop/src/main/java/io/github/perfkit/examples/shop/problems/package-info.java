/** The deliberate performance problems and their run-time switches. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop.problems;
