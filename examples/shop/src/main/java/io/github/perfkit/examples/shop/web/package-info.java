/** The shop's REST endpoints and the admin endpoint switching problems. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop.web;
