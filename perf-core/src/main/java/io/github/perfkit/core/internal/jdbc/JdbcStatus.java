package io.github.perfkit.core.internal.jdbc;

import io.github.perfkit.core.jdbc.ConnectionUsage;
import io.github.perfkit.core.jdbc.NPlusOneFinding;
import io.github.perfkit.core.jdbc.StatementStats;
import io.github.perfkit.core.spi.StatusContributor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JDBC section of the hub's status: connections, top statements, N+1 findings. Thread-safe. */
public final class JdbcStatus implements StatusContributor {

    private static final int TOP = 20;
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final JdbcRecorder recorder;
    private final String name;

    /** @param recorder the data source's bookkeeping */
    public JdbcStatus(JdbcRecorder recorder) {
        this.recorder = recorder;
        this.name = "jdbc." + recorder.config().name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        ConnectionUsage c = recorder.connections();
        Map<String, Object> connections = new LinkedHashMap<>();
        connections.put("open", c.open());
        connections.put("maxOpen", c.maxOpen());
        connections.put("acquired", c.acquired());
        connections.put("failed", c.failed());
        connections.put("meanWaitMs", c.meanWaitNanos() / NANOS_PER_MILLI);
        connections.put("maxWaitMs", c.maxWaitNanos() / NANOS_PER_MILLI);
        out.put("connections", connections);
        List<Map<String, Object>> statements = new ArrayList<>();
        for (StatementStats s : recorder.statements(TOP)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", s.shape());
            m.put("executions", s.executions());
            m.put("errors", s.errors());
            m.put("totalMs", s.totalNanos() / NANOS_PER_MILLI);
            m.put("meanMs", s.meanNanos() / NANOS_PER_MILLI);
            m.put("p95Ms", s.p95Nanos() / NANOS_PER_MILLI);
            m.put("slow", s.slowExecutions());
            m.put("maxRequestShare", s.maxRequestShare());
            m.put("rows", s.rows());
            m.put("indexHints", s.indexHints());
            statements.add(m);
        }
        out.put("statements", statements);
        List<Map<String, Object>> findings = new ArrayList<>();
        for (NPlusOneFinding f : recorder.findings()) {
            if (findings.size() == TOP) {
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", f.shape());
            m.put("endpoint", f.endpoint());
            m.put("callSite", f.callSite());
            m.put("maxPerRequest", f.maxPerRequest());
            m.put("requests", f.requests());
            m.put("lastSeen", f.lastSeen().toString());
            findings.add(m);
        }
        out.put("nPlusOne", findings);
        out.put("monitorFailures", recorder.failures());
        return out;
    }
}
