package io.github.perfkit.alerts;

import io.github.perfkit.alerts.internal.DefaultAlertEngine;
import io.github.perfkit.core.Perf;
import io.github.perfkit.core.history.MetricsHistory;
import io.github.perfkit.core.spi.StatusContributor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates rules over the metrics history and turns their findings into alerts with a lifecycle
 * (pending, firing, resolved), deduplicated by rule + subject, with repeat interval, escalation,
 * flap control, silences, acknowledgement, inhibition (a firing CRITICAL alert holds back the
 * WARNING/INFO alerts of the same subject) and grouping (the events of one evaluation go out as one
 * {@link AlertNotification}).
 *
 * <p>Scheduling: {@link #evaluate()} runs one evaluation; call it once per tick from the host (e.g.
 * after {@link Perf#tick()}, or from a Spring scheduler), or call {@link #start(Duration)} to let the
 * engine own a single daemon thread that does it. Perf has no public scheduling hook, so the engine
 * does not piggyback on the hub's tick thread.
 *
 * <pre>{@code
 * AlertEngine engine = AlertEngine.builder().perf(perf)
 *         .rules(RuleLoader.defaults(perf)).notifier(new LogNotifier()).build();
 * engine.start(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Thread-safe: evaluations are serialized; the query, silence and acknowledge methods may be
 * called from any thread; notifications are delivered on one daemon thread per notifier.
 */
public interface AlertEngine extends AutoCloseable {

    /** @return a new builder */
    static Builder builder() {
        return new Builder();
    }

    /** Runs one evaluation of every rule now; never throws (rule failures are counted and logged). */
    void evaluate();

    /**
     * Starts evaluating every {@code interval} on a daemon thread owned by the engine.
     *
     * @param interval a positive interval
     * @throws IllegalStateException if already started or closed
     */
    void start(Duration interval);

    /** @return the rules */
    List<AlertRule> rules();

    /** @return the pending and firing alerts, as {@link AlertEvent.Kind#ACTIVE} events, highest level first */
    List<AlertEvent> activeAlerts();

    /** @return the recent events of this node (bounded), oldest first */
    List<AlertEvent> history();

    /**
     * The shared history of the cluster when a store is configured, else this node's history.
     *
     * @param max at most this many events
     * @return the events, newest first
     */
    List<AlertEvent> sharedHistory(int max);

    /**
     * Adds a silence.
     *
     * @param silence the silence; a blank id is replaced by a generated one
     * @return the silence id
     * @throws IllegalStateException if the maximum number of silences is reached
     */
    String silence(Silence silence);

    /**
     * Removes a silence.
     *
     * @param id the silence id
     * @return whether it existed
     */
    boolean expireSilence(String id);

    /** @return the silences that have not expired */
    List<Silence> silences();

    /**
     * Acknowledges an active alert: no repeat or escalation notifications until it resolves.
     *
     * @param alertId the incident id
     * @param by who acknowledges
     * @return whether the alert was active
     */
    boolean acknowledge(String alertId, String by);

    /** @return counters of the engine */
    Stats stats();

    /**
     * The engine's section {@code alerts} for the hub's status, the endpoints and the dashboard.
     *
     * <p>{@link StatusContributor#status()} answers this shape (keys in this order; times are ISO-8601
     * instants; levels are {@code INFO}, {@code WARNING}, {@code HIGH}, {@code CRITICAL}; the shape only
     * grows, keys are not renamed or removed):
     * <pre>
     * {
     *   "active": [                      // at most 50, highest level first, then oldest first
     *     { "id": "a1-lq2x3",            // incident id: the parameter of acknowledge
     *       "rule": "cpu-high", "level": "CRITICAL", "state": "FIRING",   // or PENDING
     *       "subject": "perfkit.system.cpu.usage", "title": "...", "description": "...",
     *       "since": "2026-11-25T20:00:00Z",          // condition first seen
     *       "firingSince": "2026-11-25T20:01:00Z",    // null while pending
     *       "acknowledged": false, "acknowledgedBy": null,
     *       "silenced": false }          // whether a current silence matches its labels
     *   ],
     *   "activeCount": 1,                // all pending + firing alerts (not capped)
     *   "firingByLevel": { "info": 0, "warning": 0, "high": 0, "critical": 1 },
     *   "recent": [                      // this node's latest events, newest first, at most 20
     *     { "id": "a1-lq2x3", "rule": "cpu-high", "kind": "FIRING", "level": "CRITICAL", "state": "FIRING",
     *       "subject": "...", "title": "...", "at": "2026-11-25T20:01:00Z" }
     *   ],                               // kind: PENDING FIRING REPEAT ESCALATED FLAPPING RESOLVED
     *   "silences": [                    // current silences, soonest to end first, at most 50
     *     { "id": "s1-lq2x3", "matchers": { "alertname": "cpu-high" }, "endsAt": "...",
     *       "createdBy": "dashboard", "comment": "deploy" }
     *   ],
     *   "silenceCount": 1,
     *   "rules": 12, "evaluations": 3600, "ruleErrors": 0,
     *   "notificationsSent": 4, "notificationsFailed": 0, "notificationsDropped": 0,
     *   "notificationsSuppressed": 2
     * }
     * </pre>
     *
     * <p>{@link StatusContributor#actions()} are {@code silence}, {@code unsilence} and {@code acknowledge};
     * {@link StatusContributor#act(String, java.util.Map)} takes these parameters and answers:
     * <ul>
     *   <li>{@code silence}: {@code matchers} ({@code label=value} pairs separated by commas, semicolons or
     *       new lines; a value ending in {@code *} matches by prefix; labels are the subject's tags plus
     *       {@code alertname}, {@code subject}, {@code level}, {@code baseLevel}) and/or {@code rule} (a rule
     *       name, same as {@code alertname=<rule>}); {@code duration} (required: {@code 30m}, {@code 2h},
     *       {@code 1d}, {@code 90s}, seconds or ISO-8601 {@code PT30M}; at most 30 days); {@code comment}
     *       and {@code by} (optional, default {@code dashboard}) → {@code {"id", "matchers", "endsAt"}};</li>
     *   <li>{@code unsilence}: {@code id} (a silence id) → {@code {"id", "removed": true}};</li>
     *   <li>{@code acknowledge}: {@code id} (an active alert's id), {@code by} (optional) →
     *       {@code {"id", "acknowledged": true, "by"}}.</li>
     * </ul>
     * A missing or malformed parameter, an unknown id or rule, or a full silence list throws
     * {@link IllegalArgumentException} whose message starts with the parameter's name.
     *
     * @return the status contributor
     */
    StatusContributor statusContributor();

    /** Stops the evaluation thread and the delivery threads; pending deliveries are dropped. */
    @Override
    void close();

    /**
     * Counters of an engine.
     *
     * <p>Thread-safe: an immutable record.
     *
     * @param evaluations evaluations run
     * @param ruleErrors rule evaluations that threw
     * @param alertsDropped new alerts not tracked because the active-alert cap was reached
     * @param notificationsSent notifications delivered (all notifiers)
     * @param notificationsFailed incidents a notifier gave up on after their last attempt (retries are per incident)
     * @param notificationsDropped notifications dropped from full queues
     * @param notificationsSuppressed events held back by silences, inhibition, acknowledgement or flap control
     */
    record Stats(long evaluations, long ruleErrors, long alertsDropped, long notificationsSent,
                 long notificationsFailed, long notificationsDropped, long notificationsSuppressed) {}

    /**
     * Builder of an {@link AlertEngine}.
     *
     * <p>Not thread-safe.
     */
    final class Builder {
        private @Nullable MetricsHistory history;
        private Clock clock = Clock.SYSTEM;
        private @Nullable MeterRegistry registry;
        private final List<AlertRule> rules = new ArrayList<>();
        private final List<Notifier> notifiers = new ArrayList<>();
        private Duration repeatInterval = Duration.ofHours(1);
        private Duration flapWindow = Duration.ofMinutes(10);
        private int flapThreshold = 3;
        private int historySize = 1000;
        private int maxActiveAlerts = 10_000;
        private int maxSilences = 1000;
        private int queueCapacity = 100;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private @Nullable Perf perf;
        private @Nullable AlertStore store;

        private Builder() {
        }

        /**
         * Takes history, clock and registry from a hub and registers the engine's status contributor
         * (section {@code alerts}) on it; closing the engine unregisters it. One engine per hub.
         *
         * @param perf the hub
         * @return this builder
         */
        public Builder perf(Perf perf) {
            this.perf = Objects.requireNonNull(perf, "perf");
            this.history = perf.history();
            this.clock = perf.clock();
            this.registry = perf.registry();
            return this;
        }

        /**
         * Sets the history (required unless {@link #perf(Perf)} is used).
         *
         * @param history the history
         * @return this builder
         */
        public Builder history(MetricsHistory history) {
            this.history = Objects.requireNonNull(history, "history");
            return this;
        }

        /**
         * Sets the clock (default the system clock); its wall time is the evaluation time.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Publishes the engine's counters to a registry (default none).
         *
         * @param registry the registry, or null
         * @return this builder
         */
        public Builder registry(@Nullable MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Adds rules.
         *
         * @param rules the rules
         * @return this builder
         */
        public Builder rules(List<? extends AlertRule> rules) {
            Objects.requireNonNull(rules, "rules").forEach(this::rule);
            return this;
        }

        /**
         * Adds rules.
         *
         * @param rules the rules
         * @return this builder
         */
        public Builder rules(AlertRule... rules) {
            return rules(List.of(rules));
        }

        /**
         * Adds one rule.
         *
         * @param rule the rule
         * @return this builder
         */
        public Builder rule(AlertRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Shares notification dedup and history with other nodes through a store (default none): an
         * event is notified only by the node that claims its key (rule, subject, kind, level) first
         * within the repeat interval.
         *
         * @param store the store, or null for none
         * @return this builder
         */
        public Builder store(@Nullable AlertStore store) {
            this.store = store;
            return this;
        }

        /**
         * Adds a notifier.
         *
         * @param notifier the notifier
         * @return this builder
         */
        public Builder notifier(Notifier notifier) {
            notifiers.add(Objects.requireNonNull(notifier, "notifier"));
            return this;
        }

        /**
         * Sets how often a still-firing alert is notified again (default 1 h).
         *
         * @param repeatInterval a positive interval
         * @return this builder
         */
        public Builder repeatInterval(Duration repeatInterval) {
            this.repeatInterval = Objects.requireNonNull(repeatInterval, "repeatInterval");
            return this;
        }

        /**
         * Flap control: an alert that starts firing more than {@code threshold} times within
         * {@code window} is flapping; one FLAPPING notice is sent and its further firing/resolved
         * notifications are held back until it starts firing at most {@code threshold} times per window
         * again (default 3 per 10 min).
         *
         * @param threshold the number of firing starts tolerated per window, at least 1
         * @param window the window, positive
         * @return this builder
         */
        public Builder flapControl(int threshold, Duration window) {
            this.flapThreshold = threshold;
            this.flapWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * Sets how many events the history keeps (default 1000).
         *
         * @param historySize at least 1
         * @return this builder
         */
        public Builder historySize(int historySize) {
            this.historySize = historySize;
            return this;
        }

        /**
         * Sets the cap on tracked active alerts (default 10 000).
         *
         * @param maxActiveAlerts at least 1
         * @return this builder
         */
        public Builder maxActiveAlerts(int maxActiveAlerts) {
            this.maxActiveAlerts = maxActiveAlerts;
            return this;
        }

        /**
         * Sets the cap on silences (default 1000).
         *
         * @param maxSilences at least 1
         * @return this builder
         */
        public Builder maxSilences(int maxSilences) {
            this.maxSilences = maxSilences;
            return this;
        }

        /**
         * Delivery settings of every notifier: queue capacity (default 100, oldest dropped when full),
         * attempts per notification (default 5) and exponential backoff with jitter between attempts
         * (default 1 s doubling up to 1 min).
         *
         * @param queueCapacity at least 1
         * @param maxAttempts at least 1
         * @param initialBackoff positive
         * @param maxBackoff at least the initial backoff
         * @return this builder
         */
        public Builder delivery(int queueCapacity, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.queueCapacity = queueCapacity;
            this.maxAttempts = maxAttempts;
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Validates and builds the engine.
         *
         * @return the engine
         * @throws IllegalArgumentException naming the bad setting
         */
        public AlertEngine build() {
            if (history == null) {
                throw new IllegalArgumentException("history must be set (or perf)");
            }
            positive("repeatInterval", repeatInterval);
            positive("flapWindow", flapWindow);
            positive("initialBackoff", initialBackoff);
            atLeast("flapThreshold", flapThreshold, 1);
            atLeast("historySize", historySize, 1);
            atLeast("maxActiveAlerts", maxActiveAlerts, 1);
            atLeast("maxSilences", maxSilences, 1);
            atLeast("queueCapacity", queueCapacity, 1);
            atLeast("maxAttempts", maxAttempts, 1);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must be at least initialBackoff, was " + maxBackoff);
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            for (AlertRule r : rules) {
                if (!names.add(r.name())) {
                    throw new IllegalArgumentException("rule '" + r.name() + "': name is used by two rules");
                }
            }
            DefaultAlertEngine engine = new DefaultAlertEngine(new DefaultAlertEngine.Settings(history, clock,
                    registry, rules, notifiers, repeatInterval, flapWindow, flapThreshold, historySize,
                    maxActiveAlerts, maxSilences, queueCapacity, maxAttempts, initialBackoff, maxBackoff,
                    perf == null ? null : unregister(perf), store));
            if (perf != null) {
                try {
                    perf.register(engine.statusContributor());
                } catch (IllegalArgumentException e) {
                    engine.close();
                    throw e;
                }
            }
            return engine;
        }

        private static Runnable unregister(Perf hub) {
            return () -> hub.unregister("alerts");
        }

        private static void positive(String field, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + d);
            }
        }

        private static void atLeast(String field, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(field + " must be at least " + min + ", was " + value);
            }
        }
    }
}
