package io.github.perfkit.core.internal.findings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which park blockers count as lock contention in the continuous diagnosis. */
class ParkContentionTest {

    @Test
    void locksAndPermitsAreContention() {
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.locks.ReentrantLock$NonfairSync")).isTrue();
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.locks.ReentrantReadWriteLock$FairSync"))
                .isTrue();
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.Semaphore$NonfairSync")).isTrue();
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.locks.StampedLock")).isTrue();
        assertThat(DefaultContinuousDiagnosis.isContention("com.example.cache.SegmentLock")).isTrue();
        assertThat(DefaultContinuousDiagnosis.isContention("com.example.MyMutex$Sync")).isTrue();
    }

    @Test
    void waitingForASignalOrForTimeIsNot() {
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.CountDownLatch$Sync")).isFalse();
        assertThat(DefaultContinuousDiagnosis.isContention(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject")).isFalse();
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.CompletableFuture$Signaller")).isFalse();
        assertThat(DefaultContinuousDiagnosis.isContention("java.util.concurrent.ForkJoinPool")).isFalse();
        // An application object used as the blocker of a paced loop (parkNanos(this, wait)) is not a lock.
        assertThat(DefaultContinuousDiagnosis.isContention("io.github.perfkit.examples.load.LoadGenerator")).isFalse();
    }
}
