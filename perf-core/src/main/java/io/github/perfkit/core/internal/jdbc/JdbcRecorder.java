package io.github.perfkit.core.internal.jdbc;

import io.github.perfkit.core.Operation;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.RequestRef;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.jdbc.ConnectionUsage;
import io.github.perfkit.core.jdbc.JdbcConfig;
import io.github.perfkit.core.jdbc.JdbcMetricNames;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.github.perfkit.core.jdbc.NPlusOneFinding;
import io.github.perfkit.core.jdbc.StatementStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping behind a {@code PerfDataSource}: statement shapes and their statistics, per-request counts
 * for N+1 detection, slow statements and connection usage. Every method that the proxies call on the JDBC
 * path swallows its own failures (counted, logged once per section). Thread-safe.
 */
public final class JdbcRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRecorder.class);

    /** Shape under which statements beyond {@link JdbcConfig#maxShapes()} are counted. */
    public static final String OVERFLOW_SHAPE = "(other statements: shape cap reached)";
    private static final int MAX_SHAPES_PER_REQUEST = 256;

    private final JdbcConfig config;
    private final Perf perf;
    private final long slowNanos;
    private final Operation statementOp;
    private final CallSites callSites;
    private final ConcurrentMap<String, Shape> shapes = new ConcurrentHashMap<>();
    private final Shape overflow = new Shape(OVERFLOW_SHAPE, List.of());
    private final ConcurrentMap<FindingKey, FindingState> findings = new ConcurrentHashMap<>();
    private final ThreadLocal<RequestState> requests = ThreadLocal.withInitial(RequestState::new);
    private final Set<String> loggedFailures = ConcurrentHashMap.newKeySet();
    private final Set<String> loggedSlow = ConcurrentHashMap.newKeySet();
    /** Slow executions of one shape before it is a finding. */
    static final int SLOW_FINDING_MIN_EXECUTIONS = 3;
    private final Map<String, Long> slowReported = new ConcurrentHashMap<>();
    private final Map<String, Long> slowFirstSeen = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong droppedFindings = new AtomicLong();

    private final AtomicLong open = new AtomicLong();
    private final AtomicLong maxOpen = new AtomicLong();
    private final AtomicLong acquired = new AtomicLong();
    private final AtomicLong acquireFailed = new AtomicLong();
    private final AtomicLong waitTotal = new AtomicLong();
    private final AtomicLong waitMax = new AtomicLong();
    private final Timer acquireTimer;
    private final Counter nPlusOneCounter;
    private final Counter slowCounter;
    private final Counter failureCounter;

    /**
     * @param perf the hub: tracker, profiler, registry and clock
     * @param config the settings
     */
    public JdbcRecorder(Perf perf, JdbcConfig config) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.config = Objects.requireNonNull(config, "config");
        this.slowNanos = config.slowThreshold().toNanos();
        this.callSites = new CallSites(config.frameworkPackages(), config.driverPackages());
        this.statementOp = perf.tracker().operation(JdbcMetricNames.STATEMENT_OPERATION,
                JdbcMetricNames.TAG_DATASOURCE, config.name());
        MeterRegistry registry = perf.registry();
        String ds = config.name();
        this.acquireTimer = Timer.builder(JdbcMetricNames.CONNECTION_ACQUIRE)
                .description("Time spent obtaining a JDBC connection")
                .tag(JdbcMetricNames.TAG_DATASOURCE, ds).register(registry);
        Gauge.builder(JdbcMetricNames.CONNECTIONS_OPEN, open, AtomicLong::get)
                .description("JDBC connections currently open").tag(JdbcMetricNames.TAG_DATASOURCE, ds)
                .register(registry);
        Gauge.builder(JdbcMetricNames.CONNECTIONS_MAX, maxOpen, AtomicLong::get)
                .description("Most JDBC connections open at once").tag(JdbcMetricNames.TAG_DATASOURCE, ds)
                .register(registry);
        this.nPlusOneCounter = Counter.builder(JdbcMetricNames.N_PLUS_ONE)
                .description("Requests in which a statement shape ran more often than the N+1 threshold")
                .tag(JdbcMetricNames.TAG_DATASOURCE, ds).register(registry);
        this.slowCounter = Counter.builder(JdbcMetricNames.SLOW_STATEMENTS)
                .description("Statement executions at or above the slow threshold")
                .tag(JdbcMetricNames.TAG_DATASOURCE, ds).register(registry);
        this.failureCounter = Counter.builder(JdbcMetricNames.MONITOR_FAILURES)
                .description("Bookkeeping failures swallowed by the JDBC wrapper")
                .tag(JdbcMetricNames.TAG_DATASOURCE, ds).register(registry);
    }

    /** @return the settings */
    public JdbcConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ shapes

    /** The shape of {@code sql}, created on first sight; the overflow shape beyond the cap. */
    Shape shape(String sql) {
        try {
            String text = SqlShapes.normalize(sql, config.maxShapeLength());
            Shape s = shapes.get(text);
            if (s != null) {
                if (s.parameterisedLike && SqlShapes.hasLeadingWildcard(sql)) {
                    s.stats.hint(SqlShapes.HINT_LEADING_WILDCARD);
                }
                return s;
            }
            if (shapes.size() >= config.maxShapes()) {
                return overflow;
            }
            return shapes.computeIfAbsent(text, t -> new Shape(t, SqlShapes.indexHints(sql, t)));
        } catch (RuntimeException e) {
            failed("shape", e);
            return overflow;
        }
    }

    // ------------------------------------------------------------------ statements

    /** Counts a query in the current request's profile; null outside a request. */
    @Nullable RequestRef countQuery() {
        try {
            return perf.profiler().countQuery();
        } catch (RuntimeException e) {
            failed("profile", e);
            return null;
        }
    }

    /**
     * A {@code jdbc.statement} scope (a node of the request's profile tree, tagged with the shape) when inside a
     * request with statement profiling on; null otherwise, and the time is recorded by {@link #executed}.
     */
    @Nullable Scope openScope(Shape shape, @Nullable RequestRef request) {
        if (request == null || !config.profileStatements()) {
            return null;
        }
        try {
            return statementOp.start().tag("sql", shape.text);
        } catch (RuntimeException e) {
            failed("scope", e);
            return null;
        }
    }

    void executed(Shape shape, @Nullable RequestRef request, long nanos, boolean failed, boolean leadingWildcard,
            boolean scoped) {
        try {
            if (!scoped) {
                statementOp.recordNanos(nanos);
            }
            boolean slow = nanos >= slowNanos;
            shape.stats.executed(nanos, failed, slow);
            if (leadingWildcard) {
                shape.stats.hint(SqlShapes.HINT_LEADING_WILDCARD);
            }
            if (slow) {
                slowCounter.increment();
                if (loggedSlow.size() < config.maxShapes() && loggedSlow.add(shape.text)) {
                    LOG.warn("Slow SQL ({} ms, threshold {} ms; logged once per shape): {}",
                            TimeUnit.NANOSECONDS.toMillis(nanos), config.slowThreshold().toMillis(), shape.text);
                }
                if (shape != overflow) {
                    reportSlow(shape, nanos);
                }
            }
            // the overflow shape mixes unrelated statements: counting it per request would invent N+1 findings
            if (request != null && shape != overflow) {
                perRequest(shape, request, nanos, slow);
            }
        } catch (RuntimeException e) {
            failed("statement", e);
        }
    }

    void fetched(Shape shape, long rows, long nanos) {
        try {
            shape.stats.fetched(rows, nanos);
        } catch (RuntimeException e) {
            failed("fetch", e);
        }
    }

    private void perRequest(Shape shape, RequestRef request, long nanos, boolean slow) {
        RequestState state = requests.get();
        if (state.id != request.id()) {
            state.reset(request.id());
        }
        ShapeCount c = state.counts.get(shape);
        if (c == null) {
            if (state.counts.size() >= MAX_SHAPES_PER_REQUEST) {
                return;
            }
            c = new ShapeCount();
            state.counts.put(shape, c);
        }
        c.count++;
        c.nanos += nanos;
        if (c.count == config.nPlusOneThreshold() + 1) {
            c.finding = detected(shape, request, c.count);
        } else if (c.finding != null) {
            c.finding.grew(c.count);
        }
        if (slow) {
            long elapsed = System.nanoTime() - request.startNanos();
            if (elapsed > 0) {
                shape.stats.share((double) c.nanos / elapsed);
            }
        }
    }

    private @Nullable FindingState detected(Shape shape, RequestRef request, int count) {
        nPlusOneCounter.increment();
        String site = callSites.current();
        FindingKey key = new FindingKey(shape.text, request.name(), site);
        FindingState f = findings.get(key);
        if (f == null) {
            if (findings.size() >= config.maxFindings()) {
                droppedFindings.incrementAndGet();
                return null;
            }
            f = findings.computeIfAbsent(key, k -> {
                LOG.warn("N+1 statement: more than {} executions in one '{}' request from {}: {}",
                        config.nPlusOneThreshold(), k.endpoint, k.callSite, k.shape);
                return new FindingState(k, perf.clock().wallTime());
            });
        }
        f.detected(count, perf.clock().wallTime());
        publish(f.snapshot());
        return f;
    }

    /**
     * Reports a {@link FindingCategory#SLOW_SQL} finding for the shape once it was slow
     * {@value #SLOW_FINDING_MIN_EXECUTIONS} times, named after the application method that ran it, at most once a
     * second per shape (the finding's last-seen time and evidence are refreshed; it resolves when
     * the shape stops being slow, like other reported findings).
     */
    private void reportSlow(Shape shape, long nanos) {
        StatementStats st = shape.stats.snapshot();
        if (st.slowExecutions() < SLOW_FINDING_MIN_EXECUTIONS) {
            return; // one slow statement (a migration, a seed, a cold cache) is logged, not a finding
        }
        long now = perf.clock().wallTime();
        Long last = slowReported.get(shape.text);
        if (last != null && now - last < 1_000) {
            return;
        }
        if (last == null && slowReported.size() >= config.maxShapes()) {
            return;
        }
        slowReported.put(shape.text, now);
        String site = callSites.current();
        int paren = site.indexOf('(');
        String culprit = paren > 0 ? site.substring(0, paren) : site;
        String id = Finding.idOf(FindingCategory.SLOW_SQL, culprit, shape.text);
        Long first = slowFirstSeen.get(id);
        if (first == null) {
            first = now;
            if (slowFirstSeen.size() < config.maxShapes()) {
                slowFirstSeen.putIfAbsent(id, now);
            }
        }
        long firstSeen = first;
        Map<String, Object> evidence = new java.util.LinkedHashMap<>();
        evidence.put("lastMillis", TimeUnit.NANOSECONDS.toMillis(nanos));
        evidence.put("thresholdMillis", config.slowThreshold().toMillis());
        evidence.put("slowExecutions", st.slowExecutions());
        evidence.put("executions", st.executions());
        evidence.put("meanMillis", st.meanNanos() / 1e6);
        evidence.put("maxMillis", st.maxNanos() / 1e6);
        evidence.put("callSite", site);
        if (!st.indexHints().isEmpty()) {
            evidence.put("indexHints", st.indexHints());
        }
        String advice = st.indexHints().isEmpty()
                ? "check its plan (EXPLAIN) for a full scan, add or fix an index, fetch fewer rows or cache the result"
                : "it may defeat an index (" + String.join("; ", st.indexHints()) + "); check its plan (EXPLAIN)";
        perf.diagnosis().report(new Finding(id, FindingCategory.SLOW_SQL, culprit, shape.text, Map.copyOf(evidence),
                List.of(site), Instant.ofEpochMilli(firstSeen), Instant.ofEpochMilli(now), String.format(java.util.Locale.ROOT,
                        "%s ran a statement for %d ms (threshold %d ms; %d of %d executions slow): %s",
                        culprit, TimeUnit.NANOSECONDS.toMillis(nanos), config.slowThreshold().toMillis(),
                        st.slowExecutions(), st.executions(), advice), true));
    }

    /** Hands the N+1 finding to the hub's findings, where listeners (alerts) and the dashboard see it. */
    private void publish(NPlusOneFinding n) {
        int paren = n.callSite().indexOf('(');
        String culprit = paren > 0 ? n.callSite().substring(0, paren) : n.callSite();
        perf.diagnosis().report(new Finding(Finding.idOf(FindingCategory.N_PLUS_ONE, culprit, n.shape()),
                FindingCategory.N_PLUS_ONE, culprit, n.shape(),
                Map.of("endpoint", n.endpoint(), "executionsInRequest", n.maxPerRequest(), "requests", n.requests(),
                        "callSite", n.callSite()),
                List.of(n.callSite()), n.firstSeen(), n.lastSeen(), n.recommendation(), true));
    }

    // ------------------------------------------------------------------ connections

    /** @param nanos time spent in a successful {@code getConnection} */
    public void connectionAcquired(long nanos) {
        try {
            acquired.incrementAndGet();
            waited(nanos);
            long now = open.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
        } catch (RuntimeException e) {
            failed("connection", e);
        }
    }

    /** @param nanos time spent in a {@code getConnection} that threw */
    public void connectionFailed(long nanos) {
        try {
            acquireFailed.incrementAndGet();
            waited(nanos);
        } catch (RuntimeException e) {
            failed("connection", e);
        }
    }

    private void waited(long nanos) {
        waitTotal.addAndGet(nanos);
        waitMax.accumulateAndGet(nanos, Math::max);
        acquireTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void connectionClosed() {
        open.decrementAndGet();
    }

    // ------------------------------------------------------------------ failures

    /** Counts a bookkeeping failure and logs the first one of each section. */
    void failed(String section, Throwable failure) {
        failures.incrementAndGet();
        try {
            failureCounter.increment();
        } catch (RuntimeException ignored) {
            // the counter is best effort
        }
        if (loggedFailures.add(section)) {
            LOG.warn("Perfkit JDBC monitoring failed in '{}' (the JDBC call went on; further failures are logged at"
                    + " DEBUG): {}", section, failure.toString(), failure);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Perfkit JDBC monitoring failed in '{}': {}", section, failure.toString());
        }
    }

    // ------------------------------------------------------------------ views

    /**
     * @param limit most entries
     * @return shapes with executions, the most total time first
     */
    public List<StatementStats> statements(int limit) {
        List<StatementStats> all = new ArrayList<>(shapes.size() + 1);
        for (Shape s : shapes.values()) {
            StatementStats st = s.stats.snapshot();
            if (st.executions() > 0) {
                all.add(st);
            }
        }
        StatementStats over = overflow.stats.snapshot();
        if (over.executions() > 0) {
            all.add(over);
        }
        all.sort(Comparator.comparingLong(StatementStats::totalNanos).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    /**
     * @param limit most entries
     * @return shapes with a slow execution, the most total time first
     */
    public List<StatementStats> slowStatements(int limit) {
        List<StatementStats> slow = new ArrayList<>();
        for (StatementStats s : statements(Integer.MAX_VALUE)) {
            if (s.slowExecutions() > 0) {
                slow.add(s);
            }
        }
        return List.copyOf(slow.subList(0, Math.min(limit, slow.size())));
    }

    /** @return N+1 findings, the most recently seen first */
    public List<NPlusOneFinding> findings() {
        List<NPlusOneFinding> all = new ArrayList<>(findings.size());
        for (FindingState f : findings.values()) {
            all.add(f.snapshot());
        }
        all.sort(Comparator.comparing(NPlusOneFinding::lastSeen).reversed());
        return List.copyOf(all);
    }

    /** @return connection usage */
    public ConnectionUsage connections() {
        return new ConnectionUsage(open.get(), maxOpen.get(), acquired.get(), acquireFailed.get(), waitTotal.get(),
                waitMax.get());
    }

    /** @return bookkeeping failures swallowed so far */
    public long failures() {
        return failures.get();
    }

    /** @return N+1 detections not kept because {@link JdbcConfig#maxFindings()} was reached */
    public long droppedFindings() {
        return droppedFindings.get();
    }

    /**
     * Zeroes statement statistics and forgets findings. Known shapes stay (prepared statements hold them), so a
     * reset does not free room under the shape cap; connection counters stay too (connections are still open).
     */
    public void reset() {
        for (Shape s : shapes.values()) {
            s.stats.reset();
        }
        overflow.stats.reset();
        findings.clear();
        loggedSlow.clear();
        slowReported.clear();
        slowFirstSeen.clear();
    }

    // ------------------------------------------------------------------ state types

    /** Per-thread counts of the current request; confined to its thread. */
    private static final class RequestState {
        long id = -1;
        final Map<Shape, ShapeCount> counts = new HashMap<>();

        void reset(long newId) {
            id = newId;
            counts.clear();
        }
    }

    private static final class ShapeCount {
        int count;
        long nanos;
        @Nullable FindingState finding;
    }

    private record FindingKey(String shape, String endpoint, String callSite) {}

    private static final class FindingState {
        private final FindingKey key;
        private final long firstSeen;
        private long lastSeen;
        private int max;
        private int last;
        private long requests;

        FindingState(FindingKey key, long now) {
            this.key = key;
            this.firstSeen = now;
            this.lastSeen = now;
        }

        synchronized void detected(int count, long now) {
            requests++;
            last = count;
            max = Math.max(max, count);
            lastSeen = now;
        }

        synchronized void grew(int count) {
            last = count;
            max = Math.max(max, count);
        }

        synchronized NPlusOneFinding snapshot() {
            return new NPlusOneFinding(key.shape, key.endpoint, key.callSite, max, last, requests,
                    Instant.ofEpochMilli(firstSeen), Instant.ofEpochMilli(lastSeen));
        }
    }
}
