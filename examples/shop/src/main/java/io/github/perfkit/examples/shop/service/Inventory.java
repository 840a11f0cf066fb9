package io.github.perfkit.examples.shop.service;

import io.github.perfkit.examples.shop.data.ShopDatabase;
import io.github.perfkit.examples.shop.problems.Problem;
import io.github.perfkit.examples.shop.problems.ProblemSwitches;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Stock reservations. With {@link Problem#LOCK_CONTENTION} on, every reservation holds one global monitor while it
 * "checks the warehouse" (about 25 ms), so concurrent reservations queue behind each other in
 * {@link #reserveUnderGlobalLock}; off, the database's row update is the only synchronisation.
 *
 * <p>Thread-safe.
 */
public final class Inventory {

    /**
     * Time a reservation spends inside the global lock while the problem is on: long enough that a reservation
     * queued behind another waits past the 20 ms from which the JVM records a monitor wait (JFR's
     * {@code JavaMonitorEnter} threshold the continuous diagnosis uses).
     */
    public static final long WAREHOUSE_CHECK_NANOS = 25_000_000;

    private final Object warehouseLock = new Object();
    private final ShopDatabase db;
    private final ProblemSwitches switches;

    /**
     * @param db the database
     * @param switches the problem switches
     */
    public Inventory(ShopDatabase db, ProblemSwitches switches) {
        this.db = Objects.requireNonNull(db, "db");
        this.switches = Objects.requireNonNull(switches, "switches");
    }

    /**
     * Reserves units of a product.
     *
     * @param productId the product
     * @param quantity units
     * @return whether the stock sufficed
     */
    public boolean reserve(long productId, int quantity) {
        if (switches.isOn(Problem.LOCK_CONTENTION)) {
            return reserveUnderGlobalLock(productId, quantity);
        }
        return db.reserve(productId, quantity);
    }

    private boolean reserveUnderGlobalLock(long productId, int quantity) {
        synchronized (warehouseLock) {
            long until = System.nanoTime() + WAREHOUSE_CHECK_NANOS;
            long wait;
            while ((wait = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait); // the "warehouse check", holding the lock
            }
            return db.reserve(productId, quantity);
        }
    }
}
