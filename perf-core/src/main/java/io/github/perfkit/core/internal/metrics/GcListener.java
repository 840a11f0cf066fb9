package io.github.perfkit.core.internal.metrics;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to GC notifications: records each pause into a Micrometer timer per bound registry, and
 * accounts the bytes allocated in the young generation between collections (the young pool's usage
 * before this GC minus its usage after the previous one — the same method as Micrometer's
 * {@code JvmGcMetrics}). Thread-safe: notifications are handled under this object's lock.
 */
public final class GcListener implements NotificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(GcListener.class);

    private final FailureLog failures = new FailureLog(LOG);
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final String timerName;
    private final @Nullable String allocationPool;
    private long allocatedAtGcs;
    private long youngAfterLastGc;
    private long gcCount;

    /**
     * @param timerName name of the pause timer
     * @param allocationPool the pool whose growth is allocation (young gen), or null when unknown
     */
    public GcListener(String timerName, @Nullable String allocationPool) {
        this.timerName = timerName;
        this.allocationPool = allocationPool;
    }

    /** Subscribes to every GC bean that emits notifications. */
    public synchronized void install() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter) {
                NotificationEmitter e = (NotificationEmitter) gc;
                try {
                    e.addNotificationListener(this, null, null);
                    emitters.add(e);
                } catch (RuntimeException ex) {
                    failures.failed("gc-listener", ex);
                }
            }
        }
    }

    /** Unsubscribes from every GC bean; idempotent. */
    public synchronized void uninstall() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(this);
            } catch (ListenerNotFoundException | RuntimeException ex) {
                LOG.debug("GC listener already removed", ex);
            }
        }
        emitters.clear();
    }

    /**
     * @param registry a registry that receives the pause timers from now on
     */
    public void addRegistry(MeterRegistry registry) {
        if (!registries.contains(registry)) {
            registries.add(registry);
        }
    }

    /** @return young-generation bytes accounted at collections so far */
    public synchronized long allocatedAtGcs() {
        return allocatedAtGcs;
    }

    /** @return young-generation usage right after the last collection, bytes */
    public synchronized long youngAfterLastGc() {
        return youngAfterLastGc;
    }

    /** @return collections seen so far */
    public synchronized long gcCount() {
        return gcCount;
    }

    @Override
    public void handleNotification(Notification notification, @Nullable Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        try {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            GcInfo gcInfo = info.getGcInfo();
            for (MeterRegistry r : registries) {
                Timer.builder(timerName)
                        .description("GC pauses (or, for concurrent collectors, the collection duration)")
                        .tag("gc", info.getGcName())
                        .tag("action", info.getGcAction())
                        .tag("cause", info.getGcCause())
                        .register(r)
                        .record(gcInfo.getDuration(), TimeUnit.MILLISECONDS);
            }
            account(gcInfo.getMemoryUsageBeforeGc(), gcInfo.getMemoryUsageAfterGc());
        } catch (RuntimeException e) {
            failures.failed("gc-notification", e);
        }
    }

    private synchronized void account(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
        gcCount++;
        if (allocationPool == null) {
            return;
        }
        MemoryUsage b = before.get(allocationPool);
        MemoryUsage a = after.get(allocationPool);
        if (b == null || a == null) {
            return;
        }
        long delta = b.getUsed() - youngAfterLastGc;
        if (delta > 0) {
            allocatedAtGcs += delta;
        }
        youngAfterLastGc = a.getUsed();
    }
}
