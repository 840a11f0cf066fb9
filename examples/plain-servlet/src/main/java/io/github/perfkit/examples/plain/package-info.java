/**
 * A plain-servlet application (embedded Jetty 12, no framework) monitored by Perfkit, wired by hand.
 */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.plain;
