package io.github.perfkit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.example.shop.OrderRepository;
import io.github.perfkit.core.Scope;
import io.github.perfkit.core.findings.Finding;
import io.github.perfkit.core.findings.FindingCategory;
import io.github.perfkit.core.jdbc.JdbcConfig;
import io.github.perfkit.core.jdbc.PerfDataSource;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jdk.jfr.Recording;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profiling and diagnosis endpoints over real sockets, against real recordings, a real deadlock and H2. */
class DiagnosticsEndpointsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(PerfFilterConfig.ofDefaults(), PerfEndpointsConfig.ofDefaults());
        HttpResponse<String> r = server.get("/perf/api/csrf");
        assertThat(r.statusCode()).isEqualTo(200);
        token = JSON.readTree(r.body()).get("token").asText();
        assertThat(token).hasSizeGreaterThan(30);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
        b.header("X-Perfkit-CSRF", token);
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return server.client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> upload(byte[] body, String contentType) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/perf/api/profiling/upload"))
                .timeout(Duration.ofSeconds(60)).header("X-Perfkit-CSRF", token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return server.client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(
                "application/json"));
        return JSON.readTree(r.body());
    }

    private static List<String> frames(JsonNode functions) {
        List<String> out = new ArrayList<>();
        functions.forEach(f -> out.add(f.get("frame").asText()));
        return out;
    }

    @Test
    void recordingOfABurningMethodNamesItAndRefusesASecondRecording() throws Exception {
        try (Burner burner = new Burner()) {
            JsonNode started = json(post("/perf/api/profiling/recordings?duration=2s&settings=cpu"), 202);
            String id = started.get("id").asText();
            assertThat(started.get("done").asBoolean()).isFalse();

            HttpResponse<String> second = post("/perf/api/profiling/recordings?duration=5s&settings=all");
            JsonNode conflict = json(second, 409);
            assertThat(conflict.get("message").asText()).contains("already running", "id " + id);
            json(server.get("/perf/api/profiling/analysis?id=" + id), 409);
            assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("running").get("id").asText())
                    .isEqualTo(id);

            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    json(server.get("/perf/api/profiling/recordings"), 200).get("running").isNull());
        }
        JsonNode status = json(server.get("/perf/api/profiling/recordings"), 200);
        String id = status.get("recordings").get(0).get("id").asText();
        assertThat(status.get("recordings").get(0).get("fileBytes").asLong()).isPositive();

        JsonNode analysis = json(server.get("/perf/api/profiling/analysis?id=" + id), 200);
        assertThat(analysis.get("cpuSamples").asLong()).isPositive();
        assertThat(frames(analysis.get("topFunctions")).subList(0, Math.min(3, analysis.get("topFunctions").size())))
                .as("the burning method leads the top functions").anyMatch(f -> f.endsWith("Burner.burnCpu"));
        assertThat(frames(analysis.get("hotspots"))).anyMatch(f -> f.endsWith("Burner.burnCpu"));
        // Without an id: the last finished recording.
        assertThat(json(server.get("/perf/api/profiling/analysis?top=1"), 200).get("topFunctions")).hasSize(1);

        HttpResponse<String> collapsed = server.get("/perf/api/profiling/collapsed?id=" + id);
        assertThat(collapsed.statusCode()).isEqualTo(200);
        assertThat(collapsed.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain"));
        assertThat(collapsed.body().lines()).anyMatch(l -> l.matches(".*Burner\\.run;.*Burner\\.burnCpu \\d+"));

        HttpResponse<byte[]> download = server.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port + "/perf/api/profiling/recordings/download?id=" + id)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d)
                .startsWith("attachment"));
        assertThat(new String(download.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
    }

    @Test
    void theContinuousRecordingsRecentPastIsDumpedAndAnalysed() throws Exception {
        json(post("/perf/api/profiling/continuous/dump"), 409);
        json(post("/perf/api/profiling/continuous"), 400);
        json(post("/perf/api/profiling/continuous?action=pause"), 400);
        try {
            assertThat(json(post("/perf/api/profiling/continuous?action=start"), 200).get("continuous").asBoolean())
                    .isTrue();
            assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("continuous").asBoolean()).isTrue();
            try (Burner burner = new Burner()) {
                Awaitility.await().pollDelay(Duration.ofMillis(2000)).until(() -> true);
            }
            JsonNode dump = json(post("/perf/api/profiling/continuous/dump"), 201);
            String id = dump.get("id").asText();
            assertThat(id).startsWith("c");
            assertThat(dump.get("source").asText()).isEqualTo("continuous");
            JsonNode analysis = json(server.get("/perf/api/profiling/analysis?id=" + id), 200);
            assertThat(frames(analysis.get("topFunctions"))).anyMatch(f -> f.endsWith("Burner.burnCpu"));
        } finally {
            assertThat(json(post("/perf/api/profiling/continuous?action=stop"), 200).get("continuous").asBoolean())
                    .isFalse();
        }
    }

    @Test
    void stopEndsTheRunningRecordingAndASecondStopIsAConflict() throws Exception {
        JsonNode started = json(post("/perf/api/profiling/recordings?duration=60s&settings=all"), 202);
        JsonNode stopped = json(post("/perf/api/profiling/recordings/stop"), 200);
        assertThat(stopped.get("id").asText()).isEqualTo(started.get("id").asText());
        assertThat(stopped.get("done").asBoolean()).isTrue();
        assertThat(json(post("/perf/api/profiling/recordings/stop"), 409).get("message").asText())
                .contains("no profile recording is running");
        json(server.get("/perf/api/profiling/analysis?id=" + started.get("id").asText()), 200);
    }

    @Test
    void postsWithoutTheCsrfTokenOrFromAnotherSiteAreRefused() throws Exception {
        int before = json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size();
        HttpResponse<String> none = server.send("POST", "/perf/api/profiling/recordings?duration=2s", "");
        assertThat(json(none, 403).get("error").asText()).isEqualTo("csrf");
        json(post("/perf/api/profiling/recordings?duration=2s", "X-Perfkit-CSRF", "wrong"), 403);
        json(post("/perf/api/profiling/recordings?duration=2s", "Origin", "http://evil.example"), 403);
        json(post("/perf/api/profiling/recordings?duration=2s", "Sec-Fetch-Site", "cross-site"), 403);
        json(post("/perf/api/diagnostics/heap", "Origin", "null"), 403);
        assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size())
                .as("no refused POST started a recording").isEqualTo(before);
        // A same-origin browser request with the token passes.
        JsonNode ok = json(post("/perf/api/diagnostics/heap", "Origin", "http://127.0.0.1:" + server.port,
                "Sec-Fetch-Site", "same-origin"), 201);
        assertThat(ok.get("snapshot").asInt()).isPositive();
    }

    @Test
    void badParametersAre400AndWrongMethods405() throws Exception {
        for (String q : List.of("duration=0s", "duration=abc", "duration=2h", "duration=500ms", "settings=bogus",
                "unknown=1")) {
            JsonNode e = json(post("/perf/api/profiling/recordings?" + q), 400);
            assertThat(e.get("message").asText()).isNotBlank();
            assertThat(e.get("parameter").asText()).isIn("duration", "settings", "unknown");
        }
        json(server.get("/perf/api/profiling/analysis?top=0"), 400);
        json(server.get("/perf/api/profiling/analysis?id=%3Cscript%3E"), 400);
        json(server.get("/perf/api/profiling/analysis?id=nope"), 404);
        json(server.get("/perf/api/profiling/compare?threshold=2"), 400);
        json(server.get("/perf/api/findings?category=bogus"), 400);
        json(server.get("/perf/api/diagnostics/threads?depth=-1"), 400);
        json(server.get("/perf/api/diagnostics/heap/diff?from=x"), 400);
        HttpResponse<String> getStop = server.get("/perf/api/profiling/recordings/stop");
        assertThat(getStop.statusCode()).isEqualTo(405);
        assertThat(getStop.headers().firstValue("Allow")).contains("POST");
        assertThat(server.send("PUT", "/perf/api/findings", "").statusCode()).isEqualTo(405);
        assertThat(server.send("DELETE", "/perf/api/profiling/recordings", "").statusCode()).isEqualTo(405);
    }

    @Test
    void uploadAcceptsOnlyJfrWithinTheCapAndAnalysesIt() throws Exception {
        json(upload("this is not a flight recording".getBytes(StandardCharsets.UTF_8), "application/octet-stream"),
                400);
        byte[] fakeHeader = new byte[4096];
        System.arraycopy(new byte[] {'F', 'L', 'R', 0}, 0, fakeHeader, 0, 4);
        assertThat(json(upload(fakeHeader, "application/octet-stream"), 400).get("message").asText())
                .contains("not a readable JFR recording");
        json(upload("a=b".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded"), 415);

        // A declared length above the cap is refused before any byte of the body is read.
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /perf/api/profiling/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Perfkit-CSRF: " + token
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000000\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
        // A streamed (chunked) body is cut at the cap: 64 MiB + 1 byte of a JFR-looking body.
        int entriesBefore = json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size();
        long cap = 64L * 1024 * 1024;
        HttpRequest big = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port
                + "/perf/api/profiling/upload")).timeout(Duration.ofSeconds(60)).header("X-Perfkit-CSRF", token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    private long n;

                    @Override
                    public int read() {
                        long i = n++;
                        if (i > cap) {
                            return -1;
                        }
                        return i < 4 ? "FLR\0".charAt((int) i) : 0;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (n > cap) {
                            return -1;
                        }
                        int k = (int) Math.min(len, cap + 1 - n);
                        for (int j = 0; j < k; j++) {
                            b[off + j] = (byte) read();
                        }
                        return k;
                    }
                })).build();
        HttpResponse<String> tooBig;
        try {
            tooBig = server.client.send(big, HttpResponse.BodyHandlers.ofString());
            assertThat(tooBig.statusCode()).isEqualTo(413);
        } catch (java.io.IOException e) {
            // The server may answer 413 and close before the client has sent everything: also a refusal,
            // as long as nothing was kept (checked below).
            assertThat(e).isNotNull();
        }
        assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size())
                .as("no refused upload is listed").isEqualTo(entriesBefore);

        // A real recording made elsewhere (plain jdk.jfr in this JVM) is analysed.
        Path file = Files.createTempFile("perfkit-it-", ".jfr");
        try (Burner burner = new Burner(); Recording rec = new Recording()) {
            rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            rec.start();
            Awaitility.await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
            rec.stop();
            rec.dump(file);
        }
        try {
            JsonNode uploaded = json(upload(Files.readAllBytes(file), "application/octet-stream"), 201);
            String id = uploaded.get("id").asText();
            assertThat(id).startsWith("u");
            assertThat(uploaded.get("source").asText()).isEqualTo("upload");
            JsonNode analysis = json(server.get("/perf/api/profiling/analysis?id=" + id), 200);
            assertThat(frames(analysis.get("topFunctions"))).anyMatch(f -> f.endsWith("Burner.burnCpu"));

            // Baseline and comparison: the same profile against itself has no regression.
            json(post("/perf/api/profiling/baseline?id=" + id), 200);
            assertThat(json(server.get("/perf/api/profiling/baseline"), 200).get("baseline").get("id").asText())
                    .isEqualTo(id);
            JsonNode same = json(server.get("/perf/api/profiling/compare?id=" + id + "&threshold=0.05"), 200);
            assertThat(same.get("hasChanges").asBoolean()).isFalse();
            assertThat(same.get("cpuSamplesDelta").asLong()).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void onlyTheMostRecentAnalysesStayInMemoryAndOlderOnesAreMadeAgain() throws Exception {
        Path file = Files.createTempFile("perfkit-it-", ".jfr");
        try {
            try (Burner burner = new Burner(); Recording rec = new Recording()) {
                rec.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
                rec.start();
                Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
                rec.stop();
                rec.dump(file);
            }
            byte[] bytes = Files.readAllBytes(file);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= 4; i++) {
                ids.add(json(upload(bytes, "application/octet-stream"), 201).get("id").asText());
            }
            JsonNode list = json(server.get("/perf/api/profiling/recordings"), 200).get("recordings");
            long analysed = 0;
            for (JsonNode e : list) {
                if (e.get("analysed").asBoolean()) {
                    analysed++;
                }
                if (e.get("id").asText().equals(ids.get(0))) {
                    assertThat(e.get("analysed").asBoolean()).as("the oldest of five uploads").isFalse();
                }
            }
            assertThat(analysed).isLessThanOrEqualTo(4);
            JsonNode again = json(server.get("/perf/api/profiling/analysis?id=" + ids.get(0)), 200);
            assertThat(again.get("cpuSamples").asLong()).isEqualTo(
                    json(server.get("/perf/api/profiling/analysis?id=" + ids.get(4)), 200).get("cpuSamples").asLong());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void findingsCarryEvidenceRecommendationAndCulprit() throws Exception {
        Instant now = Instant.now();
        server.perf.diagnosis().report(new Finding(Finding.idOf(FindingCategory.CPU_HOTSPOT, "com.shop.Pricing.total",
                null), FindingCategory.CPU_HOTSPOT, "com.shop.Pricing.total", "GET /cart",
                Map.of("selfShare", 0.42, "baselineShare", 0.05, "windows", 3),
                List.of("com.shop.Pricing.total", "com.shop.Cart.checkout"), now, now,
                "com.shop.Pricing.total takes 42 % of the CPU (5 % usually): look at its loop", true));
        JsonNode all = json(server.get("/perf/api/findings"), 200);
        JsonNode f = null;
        for (JsonNode n : all.get("findings")) {
            if (n.get("culprit").asText().equals("com.shop.Pricing.total")) {
                f = n;
            }
        }
        assertThat(f).isNotNull();
        assertThat(f.get("category").asText()).isEqualTo("cpu_hotspot");
        assertThat(f.get("evidence").get("selfShare").asDouble()).isEqualTo(0.42);
        assertThat(f.get("recommendation").asText()).contains("42 %");
        assertThat(f.get("sampleStack").get(1).asText()).isEqualTo("com.shop.Cart.checkout");
        assertThat(f.get("active").asBoolean()).isTrue();
        assertThat(json(server.get("/perf/api/findings?state=active&category=cpu_hotspot"), 200).get("findings"))
                .isNotEmpty();
        assertThat(json(server.get("/perf/api/findings?category=deadlock"), 200).get("findings").toString())
                .doesNotContain("Pricing");
    }

    @Test
    void aRealDeadlockIsReportedWithItsThreads() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread t1 = new Thread(() -> lockBoth(a, b, bothHold), "it-deadlock-one");
        Thread t2 = new Thread(() -> lockBoth(b, a, bothHold), "it-deadlock-two");
        t1.setDaemon(true);
        t2.setDaemon(true);
        t1.start();
        t2.start();
        try {
            assertThat(bothHold.await(10, TimeUnit.SECONDS)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(server.get("/perf/api/diagnostics/deadlocks"), 200).get("count").asInt() > 0);
            JsonNode d = json(server.get("/perf/api/diagnostics/deadlocks"), 200).get("deadlocks").get(0);
            List<String> names = new ArrayList<>();
            d.get("threads").forEach(t -> names.add(t.get("name").asText()));
            assertThat(names).contains("it-deadlock-one", "it-deadlock-two");
            assertThat(d.get("description").asText()).contains("it-deadlock-one");

            JsonNode dump = json(server.get("/perf/api/diagnostics/threads?depth=8"), 200);
            assertThat(dump.get("threadCount").asInt()).isGreaterThan(2);
            assertThat(dump.get("byState").get("waiting").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(dump.get("byNamePrefix").has("it-deadlock-one")).isTrue();
            assertThat(dump.get("deadlocks")).isNotEmpty();
            assertThat(dump.get("waitChains").toString()).contains("it-deadlock-");
            JsonNode waiting = json(server.get("/perf/api/diagnostics/threads?state=waiting&limit=5000"), 200);
            waiting.get("threads").forEach(t -> assertThat(t.get("state").asText()).isEqualTo("waiting"));
        } finally {
            t1.interrupt();
            t2.interrupt();
            t1.join(5_000);
            t2.join(5_000);
        }
        assertThat(json(server.get("/perf/api/diagnostics/deadlocks"), 200).get("count").asInt()).isZero();
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        try {
            first.lockInterruptibly();
            try {
                bothHold.countDown();
                bothHold.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Instances retained between two heap snapshots: the diff must name this class. */
    static final class RetainedBetweenSnapshots {
        final long value;

        RetainedBetweenSnapshots(long value) {
            this.value = value;
        }
    }

    @Test
    void heapSnapshotsAndTheirDiffNameTheGrowingClass() throws Exception {
        JsonNode first = json(post("/perf/api/diagnostics/heap"), 201);
        assertThat(first.get("classes")).isNotEmpty();
        List<RetainedBetweenSnapshots> retained = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            retained.add(new RetainedBetweenSnapshots(i));
        }
        JsonNode second = json(post("/perf/api/diagnostics/heap"), 201);
        assertThat(second.get("snapshot").asInt()).isEqualTo(first.get("snapshot").asInt() + 1);
        JsonNode diff = json(server.get("/perf/api/diagnostics/heap/diff?top=200"), 200);
        assertThat(diff.get("to").asInt()).isEqualTo(second.get("snapshot").asInt());
        JsonNode suspect = null;
        for (JsonNode s : diff.get("suspects")) {
            if (s.get("className").asText().endsWith("RetainedBetweenSnapshots")) {
                suspect = s;
            }
        }
        assertThat(suspect).as(diff.toString()).isNotNull();
        assertThat(suspect.get("instancesDelta").asLong()).isGreaterThanOrEqualTo(200_000);
        assertThat(retained).hasSize(200_000);
        JsonNode heap = json(server.get("/perf/api/diagnostics/heap?top=5"), 200);
        assertThat(heap.get("latest").get("classes")).hasSize(5);
        json(server.get("/perf/api/diagnostics/heap/diff?from=" + second.get("snapshot").asInt()), 400);
    }

    @Test
    void jdbcStatementsShowShapesTimingsAndNPlusOneFlags() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:perfkit-servlet-it;DB_CLOSE_DELAY=-1");
        try (Connection keep = h2.getConnection()) {
            try (Statement s = keep.createStatement()) {
                s.execute("create table customers (id int primary key, name varchar(64))");
                s.execute("create table orders (id int primary key, customer_id int, total int)");
                for (int c = 1; c <= 12; c++) {
                    s.execute("insert into customers values (" + c + ", 'c" + c + "')");
                    s.execute("insert into orders values (" + c + ", " + c + ", 10)");
                }
            }
            PerfDataSource ds = PerfDataSource.wrap(h2, server.perf, JdbcConfig.builder().name("Shop DB")
                    .nPlusOneThreshold(5).build());
            server.perf.register(ds.statusContributor());
            try {
                server.perf.profiler().setSamplingRate(1.0);
                try (Scope request = server.perf.profiler().request("GET /customers")) {
                    assertThat(OrderRepository.totalsOneByOne(ds)).isEqualTo(120);
                }
                JsonNode jdbc = json(server.get("/perf/api/jdbc"), 200);
                JsonNode source = jdbc.get("dataSources").get(0);
                assertThat(source.get("name").asText()).isEqualTo("shop_db");
                JsonNode loop = null;
                JsonNode list = null;
                for (JsonNode st : source.get("statements")) {
                    if (st.get("shape").asText().equals("select total from orders where customer_id = ?")) {
                        loop = st;
                    } else if (st.get("shape").asText().startsWith("select id from customers")) {
                        list = st;
                    }
                }
                assertThat(loop).as(source.toString()).isNotNull();
                assertThat(loop.get("executions").asLong()).isEqualTo(12);
                assertThat(loop.get("nPlusOne").asBoolean()).isTrue();
                assertThat(loop.get("meanMs").asDouble()).isPositive();
                assertThat(loop.has("p95Ms")).isTrue();
                assertThat(list).isNotNull();
                assertThat(list.get("nPlusOne").asBoolean()).isFalse();
                assertThat(source.get("nPlusOne").get(0).get("callSite").asText())
                        .contains("com.example.shop.OrderRepository.totalsOneByOne");
                assertThat(jdbc.get("findings").toString()).contains("n_plus_one", "GET /customers");
            } finally {
                server.perf.unregister(ds.statusContributor().name());
                try (Statement s = keep.createStatement()) {
                    s.execute("drop all objects");
                }
            }
        }
    }

    private static final String[] HOSTILE = {
        "", " ", "-1", "0", "9223372036854775807", "99999999999999999999", "1e308", "NaN", "-5m", "0s", "0.05",
        "1.5", "0x10", "../../../../etc/passwd", "..%2F..%2Fetc", "<script>alert(1)</script>", "\"'><img src=x>",
        "ünïcödé", "\uD83D\uDE00", "\u0000", "\r\nX-Injected: 1", "%00", "%", "%zz", "u1", "1", "2", "all", "cpu",
        "active", "deadlock", "waiting", "x".repeat(3000), "'; DROP TABLE x;--", "\\", "/", "null", "[]", "{}",
    };
    private static final Map<String, List<String>> GETS = Map.of(
            "/perf/api/profiling/recordings", List.of(),
            "/perf/api/profiling/recordings/download", List.of("id"),
            "/perf/api/profiling/analysis", List.of("id", "top"),
            "/perf/api/profiling/collapsed", List.of("id"),
            "/perf/api/profiling/compare", List.of("id", "threshold"),
            "/perf/api/findings", List.of("state", "category", "limit"),
            "/perf/api/diagnostics/threads", List.of("depth", "limit", "state"),
            "/perf/api/diagnostics/heap", List.of("top"),
            "/perf/api/diagnostics/heap/diff", List.of("from", "to", "top"),
            "/perf/api/jdbc", List.of());

    @Test
    void hostileParametersNeverCause5xx() throws Exception {
        java.util.Random random = new java.util.Random(11);
        List<String> paths = new ArrayList<>(new java.util.TreeSet<>(GETS.keySet()));
        int rejected = 0;
        for (int i = 0; i < 500; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            List<String> names = GETS.get(path);
            StringBuilder q = new StringBuilder();
            for (int p = random.nextInt(4); p > 0; p--) {
                String name = names.isEmpty() || random.nextInt(6) == 0 ? "x" + random.nextInt(3)
                        : names.get(random.nextInt(names.size()));
                q.append(q.length() == 0 ? '?' : '&').append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(java.net.URLEncoder.encode(HOSTILE[random.nextInt(HOSTILE.length)],
                                StandardCharsets.UTF_8));
            }
            HttpResponse<String> r = server.get(path + q);
            assertThat(r.statusCode()).as(path + q).isLessThan(500);
            if (r.statusCode() == 400) {
                rejected++;
                assertThat(JSON.readTree(r.body()).get("message").asText()).as(path + q).isNotBlank();
            }
        }
        // POSTs with the token: an invalid duration always comes along, so no recording starts.
        for (int i = 0; i < 100; i++) {
            String v = HOSTILE[random.nextInt(HOSTILE.length)];
            String settings = java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
            HttpResponse<String> r = post("/perf/api/profiling/recordings?duration=" + (random.nextBoolean() ? "0s" : "9h")
                    + "&settings=" + settings);
            assertThat(r.statusCode()).as(v).isEqualTo(400);
            HttpResponse<String> b = post("/perf/api/profiling/baseline?id=" + settings);
            assertThat(b.statusCode()).as(v).isIn(200, 400, 404, 409, 410);
        }
        assertThat(rejected).isGreaterThan(50);
        assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("running").isNull()).isTrue();
    }

    @Test
    void getsNeverChangeState() throws Exception {
        int recordings = json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size();
        int snapshots = json(server.get("/perf/api/diagnostics/heap"), 200).get("snapshots").size();
        for (String path : List.of("/perf/api/profiling/recordings?duration=2s", "/perf/api/diagnostics/heap",
                "/perf/api/profiling/baseline?id=1")) {
            assertThat(server.get(path).statusCode()).isIn(200, 400);
        }
        assertThat(json(server.get("/perf/api/profiling/recordings"), 200).get("recordings").size())
                .isEqualTo(recordings);
        assertThat(json(server.get("/perf/api/diagnostics/heap"), 200).get("snapshots").size()).isEqualTo(snapshots);
        // HEAD of a JSON endpoint: headers, no body.
        HttpResponse<String> head = server.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port + "/perf/api/findings")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }
}
