package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PerformanceTrackerTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private Perf perf = Perf.builder().registry(registry).build();
    private PerformanceTracker tracker = perf.tracker();

    @AfterEach
    void close() {
        perf.close();
    }

    private void rebuild(TrackerConfig config) {
        perf.close();
        perf = Perf.builder().registry(new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock)).tracker(config).build();
        tracker = perf.tracker();
    }

    @Test
    void scopeRecordsOneSampleWithItsDuration() throws InterruptedException {
        try (Scope s = tracker.start("checkout")) {
            Thread.sleep(20);
        }
        OperationStats stats = tracker.stats("checkout").orElseThrow();
        assertThat(stats.total().count()).isEqualTo(1);
        assertThat(stats.total().minNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(stats.total().maxNanos()).isEqualTo(stats.total().minNanos());
        assertThat(stats.window().count()).isEqualTo(1);
    }

    @Test
    void percentilesAreExactToThreeSignificantDigits() {
        Operation op = tracker.operation("latency");
        Histogram reference = new Histogram(3);
        long sum = 0;
        // 1 µs .. 10 s in a skewed spread
        for (int i = 1; i <= 100_000; i++) {
            long nanos = (long) (1_000 * Math.pow(10_000_000.0, (i % 1000) / 1000.0)) + i;
            op.recordNanos(nanos);
            reference.recordValue(nanos);
            sum += nanos;
        }
        LatencySnapshot total = op.stats().total();
        assertThat(total.count()).isEqualTo(100_000);
        assertThat(total.meanNanos()).isCloseTo(sum / 100_000.0, within(0.001));
        assertThat(total.minNanos()).isEqualTo(reference.getMinValue());
        assertThat(total.p50Nanos()).isEqualTo(reference.getValueAtPercentile(50));
        assertThat(total.p99Nanos()).isEqualTo(reference.getValueAtPercentile(99));
        assertThat(total.p999Nanos()).isEqualTo(Math.min(total.maxNanos(), reference.getValueAtPercentile(99.9)));
        // 3 significant digits: within 0.1 % of the exact order statistic
        List<Long> sorted = new ArrayList<>();
        for (int i = 1; i <= 100_000; i++) {
            sorted.add((long) (1_000 * Math.pow(10_000_000.0, (i % 1000) / 1000.0)) + i);
        }
        sorted.sort(null);
        long exactP95 = sorted.get(94_999);
        assertThat((double) total.p95Nanos()).isCloseTo(exactP95, within(exactP95 * 0.001));
    }

    @Test
    void windowForgetsOldSamplesButTotalKeepsThem() {
        Operation op = tracker.operation("windowed");
        op.recordNanos(1_000_000);
        op.recordNanos(3_000_000);
        assertThat(op.stats().window().count()).isEqualTo(2);
        clock.add(Duration.ofSeconds(30));
        op.recordNanos(2_000_000);
        OperationStats mid = op.stats();
        assertThat(mid.window().count()).isEqualTo(3);
        assertThat(mid.window().maxNanos()).isEqualTo(3_000_000);
        clock.add(Duration.ofSeconds(45)); // the first two samples are now more than a minute old
        OperationStats late = op.stats();
        assertThat(late.window().count()).isEqualTo(1);
        assertThat(late.window().maxNanos()).isEqualTo(2_000_000);
        assertThat(late.window().ratePerSecond()).isCloseTo(1 / 60.0, within(0.01));
        assertThat(late.total().count()).isEqualTo(3);
        clock.add(Duration.ofMinutes(5));
        assertThat(op.stats().window().count()).isZero();
        assertThat(op.stats().total().count()).isEqualTo(3);
    }

    @Test
    void everyOperationIsAMicrometerTimerInSeconds() {
        Operation op = tracker.operation("db.query", "table", "orders");
        op.recordNanos(TimeUnit.MILLISECONDS.toNanos(250));
        op.recordNanos(TimeUnit.MILLISECONDS.toNanos(750));
        clock.add(Duration.ofSeconds(1));
        FunctionTimer timer = registry.get("db.query").tag("table", "orders").functionTimer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.SECONDS)).isCloseTo(1.0, within(1e-9));
        assertThat(timer.baseTimeUnit()).isEqualTo(TimeUnit.SECONDS);
    }

    @Test
    void operationsWhoseNameIsNoMeterNameShareOneMeterTaggedByName() {
        try (Scope s = perf.profiler().request("GET /users/{id}")) {
            s.tag("requestId", "r1");
        }
        tracker.record("checkout", () -> {});
        clock.add(Duration.ofSeconds(1));
        FunctionTimer request = registry.get(io.github.perfkit.core.metrics.MetricNames.OPERATION)
                .tag("operation", "GET /users/{id}").functionTimer();
        assertThat(request.count()).isEqualTo(1);
        assertThat(registry.find("GET /users/{id}").meter()).isNull();
        assertThat(registry.get("checkout").functionTimer().count()).isEqualTo(1);
    }

    @Test
    void helpersRecordAndReturn() {
        tracker.record("runnable", () -> {});
        String value = tracker.record("supplier", () -> "result");
        assertThat(value).isEqualTo("result");
        assertThat(tracker.stats("runnable").orElseThrow().total().count()).isEqualTo(1);
        assertThat(tracker.stats("supplier").orElseThrow().total().count()).isEqualTo(1);
        assertThatThrownBy(() -> tracker.record("failing", () -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(tracker.stats("failing").orElseThrow().total().count()).isEqualTo(1);
    }

    @Test
    void badNamesAndTagsGetClearErrors() {
        assertThatThrownBy(() -> tracker.start(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> tracker.start("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> tracker.operation("x", "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key/value");
        assertThatThrownBy(() -> perf.profiler().setSamplingRate(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samplingRate");
        assertThatThrownBy(() -> TrackerConfig.builder().maxOperations(0)).hasMessageContaining("maxOperations");
    }

    @Test
    void disabledTrackingRecordsNothingAndCanBeSwitchedBack() {
        tracker.setEnabled(false);
        Scope s = tracker.start("off");
        assertThat(s).isSameAs(Scope.noop());
        s.close();
        tracker.operation("off").recordNanos(5);
        assertThat(tracker.stats("off").orElseThrow().total().count()).isZero();
        tracker.setEnabled(true);
        tracker.start("off").close();
        assertThat(tracker.stats("off").orElseThrow().total().count()).isEqualTo(1);
    }

    @Test
    void closingTwiceRecordsOnce() {
        Scope s = tracker.start("twice");
        s.close();
        s.close();
        assertThat(tracker.stats("twice").orElseThrow().total().count()).isEqualTo(1);
    }

    @Test
    void nestedScopesFormAProfileTree() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).build());
        Profiler profiler = perf.profiler();
        try (Scope request = profiler.request("GET /orders/{id}")) {
            try (Scope load = tracker.start("load")) {
                try (Scope q = tracker.start("db.query", "table", "orders")) {
                    q.tag("rows", "3");
                }
                tracker.start("db.query", "table", "items").close();
            }
            tracker.start("render").close();
        }
        assertThat(profiler.recent()).hasSize(1);
        ProfileTree tree = profiler.recent().get(0);
        assertThat(tree.name()).isEqualTo("GET /orders/{id}");
        assertThat(tree.sampled()).isTrue();
        assertThat(tree.nodeCount()).isEqualTo(5);
        ProfileNode root = tree.root();
        assertThat(root.children()).extracting(ProfileNode::name).containsExactly("load", "render");
        ProfileNode load = root.children().get(0);
        assertThat(load.children()).extracting(ProfileNode::name).containsExactly("db.query", "db.query");
        assertThat(load.children().get(0).tags()).containsEntry("table", "orders").containsEntry("rows", "3");
        assertThat(load.children().get(1).tags()).containsEntry("table", "items");
        assertThat(load.children()).allMatch(ProfileNode::finished);
        assertThat(load.startOffsetNanos()).isGreaterThanOrEqualTo(0);
        assertThat(root.durationNanos()).isGreaterThanOrEqualTo(load.durationNanos());
        assertThat(profiler.find(tree.id())).contains(tree);
        // the request is an operation too
        assertThat(tracker.stats("GET /orders/{id}").orElseThrow().total().count()).isEqualTo(1);
    }

    @Test
    void slowRequestsAreKeptEvenWithoutSamplingAndStoresAreBounded() throws InterruptedException {
        rebuild(TrackerConfig.builder().samplingRate(0.0).slowRequestThreshold(Duration.ofMillis(5))
                .slowestTrees(3).recentTrees(4).build());
        Profiler profiler = perf.profiler();
        for (int i = 0; i < 200; i++) {
            profiler.request("fast").close();
        }
        assertThat(profiler.recent()).isEmpty();
        for (int i = 1; i <= 6; i++) {
            try (Scope r = profiler.request("slow-" + i)) {
                Thread.sleep(i * 30L); // 30 ms apart, so a loaded machine's oversleep cannot reorder them
            }
        }
        assertThat(profiler.recent()).hasSize(4).extracting(ProfileTree::name)
                .containsExactly("slow-6", "slow-5", "slow-4", "slow-3");
        assertThat(profiler.slowest()).hasSize(3).extracting(ProfileTree::name)
                .containsExactly("slow-6", "slow-5", "slow-4");
        assertThat(profiler.slowest()).allMatch(t -> !t.sampled());
    }

    @Test
    void samplingRateKeepsAFractionOfOrdinaryRequests() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).slowRequestThreshold(Duration.ofHours(1))
                .recentTrees(1000).build());
        for (int i = 0; i < 100; i++) {
            perf.profiler().request("r").close();
        }
        assertThat(perf.profiler().recent()).hasSize(100);
        perf.profiler().setSamplingRate(0.0);
        for (int i = 0; i < 100; i++) {
            perf.profiler().request("s").close();
        }
        assertThat(perf.profiler().recent()).extracting(ProfileTree::name).doesNotContain("s");
        assertThat(perf.profiler().samplingRate()).isZero();
    }

    @Test
    void parentClosedBeforeChildDetachesTheChildAndStillRecordsIt() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).build());
        Scope request = perf.profiler().request("req");
        Scope child = tracker.start("child");
        request.close(); // out of order: the child is still open
        child.close();
        assertThat(tracker.stats("child").orElseThrow().total().count()).isEqualTo(1);
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.root().children()).singleElement().satisfies(n -> assertThat(n.finished()).isFalse());
        // The thread's stack is clean again: the next request is a fresh root with its own children.
        try (Scope next = perf.profiler().request("next")) {
            tracker.start("inner").close();
        }
        ProfileTree nextTree = perf.profiler().recent().get(0);
        assertThat(nextTree.name()).isEqualTo("next");
        assertThat(nextTree.root().children()).extracting(ProfileNode::name).containsExactly("inner");
    }

    @Test
    void aScopeNeverClosedDoesNotLeakIntoLaterRequests() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).recentTrees(5).build());
        for (int i = 0; i < 10_000; i++) {
            try (Scope request = perf.profiler().request("leaky")) {
                tracker.start("forgotten"); // never closed
            }
        }
        try (Scope request = perf.profiler().request("clean")) {
            tracker.start("inner").close();
        }
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.name()).isEqualTo("clean");
        assertThat(tree.nodeCount()).isEqualTo(2);
        assertThat(tree.root().children()).extracting(ProfileNode::name).containsExactly("inner");
    }

    @Test
    void belowRateOneAtMostTenSampledTreesASecondAreBuiltButSlowOnesAlwaysAre() {
        rebuild(TrackerConfig.builder().samplingRate(0.999).recentTrees(100)
                .slowRequestThreshold(Duration.ofMillis(20)).build());
        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            perf.profiler().request("fast").close();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long sampled = perf.profiler().recent().stream().filter(ProfileTree::sampled).count();
        assertThat(sampled).isBetween(1L, (long) Math.ceil(seconds * 10) + 1);
        try (Scope slow = perf.profiler().request("slow")) {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(perf.profiler().recent().get(0).name()).isEqualTo("slow");
        assertThat(perf.profiler().recent().get(0).sampled()).isFalse();
    }

    @Test
    void aRequestWithoutNestedScopesKeepsItsTagsAndStartInItsTree() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).build());
        long openedAt = clock.wallTime();
        try (Scope request = perf.profiler().request("leaf")) {
            clock.add(Duration.ofSeconds(3)); // the tree's start is the wall time at the request's opening
            request.tag("requestId", "r-1").tag("bytes", 42L).tag("uri", "/a/{id}").tag("cpuMicros", 7L)
                    .tag("fifth", "beyond the inline slots").tag("sixth", 6L);
        }
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.name()).isEqualTo("leaf");
        assertThat(tree.nodeCount()).isEqualTo(1);
        assertThat(tree.root().tags()).containsEntry("requestId", "r-1").containsEntry("bytes", "42")
                .containsEntry("uri", "/a/{id}").containsEntry("cpuMicros", "7")
                .containsEntry("fifth", "beyond the inline slots").containsEntry("sixth", "6");
        assertThat(tree.startTime().toEpochMilli()).isEqualTo(openedAt);
        assertThat(tree.durationNanos()).isEqualTo(tree.root().durationNanos()).isPositive();

        // A later request on the same thread does not inherit them.
        try (Scope request = perf.profiler().request("next")) {
            request.tag("requestId", "r-2");
            tracker.start("inner").close();
        }
        ProfileTree next = perf.profiler().recent().get(0);
        assertThat(next.root().tags()).containsEntry("requestId", "r-2").doesNotContainKeys("bytes", "fifth");
        assertThat(next.root().children()).extracting(ProfileNode::name).containsExactly("inner");
    }

    @Test
    void tagsOfARequestThatKeepsNoTreeDoNotLeakIntoTheNextTree() {
        rebuild(TrackerConfig.builder().samplingRate(0.0).slowRequestThreshold(Duration.ofMillis(20)).build());
        try (Scope fast = perf.profiler().request("fast")) {
            fast.tag("stale", "yes");
        }
        try (Scope slow = perf.profiler().request("slow")) {
            slow.tag("fresh", "yes");
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(perf.profiler().recent()).hasSize(1);
        assertThat(perf.profiler().recent().get(0).root().tags()).containsEntry("fresh", "yes")
                .doesNotContainKey("stale");
    }

    @Test
    void anAbandonedRequestIsReplacedByTheNextOne() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).build());
        perf.profiler().request("abandoned"); // never closed, e.g. a lost async completion
        tracker.start("orphan");
        try (Scope next = perf.profiler().request("next")) {
            tracker.start("inner").close();
        }
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.name()).isEqualTo("next");
        assertThat(tree.root().children()).extracting(ProfileNode::name).containsExactly("inner");
    }

    @Test
    void scopesBeyondTheDepthCapAreStillMeasured() {
        rebuild(TrackerConfig.builder().maxDepth(8).build());
        List<Scope> open = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            open.add(tracker.start("deep"));
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        assertThat(tracker.stats("deep").orElseThrow().total().count()).isEqualTo(100);
    }

    @Test
    void treesAreCappedAtMaxNodes() {
        rebuild(TrackerConfig.builder().samplingRate(1.0).maxTreeNodes(10).build());
        try (Scope request = perf.profiler().request("big")) {
            for (int i = 0; i < 50; i++) {
                tracker.start("n").close();
            }
        }
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.nodeCount()).isEqualTo(10);
        assertThat(tree.droppedNodes()).isEqualTo(41);
        assertThat(tracker.stats("n").orElseThrow().total().count()).isEqualTo(50);
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRecorded() throws Exception {
        rebuild(TrackerConfig.builder().samplingRate(1.0).build());
        Scope request = perf.profiler().request("async-request");
        Scope handedOff = tracker.start("async-work");
        Thread other = new Thread(handedOff::close);
        other.start();
        other.join();
        handedOff.close(); // closing again from the owner is ignored
        request.close();
        assertThat(tracker.stats("async-work").orElseThrow().total().count()).isEqualTo(1);
        ProfileTree tree = perf.profiler().recent().get(0);
        assertThat(tree.root().children()).singleElement()
                .satisfies(n -> assertThat(n.finished()).isTrue());

        // A request opened on one thread and completed on another (async servlet) is recorded too.
        Scope asyncRoot = perf.profiler().request("completed-elsewhere");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread completer = new Thread(() -> {
            try {
                asyncRoot.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        completer.start();
        completer.join();
        assertThat(failure.get()).isNull();
        assertThat(tracker.stats("completed-elsewhere").orElseThrow().total().count()).isEqualTo(1);
        perf.profiler().request("after").close(); // the owner pops the remotely closed root
        assertThat(perf.profiler().recent()).extracting(ProfileTree::name).contains("after", "completed-elsewhere");
    }

    @Test
    void operationCountIsCappedWithAnOverflowOperation() {
        rebuild(TrackerConfig.builder().maxOperations(10).build());
        for (int i = 0; i < 5_000; i++) {
            tracker.start("op-" + i).close();
        }
        List<OperationStats> all = tracker.stats();
        assertThat(all).hasSizeLessThanOrEqualTo(11);
        long total = all.stream().mapToLong(s -> s.total().count()).sum();
        assertThat(total).isEqualTo(5_000);
        assertThat(all).anySatisfy(s -> assertThat(s.name()).isEqualTo("perfkit.tracker.overflow"));
    }

    @Test
    void concurrentWritersLoseNothingWhileReadersRead() throws Exception {
        Operation op = tracker.operation("contended");
        int threads = 8;
        int perThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    if ((i & 1) == 0) {
                        op.start().close();
                    } else {
                        op.recordNanos(1_000 + i % 1000);
                    }
                }
            });
            writers.add(w);
            w.start();
        }
        List<Long> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                seen.add(op.stats().total().count());
                perf.tick();
            }
        });
        reader.start();
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        reader.join();
        assertThat(op.stats().total().count()).isEqualTo((long) threads * perThread);
        assertThat(seen).isSorted();
    }
}
