/** The shop's data: schema, seeding and queries over H2. */
@org.jspecify.annotations.NullMarked
package io.github.perfkit.examples.shop.data;
