package io.github.perfkit.examples.shop.data;

/** Holder of the shop's value types (records; immutable and thread-safe). */
public final class Records {

    private Records() {
    }

    /**
     * A product.
     *
     * @param id the id
     * @param name the name
     * @param category the category
     * @param price the price in cents
     * @param stock units in stock
     */
    public record Product(long id, String name, String category, long price, int stock) {
    }

    /**
     * One line of an order.
     *
     * @param productId the product
     * @param quantity units
     * @param price price per unit in cents
     */
    public record OrderItem(long productId, int quantity, long price) {
    }

    /**
     * An order with its lines.
     *
     * @param id the id
     * @param userId the user who ordered
     * @param status the status
     * @param items the lines
     */
    public record Order(long id, long userId, String status, java.util.List<OrderItem> items) {
        /**
         * Copies the lines.
         *
         * @param id the id
         * @param userId the user
         * @param status the status
         * @param items the lines
         */
        public Order {
            items = java.util.List.copyOf(items);
        }
    }

    /**
     * A search hit.
     *
     * @param id the product id
     * @param name the name
     * @param price the price in cents
     * @param sold units sold
     */
    public record SearchHit(long id, String name, long price, long sold) {
    }

    /**
     * One product's line in the sales report.
     *
     * @param productId the product
     * @param name the name
     * @param units units sold
     * @param revenue revenue in cents
     */
    public record SalesLine(long productId, String name, long units, long revenue) {
    }

    /**
     * The sales report of a category: totals and the best sellers.
     *
     * @param category the category
     * @param orders orders that contain the category
     * @param units units sold
     * @param revenue revenue in cents
     * @param top the best-selling products
     */
    public record SalesReport(String category, long orders, long units, long revenue, java.util.List<SalesLine> top) {
        /**
         * Copies the lines.
         *
         * @param category the category
         * @param orders orders
         * @param units units
         * @param revenue revenue
         * @param top best sellers
         */
        public SalesReport {
            top = java.util.List.copyOf(top);
        }
    }
}
