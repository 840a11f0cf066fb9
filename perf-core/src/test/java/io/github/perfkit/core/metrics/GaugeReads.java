package io.github.perfkit.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;

/** Shared assertion of the collectors' tests: reading every gauge allocates nothing. */
final class GaugeReads {

    private GaugeReads() {}

    /** Reads every gauge of {@code registry} 10 000 times after a warm-up; fails above 64 KB allocated. */
    static void assertDoNotAllocate(MeterRegistry registry) {
        Gauge[] gauges = registry.getMeters().stream().filter(m -> m instanceof Gauge).toArray(Gauge[]::new);
        assertThat(gauges).isNotEmpty();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sink = readAll(gauges, 2_000); // warm up
        long allocBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        sink += readAll(gauges, 10_000);
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocBefore;
        assertThat(allocated).as("bytes allocated by %d gauge reads (sink %s)", 10_000 * gauges.length, sink)
                .isLessThan(64 * 1024);
    }

    private static double readAll(Gauge[] gauges, int rounds) {
        double sink = 0;
        for (int i = 0; i < rounds; i++) {
            for (Gauge gauge : gauges) {
                sink += gauge.value();
            }
        }
        return sink;
    }
}
