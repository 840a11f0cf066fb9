/** The shop's services: recommendations, inventory and sales reports (with their deliberate problems). */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop.service;
