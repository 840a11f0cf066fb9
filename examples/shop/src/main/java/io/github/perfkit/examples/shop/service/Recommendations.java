package io.github.perfkit.examples.shop.service;

import io.github.perfkit.examples.shop.data.Records.Product;
import io.github.perfkit.examples.shop.data.ShopDatabase;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Products recommended next to a product. With {@link Problem#CPU_SPIKE} on, they are "scored" by busy hashing in
 * {@link #similarityByHashing} (about {@value #HASH_ROUNDS} SHA-256 rounds per request, bounded); off, they are the
 * neighbouring products of the same category.
 *
 * <p>Thread-safe.
 */
public final class Recommendations {

    /** SHA-256 rounds per request while the CPU problem is on. */
    public static final int HASH_ROUNDS = 20_000;

    private final ShopDatabase db;
    private final ProblemSwitches switches;

    /**
     * @param db the database
     * @param switches the problem switches
     */
    public Recommendations(ShopDatabase db, ProblemSwitches switches) {
        this.db = Objects.requireNonNull(db, "db");
        this.switches = Objects.requireNonNull(switches, "switches");
    }

    /**
     * Recommends up to five products.
     *
     * @param product the product viewed
     * @return the recommended product ids
     */
    public List<Long> recommend(Product product) {
        if (switches.isOn(Problem.CPU_SPIKE)) {
            long seed = similarityByHashing(product.id(), HASH_ROUNDS);
            List<Long> ids = new ArrayList<>(5);
            long total = Math.max(1, db.productCount());
            for (int i = 0; i < 5; i++) {
                ids.add(1 + Math.floorMod(seed + i * 7919L, total));
            }
            return ids;
        }
        List<Long> ids = new ArrayList<>(5);
        for (long i = 1; i <= 5; i++) {
            ids.add(product.id() + i);
        }
        return ids;
    }

    /**
     * The CPU hotspot: hashes the product id over and over.
     *
     * @param productId the product
     * @param rounds SHA-256 rounds
     * @return a number derived from the final digest
     */
    public static long similarityByHashing(long productId, int rounds) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        byte[] digest = ByteBuffer.allocate(8).putLong(productId).array();
        for (int i = 0; i < rounds; i++) {
            digest = sha.digest(digest);
        }
        return ByteBuffer.wrap(digest).getLong();
    }
}
