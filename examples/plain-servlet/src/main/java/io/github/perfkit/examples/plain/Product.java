package io.github.perfkit.examples.plain;

import java.math.BigDecimal;

/**
 * A catalogue product, cached as JSON (the cache's codec allows exactly this type).
 *
 * <p>Thread-safe: an immutable record.
 *
 * @param id the product id
 * @param name the product name
 * @param category the category
 * @param price the unit price
 */
public record Product(long id, String name, String category, BigDecimal price) {
}
