package io.github.perfkit.spring.redis;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.stereotype.Service;

/** An application caching with Spring's {@code @Cacheable}, configured for Spring Data Redis by properties only. */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration"})
@EnableCaching
public class RedisApp {

    /**
     * A cached value class.
     *
     * @param id the id
     * @param name the name
     * @param cents the price in cents
     */
    public record Product(String id, String name, long cents) {}

    /** A service whose loads are counted. */
    @Service
    public static class Catalog {
        private final AtomicInteger priceLoads = new AtomicInteger();
        private final AtomicInteger productLoads = new AtomicInteger();

        /** @return loads of prices (a method: the bean is a proxy) */
        public int priceLoads() {
            return priceLoads.get();
        }

        /** @return loads of products */
        public int productLoads() {
            return productLoads.get();
        }

        /**
         * @param sku a SKU
         * @return its price text
         */
        @Cacheable("prices")
        public String price(String sku) {
            priceLoads.incrementAndGet();
            return "price of " + sku;
        }

        /**
         * @param id an id
         * @return the product
         */
        @Cacheable("products")
        public Product product(String id) {
            productLoads.incrementAndGet();
            return new Product(id, "product " + id, 1234);
        }
    }
}
