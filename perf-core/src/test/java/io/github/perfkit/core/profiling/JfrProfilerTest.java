package io.github.perfkit.core.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.perfkit.core.internal.profiling.DefaultJfrProfiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real recordings of real workloads in this JVM: each test names the method it planted. */
class JfrProfilerTest {

    @TempDir
    Path temp;

    private Path dir;
    private JfrProfiler profiler;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    static volatile long sink;
    static final List<Object> RETAINED = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = temp.resolve("jfr");
        profiler = JfrProfiler.create(ProfilingConfig.builder()
                .directory(dir)
                .maxFiles(2)
                .lockThreshold(Duration.ofMillis(5))
                .build());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.join(5_000);
        }
        profiler.close();
        RETAINED.clear();
    }

    @Test
    void cpuRecordingNamesTheBurningMethodAsHotspot() throws Exception {
        start("burner", this::burnCpu);
        ProfileResult result = recordAndAnalyze(ProfileSettings.CPU, Duration.ofMillis(1500));

        assertThat(result.cpuSamples()).isGreaterThan(20);
        assertThat(result.hotspots()).extracting(ProfileResult.Hotspot::frame)
                .anySatisfy(f -> assertThat(f).endsWith("JfrProfilerTest.burnCpu"));
        ProfileResult.FunctionStat burn = result.topFunctions().stream()
                .filter(f -> f.frame().endsWith(".burnCpu")).findFirst().orElseThrow();
        assertThat(burn.totalShare()).isGreaterThan(0.3);
        assertThat(burn.totalSamples()).isGreaterThanOrEqualTo(burn.selfSamples());
        assertThat(result.collapsedStacks().keySet())
                .anySatisfy(stack -> assertThat(stack).contains("java.lang.Thread.run").endsWith("JfrProfilerTest.burnCpu"));
        long stackSamples = result.collapsedStacks().values().stream().mapToLong(Long::longValue).sum();
        assertThat(stackSamples).isEqualTo(result.cpuSamples());
    }

    @Test
    void secretsBearingEventsAreNeverRecorded() throws Exception {
        ProfileRecording rec = profiler.record(ProfileSettings.ALL, Duration.ofMillis(600));
        Path file = rec.await(Duration.ofSeconds(20));
        Set<String> types = new HashSet<>();
        try (RecordingFile f = new RecordingFile(file)) {
            while (f.hasMoreEvents()) {
                types.add(f.readEvent().getEventType().getName());
            }
        }
        assertThat(types).isNotEmpty().doesNotContainAnyElementsOf(DefaultJfrProfiler.EXCLUDED_EVENTS);
    }

    @Test
    void onlyOneOnDemandRecordingAtATime() throws Exception {
        ProfileRecording first = profiler.record(ProfileSettings.CPU, Duration.ofSeconds(30));
        assertThat(profiler.current()).containsSame(first);
        assertThatThrownBy(() -> profiler.record(ProfileSettings.CPU, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running").hasMessageContaining("id " + first.id());
        Path file = first.stop();
        assertThat(first.isDone()).isTrue();
        assertThat(Files.size(file)).isPositive();
        assertThat(profiler.current()).isEmpty();
        assertThatThrownBy(() -> profiler.record(ProfileSettings.CPU, Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    }

    @Test
    void allocationRecordingNamesTheAllocatedClassAndSite() throws Exception {
        start("allocator", this::allocate);
        ProfileResult result = recordAndAnalyze(ProfileSettings.ALLOCATION, Duration.ofMillis(1500));

        assertThat(result.allocatedBytes()).isPositive();
        assertThat(result.allocationRateBytesPerSecond()).isPositive();
        assertThat(result.allocationByClass()).first()
                .satisfies(a -> assertThat(a.name()).isEqualTo(Payload.class.getName()));
        assertThat(result.allocationBySite()).extracting(ProfileResult.AllocationStat::name)
                .contains(JfrProfilerTest.class.getName() + ".allocate");
    }

    @Test
    void lockRecordingNamesTheContendedMonitorAndWaitingMethod() throws Exception {
        Contended monitor = new Contended();
        for (int i = 0; i < 2; i++) {
            start("contender-" + i, () -> holdLock(monitor));
        }
        ProfileResult result = recordAndAnalyze(ProfileSettings.LOCKS, Duration.ofMillis(1500));

        ProfileResult.ContentionStat stat = result.contention().stream()
                .filter(c -> c.monitorClass().equals(Contended.class.getName())).findFirst().orElseThrow();
        assertThat(stat.kind()).isEqualTo("monitor");
        assertThat(stat.events()).isGreaterThanOrEqualTo(3);
        assertThat(stat.totalWait()).isGreaterThan(Duration.ofMillis(50));
        assertThat(stat.topWaitingFrame()).isEqualTo(JfrProfilerTest.class.getName() + ".holdLock");
        assertThat(stat.topOwnerThread()).startsWith("contender-");
    }

    @Test
    void filesAreBoundedAndRemovedOnClose() throws Exception {
        for (int i = 0; i < 3; i++) {
            profiler.record(ProfileSettings.CPU, Duration.ofMillis(200)).await(Duration.ofSeconds(20));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(2);
        }
        profiler.close();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> profiler.record(ProfileSettings.CPU, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void continuousRecordingCanBeDumpedAndAnalyzed() throws Exception {
        assertThatThrownBy(profiler::dumpContinuous).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("startContinuous");
        start("burner", this::burnCpu);
        profiler.startContinuous();
        assertThat(profiler.isContinuousRunning()).isTrue();
        Thread.sleep(1_200); // let the continuous recording collect samples
        Path dump = profiler.dumpContinuous();
        ProfileResult result = ProfileAnalyzer.ofDefaults().analyze(dump);
        assertThat(result.cpuSamples()).isPositive();
        assertThat(result.topFunctions()).extracting(ProfileResult.FunctionStat::frame)
                .anySatisfy(f -> assertThat(f).endsWith(".burnCpu"));
        profiler.stopContinuous();
        assertThat(profiler.isContinuousRunning()).isFalse();
    }

    @Test
    void aFileThatIsNotARecordingIsAnIOException() throws IOException {
        Path bogus = Files.writeString(temp.resolve("bogus.jfr"), "not a flight recording");
        assertThatThrownBy(() -> ProfileAnalyzer.ofDefaults().analyze(bogus)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new ProfileAnalyzer(0, 0.05, 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topN");
        assertThatThrownBy(() -> ProfilingConfig.builder().maxFiles(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFiles");
    }

    private ProfileResult recordAndAnalyze(ProfileSettings settings, Duration duration) throws Exception {
        ProfileRecording rec = profiler.record(settings, duration);
        Path file = rec.await(duration.plusSeconds(20));
        return ProfileAnalyzer.ofDefaults().analyze(file);
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        workers.add(t);
        t.start();
    }

    private void burnCpu() {
        long x = 1;
        while (running.get()) {
            for (int i = 0; i < 100_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            sink = x;
        }
    }

    private void allocate() {
        while (running.get()) {
            for (int i = 0; i < 1_000; i++) {
                RETAINED.add(new Payload(i));
            }
            RETAINED.clear();
        }
    }

    private void holdLock(Contended monitor) {
        while (running.get()) {
            synchronized (monitor) {
                sleepQuietly(20);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An allocation the test can recognise. */
    static final class Payload {
        final long a;
        long b;
        long c;
        long d;
        long e;
        long f;
        long g;
        long h;

        Payload(int i) {
            a = i;
        }
    }

    /** A monitor the test can recognise. */
    static final class Contended {}
}
