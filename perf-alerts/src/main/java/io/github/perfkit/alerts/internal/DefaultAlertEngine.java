package io.github.perfkit.alerts.internal;

import io.github.perfkit.alerts.AlertEngine;
import io.github.perfkit.alerts.AlertEvent;
import io.github.perfkit.alerts.AlertLevel;
import io.github.perfkit.alerts.AlertNotification;
import io.github.perfkit.alerts.AlertRule;
import io.github.perfkit.alerts.AlertState;
import io.github.perfkit.alerts.AlertStore;
import io.github.perfkit.alerts.Comparison;
import io.github.perfkit.alerts.Escalation;
import io.github.perfkit.alerts.Finding;
import io.github.perfkit.alerts.MetricNames;
import io.github.perfkit.alerts.Notifier;
import io.github.perfkit.alerts.RuleContext;
import io.github.perfkit.alerts.Silence;
import io.github.perfkit.alerts.ThresholdRule;
import io.github.perfkit.core.history.HistoryQuery;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.history.TimeSeries;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine. Thread-safe: evaluation and all state changes are guarded by {@code this}.
 */
public final class DefaultAlertEngine implements AlertEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultAlertEngine.class);
    private static final int MAX_STATUS_ALERTS = 50;
    private static final int MAX_STATUS_RECENT = 20;
    private static final int MAX_STATUS_SILENCES = 50;

    /**
     * Settings from the builder.
     *
     * @param history history
     * @param clock clock
     * @param registry registry or null
     * @param rules rules
     * @param notifiers notifiers
     * @param repeatInterval repeat interval
     * @param flapWindow flap window
     * @param flapThreshold flap threshold
     * @param historySize history size
     * @param maxActiveAlerts active cap
     * @param maxSilences silence cap
     * @param queueCapacity queue capacity
     * @param maxAttempts attempts
     * @param initialBackoff first backoff
     * @param maxBackoff backoff cap
     * @param onClose run once on close (e.g. unregister the status contributor), or null
     * @param store shared store, or null
     */
    public record Settings(MetricsHistory history, Clock clock, @Nullable MeterRegistry registry,
                           List<AlertRule> rules, List<Notifier> notifiers, Duration repeatInterval,
                           Duration flapWindow, int flapThreshold, int historySize, int maxActiveAlerts,
                           int maxSilences, int queueCapacity, int maxAttempts, Duration initialBackoff,
                           Duration maxBackoff, @Nullable Runnable onClose,
                           @Nullable AlertStore store) {
        /** Copies the lists. */
        public Settings {
            rules = List.copyOf(rules);
            notifiers = List.copyOf(notifiers);
        }
    }

    /** Per-rule state: its alerts by subject and, for threshold rules, the shared group it reads. */
    private static final class RuleState {
        final AlertRule rule;
        final @Nullable ThresholdRule threshold;
        final @Nullable ThresholdGroup group;
        final Map<String, Active> bySubject = new HashMap<>();
        long failedAt = -1;

        RuleState(AlertRule rule, @Nullable ThresholdGroup group) {
            this.rule = rule;
            this.threshold = group == null ? null : (ThresholdRule) rule;
            this.group = group;
        }
    }

    /** Mutable state of one active alert (guarded by the engine). */
    private static final class Active {
        final String id;
        final RuleState st;
        final AlertRule rule;
        final String subject;
        final String key;
        final long startedAt;
        AlertState state = AlertState.PENDING;
        AlertLevel level;
        long firingAt = -1;
        long lastNotifiedAt = Long.MIN_VALUE;
        boolean notified;
        /** Whether its last notification was held back by a silence or inhibition. */
        boolean held;
        int consecutive;
        @Nullable String acknowledgedBy;
        /** The evaluation that last saw the condition hold. */
        long seen = -1;
        /** The latest finding; for threshold rules it is rebuilt lazily from {@link #value} when stale. */
        private Finding finding;
        double value;
        boolean stale;
        @Nullable ThresholdGroup group;
        int index;

        Active(String id, RuleState st, Finding finding, long now, String key) {
            this.id = id;
            this.st = st;
            this.rule = st.rule;
            this.subject = finding.subject();
            this.key = key;
            this.finding = finding;
            this.value = finding.value();
            this.startedAt = now;
            this.level = rule.level();
        }

        Finding finding() {
            ThresholdRule t = st.threshold;
            if (stale && t != null) {
                ThresholdGroup g = group;
                finding = g != null && g.evaluation() == seen ? g.finding(t, index)
                        : new Finding(subject, finding.labels(), true, value, ThresholdGroup.describe(t, subject, value),
                        finding.points());
                stale = false;
            }
            return finding;
        }

        void update(Finding f) {
            finding = f;
            value = f.value();
            stale = false;
            group = null;
        }
    }

    /** Firing starts of one rule + subject within the flap window. */
    private static final class Flap {
        final ArrayDeque<Long> starts = new ArrayDeque<>();
        boolean flapping;
    }

    private final Settings s;
    private final List<Dispatcher> dispatchers;
    private final Map<String, Active> active = new LinkedHashMap<>();
    private final List<RuleState> states;
    private final Map<String, RuleState> stateByName;
    /** Events of the running evaluation; reused so the no-change path allocates no list. */
    private final ArrayList<AlertEvent> candidates = new ArrayList<>();
    private long evaluation;
    /** Active findings of nested rules (composite children): previous and current evaluation. */
    private Set<String> nestedPrevious = new HashSet<>();
    private Set<String> nestedCurrent = new HashSet<>();
    /** Set when a silence ends or a CRITICAL alert resolves; held alerts are re-offered next evaluation. */
    private final java.util.concurrent.atomic.AtomicBoolean heldChanged = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean recheckHeld;
    private final Map<String, Flap> flaps;
    private final ArrayDeque<AlertEvent> history = new ArrayDeque<>();
    private final Map<String, Silence> silences = new ConcurrentHashMap<>();
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong ruleErrors = new AtomicLong();
    private final AtomicLong alertsDropped = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong silenceIds = new AtomicLong();
    private final Set<String> ruleErrorLogged = ConcurrentHashMap.newKeySet();
    private final StatusContributor status;
    private long nextId;
    private @Nullable ScheduledExecutorService scheduler;
    private boolean closed;

    /**
     * @param settings the settings
     */
    public DefaultAlertEngine(Settings settings) {
        this.s = settings;
        List<Dispatcher> d = new ArrayList<>();
        for (Notifier n : settings.notifiers()) {
            d.add(new Dispatcher(n, settings.queueCapacity(), settings.maxAttempts(), settings.initialBackoff(),
                    settings.maxBackoff()));
        }
        this.dispatchers = List.copyOf(d);
        // threshold rules asking the same question (metric, tags, window, aggregation) share one group
        Map<ThresholdGroup.Key, ThresholdGroup> groups = new HashMap<>();
        List<RuleState> st = new ArrayList<>(settings.rules().size());
        Map<String, RuleState> byName = new HashMap<>();
        for (AlertRule r : settings.rules()) {
            ThresholdGroup g = r instanceof ThresholdRule t ? groups.computeIfAbsent(ThresholdGroup.Key.of(t),
                    ThresholdGroup::new) : null;
            RuleState rs = new RuleState(r, g);
            st.add(rs);
            byName.put(r.name(), rs);
        }
        this.states = List.copyOf(st);
        this.stateByName = Map.copyOf(byName);
        int cap = settings.maxActiveAlerts();
        this.flaps = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Flap> eldest) {
                return size() > cap;
            }
        };
        this.status = new Section();
        if (settings.registry() != null) {
            bindMeters(settings.registry());
        }
    }

    private void bindMeters(MeterRegistry r) {
        FunctionCounter.builder(MetricNames.EVALUATIONS, evaluations, AtomicLong::get).register(r);
        FunctionCounter.builder(MetricNames.RULE_ERRORS, ruleErrors, AtomicLong::get).register(r);
        for (AlertLevel level : AlertLevel.values()) {
            Gauge.builder(MetricNames.ACTIVE, this, e -> e.countActive(level))
                    .tag("level", level.name().toLowerCase(Locale.ROOT)).register(r);
        }
        for (Dispatcher d : dispatchers) {
            Tags t = Tags.of("notifier", d.notifier().name());
            FunctionCounter.builder(MetricNames.NOTIFICATIONS_SENT, d, Dispatcher::sent).tags(t).register(r);
            FunctionCounter.builder(MetricNames.NOTIFICATIONS_FAILED, d, Dispatcher::failed).tags(t).register(r);
            FunctionCounter.builder(MetricNames.NOTIFICATIONS_DROPPED, d, Dispatcher::dropped).tags(t).register(r);
        }
    }

    private synchronized double countActive(AlertLevel level) {
        int n = 0;
        for (Active a : active.values()) {
            if (a.level == level) {
                n++;
            }
        }
        return n;
    }

    @Override
    public List<AlertRule> rules() {
        return s.rules();
    }

    @Override
    public synchronized void evaluate() {
        if (closed) {
            return;
        }
        long now = s.clock().wallTime();
        long ev = ++evaluation;
        evaluations.incrementAndGet();
        boolean expired = !silences.isEmpty() && silences.values().removeIf(x -> x.endsAt().toEpochMilli() <= now);
        recheckHeld = heldChanged.getAndSet(false) || expired;
        Context ctx = new Context(now);
        candidates.clear();
        for (RuleState st : states) {
            try {
                if (st.group != null) {
                    evaluateThreshold(st, ctx, now, ev);
                } else {
                    evaluateRule(st, ctx, now, ev);
                }
            } catch (RuntimeException | LinkageError e) {
                // a broken rule must not stop the others nor reach the host
                ruleErrors.incrementAndGet();
                st.failedAt = ev;
                if (ruleErrorLogged.add(st.rule.name())) {
                    LOG.warn("alert rule '{}' failed; its alerts keep their state (logged once per rule)",
                            st.rule.name(), e);
                }
            }
        }
        rollNested(ev);
        for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
            Active a = it.next();
            if (a.seen == ev || a.st.failedAt == ev) {
                continue;
            }
            it.remove();
            a.st.bySubject.remove(a.subject);
            if (a.state == AlertState.FIRING && a.level == AlertLevel.CRITICAL) {
                heldChanged.set(true); // the alerts it inhibited are offered again next evaluation
            }
            if (a.state == AlertState.FIRING) {
                AlertEvent e = event(a, AlertEvent.Kind.RESOLVED, AlertState.RESOLVED, AlertLevel.INFO, now);
                record(e);
                Flap flap = flaps.get(a.key);
                if (!a.notified || (flap != null && flap.flapping)) {
                    if (a.notified) {
                        suppressed.incrementAndGet();
                    }
                } else {
                    candidates.add(e);
                }
            }
        }
        if (!candidates.isEmpty()) {
            List<AlertEvent> events = filter(new ArrayList<>(candidates));
            candidates.clear();
            dispatch(events, now);
        }
    }

    /**
     * The fast path of threshold rules: the group's values are computed once per evaluation for every
     * rule sharing them; a rule then only compares primitives and, for a series with no alert, touches
     * no map entry, allocates nothing and logs nothing.
     */
    private void evaluateThreshold(RuleState st, Context ctx, long now, long ev) {
        ThresholdGroup g = st.group;
        ThresholdRule r = st.threshold;
        g.compute(ctx, ev);
        Comparison cmp = r.comparison();
        double fire = r.threshold();
        double resolve = r.resolveThreshold();
        Map<String, Active> by = st.bySubject;
        for (int i = 0, n = g.size(); i < n; i++) {
            double v = g.value(i);
            Active a = by.isEmpty() ? null : by.get(g.subject(i));
            if (!cmp.test(v, a == null ? fire : resolve)) {
                continue;
            }
            if (a == null) {
                a = open(st, g.finding(r, i), now);
                if (a == null) {
                    continue;
                }
            } else if (a.seen == ev) {
                continue;
            } else {
                a.value = v;
                a.stale = true;
            }
            a.group = g;
            a.index = i;
            advance(a, now, ev);
        }
    }

    private void evaluateRule(RuleState st, Context ctx, long now, long ev) {
        for (Finding f : st.rule.evaluate(ctx)) {
            if (!f.active()) {
                continue;
            }
            Active a = st.bySubject.get(f.subject());
            if (a == null) {
                a = open(st, f, now);
                if (a == null) {
                    continue;
                }
            } else if (a.seen == ev) {
                continue;
            } else {
                a.update(f);
            }
            advance(a, now, ev);
        }
    }

    /** The nested findings of this evaluation become the previous ones; a failed rule keeps its old ones. */
    private void rollNested(long ev) {
        if (nestedPrevious.isEmpty() && nestedCurrent.isEmpty()) {
            return;
        }
        for (String k : nestedPrevious) {
            int end = k.indexOf('\u0000');
            int slash = k.indexOf('\u0001');
            String root = k.substring(0, slash >= 0 && slash < end ? slash : end);
            RuleState st = stateByName.get(root);
            if (st != null && st.failedAt == ev && nestedCurrent.size() < s.maxActiveAlerts()) {
                nestedCurrent.add(k);
            }
        }
        Set<String> t = nestedPrevious;
        nestedPrevious = nestedCurrent;
        nestedCurrent = t;
        nestedCurrent.clear();
    }

    private @Nullable Active open(RuleState st, Finding f, long now) {
        if (active.size() >= s.maxActiveAlerts()) {
            alertsDropped.incrementAndGet();
            return null;
        }
        String key = key(st.rule.name(), f.subject());
        Active a = new Active("a" + Long.toString(++nextId, 36) + "-" + Long.toString(now, 36), st, f, now, key);
        active.put(key, a);
        st.bySubject.put(f.subject(), a);
        return a;
    }

    private void advance(Active a, long now, long evaluationNumber) {
        List<AlertEvent> out = candidates;
        AlertRule rule = a.rule;
        String key = a.key;
        a.seen = evaluationNumber;
        a.consecutive++;
        if (a.state == AlertState.PENDING) {
            if (now - a.startedAt >= rule.forDuration().toMillis()) {
                a.state = AlertState.FIRING;
                a.firingAt = now;
                AlertEvent ev = event(a, AlertEvent.Kind.FIRING, AlertState.FIRING, a.level, now);
                record(ev);
                Flap flap = flaps.computeIfAbsent(key, k -> new Flap());
                flap.starts.addLast(now);
                long horizon = now - s.flapWindow().toMillis();
                while (!flap.starts.isEmpty() && flap.starts.peekFirst() <= horizon) {
                    flap.starts.pollFirst();
                }
                boolean wasFlapping = flap.flapping;
                flap.flapping = flap.starts.size() > s.flapThreshold();
                if (flap.flapping && !wasFlapping) {
                    AlertEvent fl = event(a, AlertEvent.Kind.FLAPPING, AlertState.FIRING, a.level, now);
                    record(fl);
                    out.add(fl);
                } else if (flap.flapping) {
                    suppressed.incrementAndGet();
                } else {
                    out.add(ev);
                }
            } else if (a.consecutive == 1) {
                record(event(a, AlertEvent.Kind.PENDING, AlertState.PENDING, a.level, now));
            }
            return;
        }
        Escalation esc = rule.escalation();
        if (esc != null && a.consecutive >= esc.consecutiveFailures() && a.level.compareTo(esc.level()) < 0) {
            a.level = esc.level();
            AlertEvent ev = event(a, AlertEvent.Kind.ESCALATED, AlertState.FIRING, a.level, now);
            record(ev);
            if (a.acknowledgedBy == null) {
                out.add(ev);
            } else {
                suppressed.incrementAndGet();
            }
        } else if (a.notified && a.acknowledgedBy == null
                && now - a.lastNotifiedAt >= s.repeatInterval().toMillis()) {
            out.add(event(a, AlertEvent.Kind.REPEAT, AlertState.FIRING, a.level, now));
        } else if (recheckHeld && a.held && !a.notified && a.acknowledgedBy == null) {
            Flap flap = flaps.get(key);
            if (flap == null || !flap.flapping) {
                // held back by a silence or inhibition that may have ended: offer its firing notice again
                out.add(event(a, AlertEvent.Kind.FIRING, AlertState.FIRING, a.level, now));
            }
        }
    }

    /** Applies silences and inhibition; marks what is sent as notified. */
    private List<AlertEvent> filter(List<AlertEvent> candidates) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        Set<String> criticalSubjects = new HashSet<>();
        for (Active a : active.values()) {
            if (a.state == AlertState.FIRING && a.level == AlertLevel.CRITICAL) {
                criticalSubjects.add(a.subject);
            }
        }
        List<AlertEvent> out = new ArrayList<>(candidates.size());
        for (AlertEvent ev : candidates) {
            boolean inhibited = ev.kind() != AlertEvent.Kind.RESOLVED && ev.level().compareTo(AlertLevel.WARNING) <= 0
                    && criticalSubjects.contains(ev.subject());
            boolean silenced = false;
            for (Silence si : silences.values()) {
                if (si.matches(ev.labels())) {
                    silenced = true;
                    break;
                }
            }
            RuleState st = stateByName.get(ev.rule());
            Active a = st == null ? null : st.bySubject.get(ev.subject());
            boolean current = a != null && a.id.equals(ev.id());
            if (inhibited || silenced) {
                suppressed.incrementAndGet();
                if (current) {
                    // offered again when a silence ends or a CRITICAL alert resolves
                    a.held = true;
                }
                continue;
            }
            out.add(ev);
            if (current) {
                a.held = false;
                a.notified = true;
                a.lastNotifiedAt = ev.at().toEpochMilli();
            }
        }
        return out;
    }

    private void dispatch(List<AlertEvent> candidates, long now) {
        if (candidates.isEmpty()) {
            return;
        }
        Instant at = Instant.ofEpochMilli(now);
        AlertStore store = s.store();
        if (store == null) {
            offer(new AlertNotification(candidates, at));
            return;
        }
        // the claims run asynchronously: this thread never waits on the store; the notification goes out
        // when every claim is answered, or fails open after the store's claim timeout
        long timeoutMillis = Math.max(1, store.claimTimeout().toMillis());
        @SuppressWarnings("unchecked")
        CompletableFuture<Boolean>[] claims = new CompletableFuture[candidates.size()];
        for (int i = 0; i < claims.length; i++) {
            AlertEvent ev = candidates.get(i);
            CompletableFuture<Boolean> c;
            try {
                c = store.claimAsync(ev.rule() + '|' + ev.subject() + '|' + ev.kind() + '|' + ev.level(),
                        s.repeatInterval()).toCompletableFuture();
            } catch (RuntimeException e) {
                LOG.debug("alert store claim failed", e);
                c = CompletableFuture.completedFuture(true);
            }
            // fail open: a duplicate notification is better than none
            claims[i] = c.completeOnTimeout(true, timeoutMillis, TimeUnit.MILLISECONDS).exceptionally(e -> true);
        }
        CompletableFuture.allOf(claims).whenComplete((ignored, failure) -> {
            List<AlertEvent> mine = new ArrayList<>(claims.length);
            for (int i = 0; i < claims.length; i++) {
                if (Boolean.FALSE.equals(claims[i].getNow(true))) {
                    suppressed.incrementAndGet();
                } else {
                    mine.add(candidates.get(i));
                }
            }
            if (!mine.isEmpty()) {
                offer(new AlertNotification(mine, at));
            }
        });
    }

    private void offer(AlertNotification n) {
        for (Dispatcher d : dispatchers) {
            d.offer(n);
        }
    }

    private void record(AlertEvent ev) {
        AlertStore store = s.store();
        if (store != null) {
            try {
                store.append(ev);
            } catch (RuntimeException e) {
                LOG.debug("alert store append failed", e);
            }
        }
        history.addLast(ev);
        while (history.size() > s.historySize()) {
            history.pollFirst();
        }
    }

    private AlertEvent event(Active a, AlertEvent.Kind kind, AlertState state, AlertLevel level, long now) {
        Map<String, String> labels = new LinkedHashMap<>(a.finding().labels());
        labels.put("alertname", a.rule.name());
        labels.put("subject", a.subject);
        labels.put("level", level.name().toLowerCase(Locale.ROOT));
        labels.put("baseLevel", a.rule.level().name().toLowerCase(Locale.ROOT));
        String title = switch (kind) {
            case RESOLVED -> "[RESOLVED] " + a.rule.name() + " on " + a.subject;
            case FLAPPING -> "[FLAPPING] " + a.rule.name() + " on " + a.subject;
            default -> "[" + a.level + "] " + a.rule.name() + " on " + a.subject;
        };
        String description = kind == AlertEvent.Kind.FLAPPING
                ? "started firing more than " + s.flapThreshold() + " times in " + s.flapWindow().toSeconds()
                + "s; notifications are held back until it settles. " + a.finding().description()
                : a.finding().description();
        return new AlertEvent(a.id, a.rule.name(), a.subject, labels, level, state, kind, title, description,
                a.finding().value(), a.finding().points(), a.rule.suggestedActions(), Instant.ofEpochMilli(a.startedAt),
                a.firingAt < 0 ? null : Instant.ofEpochMilli(a.firingAt),
                state == AlertState.RESOLVED ? Instant.ofEpochMilli(now) : null, Instant.ofEpochMilli(now),
                a.consecutive, a.acknowledgedBy);
    }

    private static String key(String rule, String subject) {
        return rule + '\u0000' + subject;
    }

    @Override
    public synchronized void start(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (closed || scheduler != null) {
            throw new IllegalStateException(closed ? "engine is closed" : "engine already started");
        }
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "perfkit-alerts-eval");
            t.setDaemon(true);
            return t;
        });
        ex.scheduleWithFixedDelay(this::evaluateSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler = ex;
    }

    private void evaluateSafely() {
        try {
            evaluate();
        } catch (RuntimeException e) {
            // keep the schedule alive whatever happens
            LOG.warn("alert evaluation failed", e);
        }
    }

    @Override
    public synchronized List<AlertEvent> activeAlerts() {
        long now = s.clock().wallTime();
        List<AlertEvent> out = new ArrayList<>(active.size());
        for (Active a : active.values()) {
            out.add(event(a, AlertEvent.Kind.ACTIVE, a.state, a.level, now));
        }
        out.sort(Comparator.comparing(AlertEvent::level).reversed().thenComparing(AlertEvent::startedAt));
        return out;
    }

    @Override
    public synchronized List<AlertEvent> history() {
        return List.copyOf(history);
    }

    @Override
    public List<AlertEvent> sharedHistory(int max) {
        AlertStore store = s.store();
        if (store != null) {
            try {
                return store.recent(max);
            } catch (RuntimeException e) {
                LOG.debug("alert store read failed; answering local history", e);
            }
        }
        List<AlertEvent> local = new ArrayList<>(history());
        java.util.Collections.reverse(local);
        return local.subList(0, Math.min(max, local.size()));
    }

    @Override
    public String silence(Silence silence) {
        String id = silence.id().isBlank()
                ? "s" + Long.toString(silenceIds.incrementAndGet(), 36) + "-" + Long.toString(s.clock().wallTime(), 36)
                : silence.id();
        synchronized (this) {
            if (!silences.containsKey(id) && silences.size() >= s.maxSilences()) {
                throw new IllegalStateException("at most " + s.maxSilences() + " silences; expire some first");
            }
            silences.put(id, new Silence(id, silence.matchers(), silence.endsAt(), silence.createdBy(),
                    silence.comment()));
        }
        return id;
    }

    @Override
    public boolean expireSilence(String id) {
        boolean removed = silences.remove(id) != null;
        if (removed) {
            heldChanged.set(true);
        }
        return removed;
    }

    @Override
    public List<Silence> silences() {
        Instant now = Instant.ofEpochMilli(s.clock().wallTime());
        List<Silence> out = new ArrayList<>();
        for (Silence si : silences.values()) {
            if (si.endsAt().isAfter(now)) {
                out.add(si);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean acknowledge(String alertId, String by) {
        for (Active a : active.values()) {
            if (a.id.equals(alertId)) {
                a.acknowledgedBy = by;
                return true;
            }
        }
        return false;
    }

    @Override
    public Stats stats() {
        long sent = 0;
        long failed = 0;
        long dropped = 0;
        for (Dispatcher d : dispatchers) {
            sent += d.sent();
            failed += d.failed();
            dropped += d.dropped();
        }
        return new Stats(evaluations.get(), ruleErrors.get(), alertsDropped.get(), sent, failed, dropped,
                suppressed.get());
    }

    @Override
    public StatusContributor statusContributor() {
        return status;
    }

    /** The {@code alerts} section: the shape is documented on {@link AlertEngine#statusContributor()}. */
    private final class Section implements StatusContributor {
        private static final Set<String> ACTIONS = Set.of("silence", "unsilence", "acknowledge");

        @Override
        public String name() {
            return "alerts";
        }

        @Override
        public Map<String, Object> status() {
            return statusMap();
        }

        @Override
        public Set<String> actions() {
            return ACTIONS;
        }

        @Override
        public Map<String, Object> act(String action, Map<String, String> params) {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(params, "params");
            return switch (action) {
                case "silence" -> silenceAction(params);
                case "unsilence" -> {
                    String id = ActionParams.required(params, "id");
                    if (!expireSilence(id)) {
                        throw new IllegalArgumentException("id: no silence '" + id + "'");
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", id);
                    out.put("removed", true);
                    yield out;
                }
                case "acknowledge" -> {
                    String id = ActionParams.required(params, "id");
                    String by = by(params);
                    if (!acknowledge(id, by)) {
                        throw new IllegalArgumentException("id: no active alert '" + id + "'");
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", id);
                    out.put("acknowledged", true);
                    out.put("by", by);
                    yield out;
                }
                default -> throw new UnsupportedOperationException("section 'alerts' has no action '" + action
                        + "'; actions: silence, unsilence, acknowledge");
            };
        }

        private Map<String, Object> silenceAction(Map<String, String> params) {
            String text = ActionParams.optional(params, "matchers");
            String rule = ActionParams.optional(params, "rule");
            if (text == null && rule == null) {
                throw new IllegalArgumentException("matchers: give label=value pairs or a rule name (parameter rule)");
            }
            Map<String, String> matchers = text == null ? new LinkedHashMap<>() : ActionParams.matchers(text);
            if (rule != null) {
                if (stateByName.get(rule) == null) {
                    throw new IllegalArgumentException("rule: no rule named '" + rule + "'");
                }
                String other = matchers.putIfAbsent("alertname", rule);
                if (other != null && !other.equals(rule)) {
                    throw new IllegalArgumentException("rule: '" + rule + "' contradicts matcher alertname=" + other);
                }
            }
            Duration duration = ActionParams.duration("duration", ActionParams.required(params, "duration"));
            String comment = ActionParams.optional(params, "comment");
            if (comment != null && comment.length() > 1000) {
                throw new IllegalArgumentException("comment: at most 1000 characters");
            }
            Instant endsAt = Instant.ofEpochMilli(s.clock().wallTime()).plus(duration);
            String id;
            try {
                id = silence(Silence.of(matchers, endsAt, by(params), comment == null ? "" : comment));
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("matchers: " + e.getMessage(), e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("matchers", Map.copyOf(matchers));
            out.put("endsAt", endsAt.toString());
            return out;
        }

        private String by(Map<String, String> params) {
            String by = ActionParams.optional(params, "by");
            if (by != null && by.length() > 200) {
                throw new IllegalArgumentException("by: at most 200 characters");
            }
            return by == null ? "dashboard" : by;
        }
    }

    private Map<String, Object> statusMap() {
        List<AlertEvent> list = activeAlerts();
        List<Silence> silenceList = silences();
        Map<String, Object> counts = new LinkedHashMap<>();
        Map<AlertLevel, Integer> byLevel = new EnumMap<>(AlertLevel.class);
        for (AlertEvent e : list) {
            if (e.state() == AlertState.FIRING) {
                byLevel.merge(e.level(), 1, Integer::sum);
            }
        }
        for (AlertLevel l : AlertLevel.values()) {
            counts.put(l.name().toLowerCase(Locale.ROOT), byLevel.getOrDefault(l, 0));
        }
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (AlertEvent e : list.subList(0, Math.min(MAX_STATUS_ALERTS, list.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("rule", e.rule());
            m.put("level", e.level().name());
            m.put("state", e.state().name());
            m.put("subject", e.subject());
            m.put("title", e.title());
            m.put("description", e.description());
            m.put("since", e.startedAt().toString());
            m.put("firingSince", e.firingAt() == null ? null : e.firingAt().toString());
            m.put("acknowledged", e.acknowledgedBy() != null);
            m.put("acknowledgedBy", e.acknowledgedBy());
            boolean silenced = false;
            for (Silence si : silenceList) {
                silenced |= si.matches(e.labels());
            }
            m.put("silenced", silenced);
            alerts.add(m);
        }
        List<AlertEvent> events = history();
        List<Map<String, Object>> recent = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0 && recent.size() < MAX_STATUS_RECENT; i--) {
            AlertEvent e = events.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("rule", e.rule());
            m.put("kind", e.kind().name());
            m.put("level", e.level().name());
            m.put("state", e.state().name());
            m.put("subject", e.subject());
            m.put("title", e.title());
            m.put("at", e.at().toString());
            recent.add(m);
        }
        List<Map<String, Object>> silenceMaps = new ArrayList<>();
        silenceList.sort(Comparator.comparing(Silence::endsAt));
        for (Silence si : silenceList.subList(0, Math.min(MAX_STATUS_SILENCES, silenceList.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", si.id());
            m.put("matchers", new java.util.TreeMap<>(si.matchers()));
            m.put("endsAt", si.endsAt().toString());
            m.put("createdBy", si.createdBy());
            m.put("comment", si.comment());
            silenceMaps.add(m);
        }
        Stats st = stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", alerts);
        out.put("activeCount", list.size());
        out.put("firingByLevel", counts);
        out.put("recent", recent);
        out.put("silences", silenceMaps);
        out.put("silenceCount", silenceList.size());
        out.put("rules", s.rules().size());
        out.put("evaluations", st.evaluations());
        out.put("ruleErrors", st.ruleErrors());
        out.put("notificationsSent", st.notificationsSent());
        out.put("notificationsFailed", st.notificationsFailed());
        out.put("notificationsDropped", st.notificationsDropped());
        out.put("notificationsSuppressed", st.notificationsSuppressed());
        return out;
    }

    @Override
    public void close() {
        ScheduledExecutorService ex;
        boolean alreadyClosed;
        synchronized (this) {
            alreadyClosed = closed;
            closed = true;
            ex = scheduler;
            scheduler = null;
        }
        if (ex != null) {
            ex.shutdownNow();
        }
        Runnable onClose = s.onClose();
        if (onClose != null && !alreadyClosed) {
            try {
                onClose.run();
            } catch (RuntimeException e) {
                LOG.debug("close hook failed", e);
            }
        }
        for (Dispatcher d : dispatchers) {
            d.close();
        }
    }

    private final class Context implements RuleContext {
        private final long now;
        /** Rules sharing a metric, tags and window share one history query per evaluation. */
        private final Map<QueryKey, List<TimeSeries>> queries = new java.util.HashMap<>();

        Context(long now) {
            this.now = now;
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public MetricsHistory history() {
            return s.history();
        }

        @Override
        public List<TimeSeries> window(String metric, Iterable<Tag> tags, Duration window) {
            Tags t = Tags.of(tags);
            return queries.computeIfAbsent(new QueryKey(metric, t, window), k -> {
                Instant to = Instant.ofEpochMilli(now);
                Duration step = s.history().config().sampleInterval();
                return s.history().query(new HistoryQuery(metric, t, to.minus(window).plusMillis(1), to, step));
            });
        }

        @Override
        public boolean isActive(String ruleName, String subject) {
            RuleState st = stateByName.get(ruleName);
            return st != null && st.bySubject.containsKey(subject);
        }

        @Override
        public RuleContext nested(String parent) {
            return new Nested(this, parent);
        }
    }

    /** What rules nested in {@code scope} see: their own active findings of the previous evaluation. */
    private final class Nested implements RuleContext {
        private final Context root;
        private final String scope;

        Nested(Context root, String scope) {
            this.root = root;
            this.scope = scope;
        }

        @Override
        public long nowMillis() {
            return root.nowMillis();
        }

        @Override
        public MetricsHistory history() {
            return root.history();
        }

        @Override
        public List<TimeSeries> window(String metric, Iterable<Tag> tags, Duration window) {
            return root.window(metric, tags, window);
        }

        @Override
        public boolean isActive(String ruleName, String subject) {
            return nestedPrevious.contains(scope + '\u0000' + ruleName + '\u0000' + subject);
        }

        @Override
        public RuleContext nested(String parent) {
            return new Nested(root, scope + '\u0001' + parent);
        }

        @Override
        public void markActive(String ruleName, String subject) {
            if (nestedCurrent.size() < s.maxActiveAlerts()) {
                nestedCurrent.add(scope + '\u0000' + ruleName + '\u0000' + subject);
            }
        }
    }

    private record QueryKey(String metric, Tags tags, Duration window) {}
}
