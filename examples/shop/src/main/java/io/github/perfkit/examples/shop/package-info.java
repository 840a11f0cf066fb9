/** The example shop: a Spring Boot app monitored by Perfkit, and its launcher. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop;
