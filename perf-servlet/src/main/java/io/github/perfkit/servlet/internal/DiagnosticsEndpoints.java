package io.github.perfkit.servlet.internal;

import io.github.perfkit.core.Perf;
import io.github.perfkit.core.diagnostics.ClassDelta;
import io.github.perfkit.core.diagnostics.ClassEntry;
import io.github.perfkit.core.diagnostics.Deadlock;
import io.github.perfkit.core.diagnostics.HeapDiagnostics;
import io.github.perfkit.core.diagnostics.HeapHistogram;
import io.github.perfkit.core.diagnostics.HistogramDiff;
import io.github.perfkit.core.diagnostics.ThreadDiagnostics;
import io.github.perfkit.core.diagnostics.ThreadDump;
import io.github.perfkit.core.diagnostics.ThreadSnapshot;
import io.github.perfkit.core.diagnostics.WaitChain;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.github.perfkit.core.profiling.JfrProfiler;
import io.github.perfkit.core.profiling.ProfileAnalyzer;
import io.github.perfkit.core.profiling.ProfileComparison;
import io.github.perfkit.core.profiling.ProfileRecording;
import io.github.perfkit.core.profiling.ProfileResult;
import io.github.perfkit.core.profiling.ProfileSettings;
import io.github.perfkit.core.spi.StatusContributor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profiling and diagnosis endpoints below the base path: JFR recordings (start, stop, status,
 * download, upload), their analysis, collapsed stacks for flame graphs, a baseline and the comparison
 * with it, the hub's findings, thread dumps and deadlocks, heap histogram snapshots and their diff, and
 * the JDBC statement statistics of the {@code jdbc.*} status sections.
 *
 * <p>{@code GET} (and {@code HEAD}) never change state; state changes are {@code POST}s that must pass
 * a CSRF check: the {@value #CSRF_HEADER} header must carry the token that
 * {@code GET <base>/api/csrf} returns, a {@code Sec-Fetch-Site} header (when the browser sends one) must
 * be {@code same-origin}, and an {@code Origin} header (when sent) must name the request's own host.
 * A request carrying the configured bearer token skips the check: browsers never add
 * {@code Authorization} on their own, so such a request cannot be forged by another site.
 * Cross-site pages can neither read the token nor send the header without a CORS pre-flight, which
 * these endpoints never grant.
 *
 * <p>Thread-safe: one instance serves all requests. JSON is produced by the function given to the
 * constructor (Jackson stays in the endpoints servlet).
 */
public final class DiagnosticsEndpoints implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiagnosticsEndpoints.class);
    /** The request header that must carry the CSRF token on every POST. */
    public static final String CSRF_HEADER = Csrf.HEADER;
    /** Largest accepted {@code .jfr} upload. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L * 1024 * 1024;
    /** Recordings and uploads remembered (with their analysis); the oldest finished one goes first. */
    public static final int MAX_ENTRIES = 12;
    /**
     * Analyses kept in memory (a result can hold thousands of stacks); older ones are dropped and made
     * again from their file when asked for, as long as the file is kept.
     */
    public static final int MAX_ANALYSES = 4;
    /** Heap histogram snapshots kept. */
    public static final int MAX_HEAP_SNAPSHOTS = 8;
    /** Classes kept per heap histogram snapshot. */
    public static final int HEAP_CLASSES = 1_000;
    private static final Duration MIN_RECORDING = Duration.ofSeconds(1);
    private static final Duration DEFAULT_RECORDING = Duration.ofSeconds(30);
    private static final byte[] JFR_MAGIC = {'F', 'L', 'R', 0};
    private static final Pattern DECIMAL = Pattern.compile("0?\\.[0-9]{1,6}|0|1|1\\.0{1,6}");
    private static final String JSON = "application/json";
    private static final List<String> SETTINGS = List.of("cpu", "allocation", "locks", "all");
    private static final int MAX_EVIDENCE_DEPTH = 6;

    /** The routes this class serves, canonical paths below the base path. */
    private static final Set<String> ROUTES = Set.of("/api/profiling/recordings",
            "/api/profiling/recordings/stop", "/api/profiling/recordings/download", "/api/profiling/analysis",
            "/api/profiling/collapsed", "/api/profiling/upload", "/api/profiling/continuous",
            "/api/profiling/continuous/dump", "/api/profiling/baseline", "/api/profiling/compare",
            "/api/findings", "/api/diagnostics/threads", "/api/diagnostics/deadlocks", "/api/diagnostics/heap",
            "/api/diagnostics/heap/diff", "/api/jdbc");

    private final Perf perf;
    private final Function<Object, byte[]> json;
    private final Predicate<HttpServletRequest> bearer;
    private final long maxUploadBytes;
    private final ProfileAnalyzer analyzer = ProfileAnalyzer.ofDefaults();
    private final Csrf csrf;
    private final Object lock = new Object();
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Deque<HeapHistogram> heapSnapshots = new ArrayDeque<>();
    private final Semaphore uploads = new Semaphore(1);
    private final Semaphore heapPermit = new Semaphore(1);
    private final AtomicLong uploadIds = new AtomicLong();
    private final AtomicInteger snapshotCount = new AtomicInteger();
    private final AtomicLong dumpIds = new AtomicLong();
    private @Nullable JfrProfiler profiler;
    private @Nullable Path uploadDir;
    private @Nullable Baseline baseline;
    private boolean closed;

    /**
     * @param perf the hub (findings, status sections, clock)
     * @param json renders a tree of maps, lists, strings, numbers, booleans and nulls as JSON bytes
     * @param bearer whether a request carries the configured bearer token (such requests skip the CSRF check)
     */
    public DiagnosticsEndpoints(Perf perf, Function<Object, byte[]> json, Predicate<HttpServletRequest> bearer) {
        this(perf, json, bearer, new Csrf(), DEFAULT_MAX_UPLOAD_BYTES);
    }

    /**
     * @param perf the hub (findings, status sections, clock)
     * @param json renders a tree of maps, lists, strings, numbers, booleans and nulls as JSON bytes
     * @param bearer whether a request carries the configured bearer token (such requests skip the CSRF check)
     * @param csrf the servlet's CSRF check, shared with its other state-changing calls (one token per servlet)
     */
    public DiagnosticsEndpoints(Perf perf, Function<Object, byte[]> json, Predicate<HttpServletRequest> bearer,
            Csrf csrf) {
        this(perf, json, bearer, csrf, DEFAULT_MAX_UPLOAD_BYTES);
    }

    /**
     * @param perf the hub (findings, status sections, clock)
     * @param json renders a tree of maps, lists, strings, numbers, booleans and nulls as JSON bytes
     * @param bearer whether a request carries the configured bearer token (such requests skip the CSRF check)
     * @param csrf the servlet's CSRF check
     * @param maxUploadBytes the largest accepted upload, at least 1 KiB
     */
    public DiagnosticsEndpoints(Perf perf, Function<Object, byte[]> json, Predicate<HttpServletRequest> bearer,
            Csrf csrf, long maxUploadBytes) {
        this.perf = Objects.requireNonNull(perf, "perf");
        this.csrf = Objects.requireNonNull(csrf, "csrf");
        this.json = Objects.requireNonNull(json, "json");
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        if (maxUploadBytes < 1024) {
            throw new IllegalArgumentException("maxUploadBytes must be at least 1024, was " + maxUploadBytes);
        }
        this.maxUploadBytes = maxUploadBytes;
    }

    /**
     * Whether a canonical path below the base path is one of these endpoints.
     *
     * @param path the canonical path, e.g. {@code /api/findings}
     * @return true when {@link #service} answers it
     */
    public static boolean serves(String path) {
        return ROUTES.contains(path);
    }

    /**
     * Answers one request to one of these endpoints (access was already granted by the caller).
     *
     * @param path the canonical path below the base path
     * @param req the request
     * @param res the response
     * @throws IOException when writing the response fails
     */
    public void service(String path, HttpServletRequest req, HttpServletResponse res) throws IOException {
        String method = req.getMethod();
        boolean head = "HEAD".equals(method);
        boolean post = "POST".equals(method);
        try {
            Set<String> allowed = methods(path);
            String m = head ? "GET" : method;
            if (!allowed.contains(m)) {
                res.setHeader("Allow", String.join(", ", allowed.contains("GET") ? withHead(allowed) : allowed));
                error(res, head, 405, "method_not_allowed", null, "use " + String.join(" or ", allowed));
                return;
            }
            if (post) {
                String csrf = csrfFailure(req);
                if (csrf != null) {
                    error(res, false, 403, "csrf", null, csrf);
                    return;
                }
                post(path, req, res);
            } else {
                get(path, req, res, head);
            }
        } catch (BadRequest e) {
            error(res, head, 400, "bad_request", e.parameter(), e.getMessage());
        } catch (Refusal e) {
            if (e.retryAfterSeconds > 0) {
                res.setHeader("Retry-After", Integer.toString(e.retryAfterSeconds));
            }
            error(res, head, e.status, e.error, null, e.getMessage());
        }
    }

    private static Set<String> methods(String path) {
        return switch (path) {
            case "/api/profiling/recordings", "/api/profiling/baseline", "/api/diagnostics/heap" ->
                    Set.of("GET", "POST");
            case "/api/profiling/recordings/stop", "/api/profiling/upload", "/api/profiling/continuous",
                    "/api/profiling/continuous/dump" -> Set.of("POST");
            default -> Set.of("GET");
        };
    }

    private static List<String> withHead(Set<String> allowed) {
        List<String> out = new ArrayList<>(allowed);
        out.sort(null);
        out.add("HEAD");
        return out;
    }

    // ------------------------------------------------------------------ CSRF

    /**
     * Why a POST fails the CSRF check, or null when it passes.
     *
     * @param req the request
     * @return the reason, or null
     */
    @Nullable String csrfFailure(HttpServletRequest req) {
        if (bearer.test(req)) {
            return null;
        }
        return csrf.refusal(req.getHeader(Csrf.HEADER), req.getHeader("Origin"), req.getHeader("Sec-Fetch-Site"),
                req.getHeader("Host"), req.getScheme() == null ? "http" : req.getScheme());
    }

    // ------------------------------------------------------------------ GET

    private void get(String path, HttpServletRequest req, HttpServletResponse res, boolean head) throws IOException {
        Map<String, String[]> q = query(req);
        switch (path) {
            case "/api/profiling/recordings" -> {
                new Params(q, Set.of());
                json(res, head, 200, recordings());
            }
            case "/api/profiling/recordings/download" -> download(res, head, new Params(q, Set.of("id")));
            case "/api/profiling/analysis" -> {
                Params p = new Params(q, Set.of("id", "top"));
                int top = p.integer("top", 50, 1, 500);
                Entry e = entry(p.name("id", false));
                json(res, head, 200, analysis(e, result(e), top));
            }
            case "/api/profiling/collapsed" -> {
                Entry e = entry(new Params(q, Set.of("id")).name("id", false));
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, Long> s : result(e).collapsedStacks().entrySet()) {
                    sb.append(s.getKey()).append(' ').append(s.getValue()).append('\n');
                }
                write(res, head, 200, "text/plain; charset=utf-8", sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            case "/api/profiling/baseline" -> {
                new Params(q, Set.of());
                Baseline b;
                synchronized (lock) {
                    b = baseline;
                }
                json(res, head, 200, Map.of("baseline", b == null ? Map.of() : b.json()));
            }
            case "/api/profiling/compare" -> json(res, head, 200, compare(new Params(q, Set.of("id", "threshold"))));
            case "/api/findings" -> json(res, head, 200, findings(new Params(q, Set.of("state", "category", "limit"))));
            case "/api/diagnostics/threads" -> json(res, head, 200, threads(new Params(q, Set.of("depth", "limit",
                    "state"))));
            case "/api/diagnostics/deadlocks" -> {
                new Params(q, Set.of());
                List<Object> list = new ArrayList<>();
                for (Deadlock d : threadDiagnostics().deadlocks()) {
                    list.add(deadlock(d));
                }
                json(res, head, 200, Map.of("count", list.size(), "deadlocks", list));
            }
            case "/api/diagnostics/heap" -> json(res, head, 200, heap(new Params(q, Set.of("top"))));
            case "/api/diagnostics/heap/diff" -> json(res, head, 200, heapDiff(new Params(q, Set.of("from", "to",
                    "top"))));
            case "/api/jdbc" -> {
                new Params(q, Set.of());
                json(res, head, 200, jdbc());
            }
            default -> error(res, head, 404, "not_found", null, "no such endpoint");
        }
    }

    private static Map<String, String[]> query(HttpServletRequest req) {
        try {
            return req.getParameterMap();
        } catch (RuntimeException bad) {
            throw new BadRequest("query", "malformed query string (bad percent-encoding or UTF-8)");
        }
    }

    // ------------------------------------------------------------------ POST

    private void post(String path, HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (path.equals("/api/profiling/upload")) {
            upload(req, res);
            return;
        }
        Map<String, String[]> q = query(req);
        switch (path) {
            case "/api/profiling/recordings" -> json(res, false, 202, start(new Params(q, Set.of("duration",
                    "settings"))));
            case "/api/profiling/recordings/stop" -> {
                new Params(q, Set.of());
                json(res, false, 200, stop());
            }
            case "/api/profiling/baseline" -> {
                Entry e = entry(new Params(q, Set.of("id")).name("id", false));
                ProfileResult r = result(e);
                Baseline b = new Baseline(e.id, r, Instant.ofEpochMilli(perf.clock().wallTime()));
                synchronized (lock) {
                    baseline = b;
                }
                json(res, false, 200, Map.of("baseline", b.json()));
            }
            case "/api/diagnostics/heap" -> {
                new Params(q, Set.of());
                json(res, false, 201, snapshotHeap());
            }
            case "/api/profiling/continuous" -> json(res, false, 200, continuous(new Params(q, Set.of("action"))
                    .choice("action", "", List.of("start", "stop"))));
            case "/api/profiling/continuous/dump" -> {
                new Params(q, Set.of());
                json(res, false, 201, dumpContinuous());
            }
            default -> error(res, false, 404, "not_found", null, "no such endpoint");
        }
    }

    // ------------------------------------------------------------------ recordings

    private JfrProfiler profiler() {
        synchronized (lock) {
            if (closed) {
                throw new Refusal(503, "closed", "the endpoints are shutting down");
            }
            if (profiler == null) {
                try {
                    // The hub's profiler: one on-demand recording at a time for the whole hub, configured by
                    // Perf.Builder.profiling(..), closed with the hub.
                    profiler = perf.profiling();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("Perfkit: JDK Flight Recorder is unavailable: {}", e.toString());
                    throw new Refusal(503, "unavailable", "JDK Flight Recorder is unavailable in this JVM: " + e);
                }
            }
            return profiler;
        }
    }

    private Map<String, Object> start(Params p) {
        Duration duration = p.duration("duration");
        if (duration == null) {
            duration = DEFAULT_RECORDING;
        }
        Duration max = perf.profiling().config().maxDuration();
        if (duration.compareTo(MIN_RECORDING) < 0 || duration.compareTo(max) > 0) {
            throw new BadRequest("duration", "must be between 1s and " + max.toSeconds() + "s");
        }
        String s = p.choice("settings", "cpu", SETTINGS);
        ProfileSettings settings = ProfileSettings.valueOf(s.toUpperCase(Locale.ROOT));
        JfrProfiler jfr = profiler();
        synchronized (lock) {
            ProfileRecording rec;
            try {
                rec = jfr.record(settings, duration);
            } catch (IllegalStateException e) {
                ProfileRecording running = jfr.current().orElse(null);
                throw new Refusal(409, "recording_running", running == null ? e.getMessage()
                        : "a profile recording is already running (id " + running.id() + ", ends at "
                                + running.startTime().plus(running.duration()) + "); stop it first or wait");
            } catch (IllegalArgumentException e) {
                throw new BadRequest("duration", e.getMessage());
            } catch (IOException e) {
                LOG.warn("Perfkit: could not start a profile recording: {}", e.toString());
                throw new Refusal(503, "unavailable", "the recording directory cannot be prepared: " + e.getMessage());
            }
            Entry e = new Entry(rec.id(), "recording", rec, null, rec.settings(), rec.startTime());
            add(e);
            return entryJson(e);
        }
    }

    private Map<String, Object> stop() {
        JfrProfiler jfr = profiler();
        ProfileRecording rec = jfr.current().orElseThrow(() ->
                new Refusal(409, "not_running", "no profile recording is running"));
        try {
            rec.stop();
        } catch (RuntimeException e) {
            LOG.warn("Perfkit: stopping profile recording {} failed: {}", rec.id(), e.toString());
            throw new Refusal(500, "recording_failed", "the recording could not be written: " + e.getMessage());
        }
        Entry e;
        synchronized (lock) {
            e = find(rec.id());
        }
        return e == null ? Map.of("id", rec.id(), "done", true) : entryJson(e);
    }

    private Map<String, Object> continuous(String action) {
        if (action.isEmpty()) {
            throw new BadRequest("action", "required: start or stop");
        }
        JfrProfiler jfr = profiler();
        try {
            if (action.equals("start")) {
                jfr.startContinuous();
            } else {
                jfr.stopContinuous();
            }
        } catch (IllegalStateException e) {
            throw new Refusal(503, "unavailable", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("continuous", jfr.isContinuousRunning());
        out.put("maxAgeSeconds", perf.profiling().config().continuousMaxAge().toSeconds());
        out.put("maxSizeBytes", perf.profiling().config().continuousMaxSize());
        return out;
    }

    private Map<String, Object> dumpContinuous() {
        JfrProfiler jfr = profiler();
        if (!jfr.isContinuousRunning()) {
            throw new Refusal(409, "not_running", "the continuous recording does not run: POST "
                    + "api/profiling/continuous?action=start first");
        }
        Path file;
        try {
            file = jfr.dumpContinuous();
        } catch (IllegalStateException e) {
            throw new Refusal(409, "not_running", e.getMessage());
        } catch (IOException e) {
            LOG.warn("Perfkit: dumping the continuous recording failed: {}", e.toString());
            throw new Refusal(503, "unavailable", "the continuous recording could not be written: " + e.getMessage());
        }
        Entry e = new Entry("c" + dumpIds.incrementAndGet(), "continuous", null, file, null,
                Instant.ofEpochMilli(perf.clock().wallTime()));
        synchronized (lock) {
            add(e);
        }
        return entryJson(e);
    }

    private void add(Entry e) {
        entries.addFirst(e);
        while (entries.size() > MAX_ENTRIES) {
            Entry oldest = null;
            for (var it = entries.descendingIterator(); it.hasNext();) {
                Entry c = it.next();
                if (c.recording == null || c.recording.isDone()) {
                    oldest = c;
                    break;
                }
            }
            if (oldest == null) {
                break;
            }
            entries.remove(oldest);
            oldest.discard();
        }
    }

    private @Nullable Entry find(String id) {
        for (Entry e : entries) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        return null;
    }

    /** The entry named by {@code id}, or the most recent finished one. */
    private Entry entry(@Nullable String id) {
        synchronized (lock) {
            if (id != null) {
                Entry e = find(id);
                if (e == null) {
                    throw new Refusal(404, "not_found", "no recording or upload has id " + id);
                }
                return e;
            }
            for (Entry e : entries) {
                if (e.recording == null || e.recording.isDone()) {
                    return e;
                }
            }
        }
        throw new Refusal(404, "not_found", "no finished recording or upload yet: POST api/profiling/recordings or "
                + "api/profiling/upload first");
    }

    private Map<String, Object> recordings() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        Object running = null;
        Baseline b;
        synchronized (lock) {
            for (Entry e : entries) {
                Map<String, Object> j = entryJson(e);
                list.add(j);
                if (e.recording != null && !e.recording.isDone()) {
                    running = j;
                }
            }
            b = baseline;
        }
        out.put("running", running);
        out.put("recordings", list);
        out.put("baseline", b == null ? null : b.json());
        JfrProfiler jfr;
        synchronized (lock) {
            jfr = profiler;
        }
        out.put("continuous", jfr != null && jfr.isContinuousRunning());
        out.put("settings", SETTINGS);
        out.put("maxDurationSeconds", perf.profiling().config().maxDuration().toSeconds());
        out.put("maxUploadBytes", maxUploadBytes);
        return out;
    }

    private Map<String, Object> entryJson(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id);
        m.put("source", e.source);
        m.put("settings", e.settings == null ? null : e.settings.name().toLowerCase(Locale.ROOT));
        m.put("start", e.start.toString());
        ProfileRecording r = e.recording;
        if (r != null) {
            m.put("durationMillis", r.duration().toMillis());
            m.put("endsAt", r.startTime().plus(r.duration()).toString());
        }
        boolean done = r == null || r.isDone();
        m.put("done", done);
        Path f = done ? e.fileQuietly() : null;
        m.put("fileBytes", f == null ? null : sizeQuietly(f));
        m.put("failed", done && r != null && f == null);
        m.put("analysed", e.result != null);
        return m;
    }

    private static @Nullable Long sizeQuietly(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return null;
        }
    }

    private void download(HttpServletResponse res, boolean head, Params p) throws IOException {
        Entry e = entry(p.name("id", false));
        Path f = e.file();
        long size;
        try {
            size = Files.size(f);
        } catch (IOException ex) {
            throw gone(e);
        }
        res.setStatus(200);
        res.setContentType("application/octet-stream");
        res.setHeader("Content-Disposition", "attachment; filename=\"perfkit-" + e.source + "-" + e.id + ".jfr\"");
        res.setContentLengthLong(size);
        if (head) {
            return;
        }
        try (InputStream in = Files.newInputStream(f)) {
            in.transferTo(res.getOutputStream());
        }
    }

    private static Refusal gone(Entry e) {
        return new Refusal(410, "gone", "the file of " + e.source + " " + e.id + " is no longer kept (only the most "
                + "recent files are); its analysis stays available if it was analysed before");
    }

    private ProfileResult result(Entry e) {
        ProfileResult r = e.result;
        if (r != null) {
            return r;
        }
        synchronized (e) {
            r = e.result;
            if (r == null) {
                Path f = e.file();
                try {
                    r = analyzer.analyze(f);
                } catch (IOException | RuntimeException ex) {
                    LOG.warn("Perfkit: analysing {} {} failed: {}", e.source, e.id, ex.toString());
                    if (!Files.exists(f)) {
                        throw gone(e);
                    }
                    throw new Refusal(500, "analysis_failed", "the recording could not be analysed: " + ex.getMessage());
                }
                e.result = r;
            }
        }
        trimAnalyses();
        return r;
    }

    /** Keeps the analyses of the {@value #MAX_ANALYSES} most recent entries only. */
    private void trimAnalyses() {
        synchronized (lock) {
            int kept = 0;
            for (Entry e : entries) {
                if (e.result != null && ++kept > MAX_ANALYSES) {
                    e.result = null;
                }
            }
        }
    }

    // ------------------------------------------------------------------ upload

    private void upload(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String type = req.getContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream")) {
            throw new Refusal(415, "unsupported_media_type", "send the .jfr file as the raw body with Content-Type: "
                    + "application/octet-stream");
        }
        // The query is read only now: a form-encoded body would otherwise have been parsed as parameters.
        new Params(query(req), Set.of());
        long length = req.getContentLengthLong();
        if (length > maxUploadBytes) {
            throw new Refusal(413, "too_large", "uploads are at most " + maxUploadBytes + " bytes");
        }
        if (!uploads.tryAcquire()) {
            throw new Refusal(429, "busy", "another upload is being analysed; retry shortly", 5);
        }
        Path file = null;
        try {
            Path dir = uploadDir();
            file = Files.createTempFile(dir, "upload-", ".jfr");
            long copied = copyCapped(req.getInputStream(), file);
            if (copied < 0) {
                throw new Refusal(413, "too_large", "uploads are at most " + maxUploadBytes + " bytes");
            }
            if (!startsWithMagic(file)) {
                throw new BadRequest("body", "not a JFR recording (a .jfr file starts with the bytes FLR\\0)");
            }
            ProfileResult result;
            try {
                result = analyzer.analyze(file);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Perfkit: an uploaded file could not be read as a JFR recording", e);
                throw new BadRequest("body", "not a readable JFR recording: " + cut(String.valueOf(e.getMessage()), 200));
            }
            String id = "u" + uploadIds.incrementAndGet();
            Entry e = new Entry(id, "upload", null, file, null, Instant.ofEpochMilli(perf.clock().wallTime()));
            e.result = result;
            synchronized (lock) {
                if (closed) {
                    throw new Refusal(503, "closed", "the endpoints are shutting down");
                }
                add(e);
            }
            trimAnalyses();
            file = null;
            Map<String, Object> out = entryJson(e);
            out.put("cpuSamples", result.cpuSamples());
            json(res, false, 201, out);
        } finally {
            uploads.release();
            if (file != null) {
                deleteQuietly(file);
            }
        }
    }

    /** Copies at most the cap; returns the bytes copied, or -1 when the body is larger. */
    private long copyCapped(InputStream in, Path file) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > maxUploadBytes) {
                    return -1;
                }
                out.write(buf, 0, n);
            }
        }
        return total;
    }

    private static boolean startsWithMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(JFR_MAGIC.length);
            return java.util.Arrays.equals(head, JFR_MAGIC);
        }
    }

    private Path uploadDir() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new Refusal(503, "closed", "the endpoints are shutting down");
            }
            if (uploadDir == null) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    // Uploaded recordings hold another application's stacks: owner only.
                    uploadDir = Files.createTempDirectory("perfkit-uploads-",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    uploadDir = Files.createTempDirectory("perfkit-uploads-");
                }
            }
            return uploadDir;
        }
    }

    // ------------------------------------------------------------------ analysis and comparison

    private static Map<String, Object> analysis(Entry e, ProfileResult r, int top) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id);
        out.put("source", e.source);
        out.put("start", r.start().toString());
        out.put("durationMillis", r.duration().toMillis());
        out.put("cpuSamples", r.cpuSamples());
        List<Object> functions = new ArrayList<>();
        for (ProfileResult.FunctionStat f : limit(r.topFunctions(), top)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frame", f.frame());
            m.put("selfSamples", f.selfSamples());
            m.put("totalSamples", f.totalSamples());
            m.put("selfShare", f.selfShare());
            m.put("totalShare", f.totalShare());
            functions.add(m);
        }
        out.put("topFunctions", functions);
        List<Object> hotspots = new ArrayList<>();
        for (ProfileResult.Hotspot h : limit(r.hotspots(), top)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frame", h.frame());
            m.put("selfShare", h.selfShare());
            m.put("hottestPath", h.hottestPath());
            m.put("pathShare", h.pathShare());
            hotspots.add(m);
        }
        out.put("hotspots", hotspots);
        out.put("allocatedBytes", r.allocatedBytes());
        out.put("allocationRateBytesPerSecond", finite(r.allocationRateBytesPerSecond()));
        out.put("allocationByClass", allocations(r.allocationByClass(), top));
        out.put("allocationBySite", allocations(r.allocationBySite(), top));
        List<Object> contention = new ArrayList<>();
        for (ProfileResult.ContentionStat c : limit(r.contention(), top)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("monitorClass", c.monitorClass());
            m.put("kind", c.kind());
            m.put("events", c.events());
            m.put("totalWaitMillis", c.totalWait().toNanos() / 1e6);
            m.put("topWaitingFrame", c.topWaitingFrame());
            m.put("topOwnerThread", c.topOwnerThread());
            contention.add(m);
        }
        out.put("contention", contention);
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("collections", r.gc().collections());
        gc.put("totalPauseMillis", r.gc().totalPause().toNanos() / 1e6);
        gc.put("longestPauseMillis", r.gc().longestPause().toNanos() / 1e6);
        out.put("gc", gc);
        out.put("stacks", r.collapsedStacks().size());
        return out;
    }

    private static List<Object> allocations(List<ProfileResult.AllocationStat> list, int top) {
        List<Object> out = new ArrayList<>();
        for (ProfileResult.AllocationStat a : limit(list, top)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            m.put("bytes", a.bytes());
            m.put("samples", a.samples());
            m.put("share", a.share());
            out.add(m);
        }
        return out;
    }

    private Map<String, Object> compare(Params p) {
        double threshold = decimal(p, "threshold", 0.05);
        if (!(threshold > 0 && threshold < 1)) {
            throw new BadRequest("threshold", "must be a decimal in (0, 1), e.g. 0.05");
        }
        Baseline b;
        synchronized (lock) {
            b = baseline;
        }
        if (b == null) {
            throw new Refusal(409, "no_baseline", "no baseline saved: POST api/profiling/baseline?id=<id> first");
        }
        Entry e = entry(p.name("id", false));
        ProfileComparison c = ProfileComparison.of(b.result, result(e), threshold);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseline", b.json());
        out.put("id", e.id);
        out.put("threshold", c.threshold());
        out.put("hasChanges", c.hasChanges());
        out.put("risen", changes(c.risen()));
        out.put("fallen", changes(c.fallen()));
        out.put("newHotspots", c.newHotspots());
        out.put("cpuSamplesDelta", c.cpuSamplesDelta());
        out.put("allocationRateDelta", finite(c.allocationRateDelta()));
        return out;
    }

    private static List<Object> changes(List<ProfileComparison.Change> list) {
        List<Object> out = new ArrayList<>();
        for (ProfileComparison.Change c : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("frame", c.frame());
            m.put("before", c.before());
            m.put("after", c.after());
            out.add(m);
        }
        return out;
    }

    private static double decimal(Params p, String name, double def) {
        String v = p.string(name);
        if (v == null) {
            return def;
        }
        if (!DECIMAL.matcher(v).matches()) {
            throw new BadRequest(name, "must be a decimal in (0, 1), e.g. 0.05");
        }
        return Double.parseDouble(v);
    }

    // ------------------------------------------------------------------ findings

    private Map<String, Object> findings(Params p) {
        String state = p.choice("state", "all", List.of("active", "all"));
        List<String> categories = new ArrayList<>();
        for (FindingCategory c : FindingCategory.values()) {
            categories.add(c.name().toLowerCase(Locale.ROOT));
        }
        String category = p.string("category") == null ? null : p.choice("category", "", categories);
        int limit = p.integer("limit", 200, 1, 1000);
        List<Finding> all = state.equals("active") ? perf.diagnosis().active() : perf.diagnosis().all();
        List<Object> list = new ArrayList<>();
        int active = 0;
        for (Finding f : all) {
            if (f.active()) {
                active++;
            }
            if (category != null && !f.category().name().toLowerCase(Locale.ROOT).equals(category)) {
                continue;
            }
            if (list.size() < limit) {
                list.add(finding(f));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", active);
        out.put("total", all.size());
        out.put("windowsJudged", perf.diagnosis().windowsJudged());
        out.put("learning", perf.diagnosis().learning());
        out.put("findings", list);
        return out;
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("category", f.category().name().toLowerCase(Locale.ROOT));
        m.put("culprit", f.culprit());
        m.put("subject", f.subject());
        m.put("evidence", jsonFriendly(f.evidence(), 0));
        m.put("sampleStack", f.sampleStack());
        m.put("firstSeen", f.firstSeen().toString());
        m.put("lastSeen", f.lastSeen().toString());
        m.put("recommendation", f.recommendation());
        m.put("active", f.active());
        return m;
    }

    /** Evidence values are meant to be JSON-friendly; anything else is shown by its string form. */
    private static @Nullable Object jsonFriendly(@Nullable Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Short || v instanceof Byte) {
            return v;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (depth >= MAX_EVIDENCE_DEPTH) {
            return cut(String.valueOf(v), 500);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (out.size() >= 100) {
                    break;
                }
                out.put(String.valueOf(e.getKey()), jsonFriendly(e.getValue(), depth + 1));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                if (out.size() >= 100) {
                    break;
                }
                out.add(jsonFriendly(o, depth + 1));
            }
            return out;
        }
        return cut(String.valueOf(v), 500);
    }

    // ------------------------------------------------------------------ threads

    private ThreadDiagnostics threadDiagnostics() {
        return ThreadDiagnostics.of(ManagementFactory.getThreadMXBean(), Clock.systemUTC());
    }

    private Map<String, Object> threads(Params p) {
        int depth = p.integer("depth", 32, 0, 256);
        int limit = p.integer("limit", 500, 0, ThreadDiagnostics.MAX_THREADS);
        List<String> states = new ArrayList<>();
        for (Thread.State s : Thread.State.values()) {
            states.add(s.name().toLowerCase(Locale.ROOT));
        }
        List<String> choices = new ArrayList<>(states);
        choices.add("all");
        String state = p.choice("state", "all", choices);
        ThreadDump d = threadDiagnostics().dump(depth);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("capturedAt", d.capturedAt().toString());
        out.put("threadCount", d.threadCount());
        Map<String, Object> byState = new LinkedHashMap<>();
        d.byState().forEach((k, v) -> byState.put(k.name().toLowerCase(Locale.ROOT), v));
        out.put("byState", byState);
        out.put("byNamePrefix", d.byNamePrefix());
        List<Object> chains = new ArrayList<>();
        for (WaitChain c : d.waitChains()) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> ts = new ArrayList<>();
            for (ThreadSnapshot t : c.threads()) {
                ts.add(Map.of("id", t.id(), "name", t.name(), "state", t.state().name().toLowerCase(Locale.ROOT)));
            }
            m.put("threads", ts);
            m.put("locks", c.locks());
            m.put("cyclic", c.cyclic());
            chains.add(m);
        }
        out.put("waitChains", chains);
        List<Object> deadlocks = new ArrayList<>();
        for (Deadlock dl : d.deadlocks()) {
            deadlocks.add(deadlock(dl));
        }
        out.put("deadlocks", deadlocks);
        List<Object> threads = new ArrayList<>();
        for (ThreadSnapshot t : d.threads()) {
            if (threads.size() >= limit) {
                break;
            }
            if (state.equals("all") || t.state().name().toLowerCase(Locale.ROOT).equals(state)) {
                threads.add(thread(t));
            }
        }
        out.put("threads", threads);
        return out;
    }

    private static Map<String, Object> deadlock(Deadlock d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", d.description());
        List<Object> ts = new ArrayList<>();
        for (ThreadSnapshot t : d.threads()) {
            ts.add(thread(t));
        }
        m.put("threads", ts);
        return m;
    }

    private static Map<String, Object> thread(ThreadSnapshot t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("state", t.state().name().toLowerCase(Locale.ROOT));
        m.put("daemon", t.daemon());
        m.put("lockName", t.lockName());
        m.put("lockOwnerId", t.lockOwnerId());
        m.put("lockOwnerName", t.lockOwnerName());
        m.put("blockedCount", t.blockedCount());
        m.put("waitedCount", t.waitedCount());
        m.put("stack", t.stack());
        m.put("lockedMonitors", t.lockedMonitors());
        m.put("lockedSynchronizers", t.lockedSynchronizers());
        return m;
    }

    // ------------------------------------------------------------------ heap

    private Map<String, Object> snapshotHeap() {
        if (!heapPermit.tryAcquire()) {
            throw new Refusal(429, "busy", "a heap histogram is being taken; retry shortly", 5);
        }
        try {
            HeapHistogram h;
            try {
                h = HeapDiagnostics.of(Clock.systemUTC()).histogram(HEAP_CLASSES);
            } catch (UnsupportedOperationException e) {
                throw new Refusal(503, "unavailable", e.getMessage());
            }
            int index;
            synchronized (lock) {
                heapSnapshots.addLast(h);
                while (heapSnapshots.size() > MAX_HEAP_SNAPSHOTS) {
                    heapSnapshots.removeFirst();
                }
                index = snapshotCount.incrementAndGet();
            }
            Map<String, Object> out = histogram(h, 20);
            out.put("snapshot", index);
            return out;
        } finally {
            heapPermit.release();
        }
    }

    /** The kept snapshots, oldest first, with their numbers (1 = the first ever taken). */
    private List<Map.Entry<Integer, HeapHistogram>> snapshots() {
        synchronized (lock) {
            List<Map.Entry<Integer, HeapHistogram>> out = new ArrayList<>();
            int first = snapshotCount.get() - heapSnapshots.size() + 1;
            int i = first;
            for (HeapHistogram h : heapSnapshots) {
                out.add(Map.entry(i++, h));
            }
            return out;
        }
    }

    private Map<String, Object> heap(Params p) {
        int top = p.integer("top", 50, 1, HEAP_CLASSES);
        List<Map.Entry<Integer, HeapHistogram>> snaps = snapshots();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Map.Entry<Integer, HeapHistogram> s : snaps) {
            list.add(Map.of("snapshot", s.getKey(), "capturedAt", s.getValue().capturedAt().toString(),
                    "totalBytes", s.getValue().totalBytes(), "totalInstances", s.getValue().totalInstances()));
        }
        out.put("snapshots", list);
        out.put("latest", snaps.isEmpty() ? null : histogram(snaps.get(snaps.size() - 1).getValue(), top));
        return out;
    }

    private static Map<String, Object> histogram(HeapHistogram h, int top) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capturedAt", h.capturedAt().toString());
        m.put("totalBytes", h.totalBytes());
        m.put("totalInstances", h.totalInstances());
        m.put("classCount", h.classCount());
        List<Object> classes = new ArrayList<>();
        for (ClassEntry c : h.topByBytes(top)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("className", c.className());
            e.put("module", c.module());
            e.put("instances", c.instances());
            e.put("bytes", c.bytes());
            classes.add(e);
        }
        m.put("classes", classes);
        return m;
    }

    private Map<String, Object> heapDiff(Params p) {
        int top = p.integer("top", 50, 1, HEAP_CLASSES);
        int toParam = p.integer("to", -1, 1, Integer.MAX_VALUE);
        int fromParam = p.integer("from", -1, 1, Integer.MAX_VALUE);
        List<Map.Entry<Integer, HeapHistogram>> snaps = snapshots();
        if (snaps.size() < 2) {
            throw new Refusal(409, "need_two_snapshots", "take two heap snapshots first (POST api/diagnostics/heap), "
                    + snaps.size() + " kept");
        }
        int to = toParam > 0 ? toParam : snaps.get(snaps.size() - 1).getKey();
        int from = fromParam > 0 ? fromParam : to - 1;
        HeapHistogram a = snapshot(snaps, from, "from");
        HeapHistogram b = snapshot(snaps, to, "to");
        if (from >= to) {
            throw new BadRequest("from", "must be an earlier snapshot than 'to'");
        }
        HistogramDiff d = HeapDiagnostics.diff(a, b, top);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("to", to);
        out.put("betweenMillis", d.between().toMillis());
        out.put("bytesDelta", d.bytesDelta());
        out.put("instancesDelta", d.instancesDelta());
        List<Object> suspects = new ArrayList<>();
        for (ClassDelta c : d.suspects()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("className", c.className());
            m.put("instancesBefore", c.instancesBefore());
            m.put("instancesAfter", c.instancesAfter());
            m.put("bytesBefore", c.bytesBefore());
            m.put("bytesAfter", c.bytesAfter());
            m.put("bytesDelta", c.bytesDelta());
            m.put("instancesDelta", c.instancesDelta());
            suspects.add(m);
        }
        out.put("suspects", suspects);
        return out;
    }

    private static HeapHistogram snapshot(List<Map.Entry<Integer, HeapHistogram>> snaps, int number, String param) {
        for (Map.Entry<Integer, HeapHistogram> s : snaps) {
            if (s.getKey() == number) {
                return s.getValue();
            }
        }
        throw new BadRequest(param, "no kept heap snapshot has this number; kept: " + snaps.get(0).getKey() + " to "
                + snaps.get(snaps.size() - 1).getKey());
    }

    // ------------------------------------------------------------------ JDBC

    /**
     * The hub keeps no registry of data sources: a {@code PerfDataSource} shows up through the status
     * section it contributes ({@code jdbc.<name>}) once the application registers it. Statements whose
     * shape has an N+1 finding are flagged.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> jdbc() {
        List<Object> sources = new ArrayList<>();
        for (StatusContributor c : perf.contributors()) {
            if (!c.name().startsWith("jdbc.")) {
                continue;
            }
            Map<String, Object> status;
            try {
                status = c.status();
            } catch (RuntimeException e) {
                LOG.debug("Perfkit: status contributor '{}' failed", c.name(), e);
                sources.add(Map.of("name", c.name(), "error", e.getClass().getName()));
                continue;
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", c.name().substring("jdbc.".length()));
            Object conn = jsonFriendly(status.get("connections"), 0);
            s.put("connections", conn);
            Object nPlusOne = jsonFriendly(status.get("nPlusOne"), 0);
            Set<String> flagged = new HashSet<>();
            if (nPlusOne instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m && m.get("shape") instanceof String shape) {
                        flagged.add(shape);
                    }
                }
            }
            List<Object> statements = new ArrayList<>();
            if (jsonFriendly(status.get("statements"), 0) instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> m) {
                        Map<String, Object> st = new LinkedHashMap<>((Map<String, Object>) m);
                        st.put("nPlusOne", m.get("shape") instanceof String shape && flagged.contains(shape));
                        statements.add(st);
                    }
                }
            }
            s.put("statements", statements);
            s.put("nPlusOne", nPlusOne);
            s.put("monitorFailures", jsonFriendly(status.get("monitorFailures"), 0));
            sources.add(s);
        }
        List<Object> findings = new ArrayList<>();
        for (Finding f : perf.diagnosis().all()) {
            if (f.category() == FindingCategory.N_PLUS_ONE || f.category() == FindingCategory.SLOW_SQL) {
                findings.add(finding(f));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataSources", sources);
        out.put("findings", findings);
        return out;
    }

    // ------------------------------------------------------------------ output

    private void json(HttpServletResponse res, boolean head, int status, Object body) throws IOException {
        write(res, head, status, JSON, json.apply(body));
    }

    private void error(HttpServletResponse res, boolean head, int status, String error, @Nullable String parameter,
            @Nullable String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        body.put("message", message == null ? "" : message);
        json(res, head, status, body);
    }

    private static void write(HttpServletResponse res, boolean head, int status, String contentType, byte[] body)
            throws IOException {
        res.setStatus(status);
        res.setContentType(contentType);
        res.setContentLength(body.length);
        if (!head) {
            res.getOutputStream().write(body);
        }
    }

    private static <T> List<T> limit(List<T> list, int n) {
        return list.size() <= n ? list : list.subList(0, n);
    }

    private static @Nullable Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.debug("Perfkit: could not delete {}", f, e);
        }
    }

    /** Stops a running recording, deletes every recording and upload file. Idempotent. */
    @Override
    public void close() {
        JfrProfiler p;
        Path dir;
        List<Entry> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            p = profiler;
            profiler = null;
            dir = uploadDir;
            all = new ArrayList<>(entries);
            entries.clear();
            heapSnapshots.clear();
        }
        for (Entry e : all) {
            e.discard();
        }
        if (p != null) {
            // The profiler is the hub's: it stays open, but a recording these endpoints started ends here.
            p.current().ifPresent(r -> {
                try {
                    r.stop();
                } catch (RuntimeException e) {
                    LOG.debug("Perfkit: stopping the running recording failed", e);
                }
            });
        }
        if (dir != null) {
            deleteQuietly(dir);
        }
    }

    // ------------------------------------------------------------------ types

    /** One recording or upload, with its analysis once made. */
    private static final class Entry {
        final String id;
        final String source;
        final @Nullable ProfileRecording recording;
        final @Nullable Path upload;
        final @Nullable ProfileSettings settings;
        final Instant start;
        volatile @Nullable ProfileResult result;

        Entry(String id, String source, @Nullable ProfileRecording recording, @Nullable Path upload,
                @Nullable ProfileSettings settings, Instant start) {
            this.id = id;
            this.source = source;
            this.recording = recording;
            this.upload = upload;
            this.settings = settings;
            this.start = start;
        }

        /** The file; a Refusal when it is still running, failed or was deleted. */
        Path file() {
            ProfileRecording r = recording;
            Path f;
            if (r == null) {
                f = Objects.requireNonNull(upload);
            } else {
                if (!r.isDone()) {
                    throw new Refusal(409, "recording_running", "recording " + id + " is still running; it ends at "
                            + r.startTime().plus(r.duration()));
                }
                try {
                    f = r.await(Duration.ofSeconds(5));
                } catch (TimeoutException | RuntimeException e) {
                    throw new Refusal(410, "gone", "recording " + id + " failed: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Refusal(503, "interrupted", "interrupted while waiting for recording " + id);
                }
            }
            if (!Files.isRegularFile(f)) {
                throw gone(this);
            }
            return f;
        }

        @Nullable Path fileQuietly() {
            try {
                return file();
            } catch (Refusal e) {
                return null;
            }
        }

        void discard() {
            if (upload != null) {
                deleteQuietly(upload);
            }
        }
    }

    /** The saved baseline: a result that outlives its recording. */
    private record Baseline(String id, ProfileResult result, Instant savedAt) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("savedAt", savedAt.toString());
            m.put("cpuSamples", result.cpuSamples());
            return m;
        }
    }

    /** A request refused with a given status; carries the JSON error code. Not thread-safe (an exception). */
    private static final class Refusal extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final int retryAfterSeconds;

        Refusal(int status, String error, String message) {
            this(status, error, message, 0);
        }

        Refusal(int status, String error, String message, int retryAfterSeconds) {
            super(message);
            this.status = status;
            this.error = error;
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
