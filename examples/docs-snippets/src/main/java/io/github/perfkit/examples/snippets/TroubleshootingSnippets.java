package io.github.perfkit.examples.snippets;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.Silence;
import io.github.perfkit.core.diagnostics.ClassDelta;
import io.github.perfkit.core.diagnostics.HeapDiagnostics;
import io.github.perfkit.core.diagnostics.HeapHistogram;
import io.github.perfkit.core.diagnostics.ThreadDiagnostics;
import io.github.perfkit.core.diagnostics.ThreadDump;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code shown in docs/TROUBLESHOOTING.md, between {@code tag::name[]} and {@code end::name[]} markers.
 * It compiles with the build; {@code DocsSnippetsTest} checks the document shows exactly it.
 */
@SuppressWarnings("unused")
final class TroubleshootingSnippets {

    private static final Logger LOG = LoggerFactory.getLogger(TroubleshootingSnippets.class);

    private TroubleshootingSnippets() {}

    static void heapDiff() throws InterruptedException {
        // tag::heap-histogram-diff[]
        HeapDiagnostics heap = HeapDiagnostics.ofDefaults();
        HeapHistogram before = heap.histogram();           // a full GC: take it off-peak
        Thread.sleep(Duration.ofMinutes(10).toMillis());   // let the leak grow
        HeapHistogram after = heap.histogram();
        for (ClassDelta suspect : HeapDiagnostics.diff(before, after, 10).suspects()) {
            LOG.warn("{}: +{} instances, +{} bytes", suspect.className(), suspect.instancesDelta(), suspect.bytesDelta());
        }
        // end::heap-histogram-diff[]
    }

    static void threadGrowth() throws InterruptedException {
        // tag::thread-leak-growth[]
        ThreadDiagnostics threads = ThreadDiagnostics.ofDefaults();
        ThreadDump before = threads.dump();
        Thread.sleep(Duration.ofMinutes(5).toMillis());
        Map<String, Integer> growth = ThreadDiagnostics.prefixGrowth(before, threads.dump());
        growth.forEach((prefix, added) -> LOG.warn("threads named {}*: +{}", prefix, added));
        // end::thread-leak-growth[]
    }

    static String silence(AlertEngine engine) {
        // tag::silence[]
        String id = engine.silence(Silence.of(
                Map.of("alertname", "cpu-warning", "level", "warning"),    // all must match; "prefix*" allowed
                Instant.now().plus(Duration.ofHours(2)),
                "ops@example.com", "load test until 16:00"));
        // engine.expireSilence(id) ends it early; engine.acknowledge(alertId, "me") stops repeats of one alert
        // end::silence[]
        return id;
    }
}
