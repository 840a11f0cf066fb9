package io.github.perfkit.core.internal.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.findings.DiagnosisConfig;
import io.micrometer.core.instrument.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Starting and closing the continuous diagnosis from different threads (an application stopped while its diagnosis
 * is still starting JFR): whatever the interleaving, no stream is left open and no start succeeds after the close.
 */
class DiagnosisStartCloseTest {

    @Test
    void aCloseDuringAStartLeavesNoStreamOpen() throws Exception {
        for (int delayMillis : new int[] {0, 1, 5, 20, 100}) {
            DefaultContinuousDiagnosis diagnosis = new DefaultContinuousDiagnosis(DiagnosisConfig.ofDefaults(),
                    Clock.SYSTEM);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread starter = new Thread(() -> {
                try {
                    diagnosis.start();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "diagnosis-starter");
            starter.start();
            Thread.sleep(delayMillis);
            diagnosis.close();
            starter.join(30_000);

            assertThat(starter.isAlive()).isFalse();
            assertThat(diagnosis.streaming()).as("stream open after close (delay %d ms)", delayMillis).isFalse();
            // Either the start lost the race (closed first) or it completed and closed what it had started.
            if (failure.get() != null) {
                assertThat(failure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
            assertThatThrownBy(diagnosis::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void startIsIdempotentAndCloseStopsTheStream() {
        DefaultContinuousDiagnosis diagnosis = new DefaultContinuousDiagnosis(DiagnosisConfig.ofDefaults(),
                Clock.SYSTEM);
        diagnosis.start();
        diagnosis.start();
        assertThat(diagnosis.streaming()).isTrue();
        diagnosis.close();
        assertThat(diagnosis.streaming()).isFalse();
        diagnosis.close();
    }
}
