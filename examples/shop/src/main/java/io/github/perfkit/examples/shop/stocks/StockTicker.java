package io.github.perfkit.examples.shop.stocks;

import jakarta.websocket.Session;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random-walk stock prices pushed to every connected WebSocket session every {@value #PERIOD_MILLIS} ms as one
 * JSON message, e.g. {@code {"ACME":101.25,"GLOBX":57.80}}. At most {@value #MAX_SESSIONS} sessions; further ones
 * are closed at once.
 *
 * <p>Thread-safe.
 */
public final class StockTicker implements AutoCloseable {

    /** Interval between two price updates. */
    public static final long PERIOD_MILLIS = 500;
    /** Most sessions served. */
    public static final int MAX_SESSIONS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(StockTicker.class);

    private final Map<String, Double> prices = new LinkedHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shop-stock-ticker");
        t.setDaemon(true);
        return t;
    });

    /** Starts the ticker. */
    public StockTicker() {
        for (String symbol : new String[] {"ACME", "GLOBX", "INITE", "UMBRL", "WAYNE", "STARK", "CYBDN", "SOYL"}) {
            prices.put(symbol, 50 + ThreadLocalRandom.current().nextDouble(100));
        }
        timer.scheduleAtFixedRate(this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Adds a session to the broadcast.
     *
     * @param session the session
     * @return false (and the session should be closed) when {@link #MAX_SESSIONS} are connected
     */
    public boolean join(Session session) {
        if (sessions.size() >= MAX_SESSIONS) {
            return false;
        }
        sessions.add(session);
        return true;
    }

    /**
     * Removes a session.
     *
     * @param session the session
     */
    public void leave(Session session) {
        sessions.remove(session);
    }

    /** @return sessions connected now */
    public int sessions() {
        return sessions.size();
    }

    /** @return the latest prices as JSON */
    public synchronized String snapshot() {
        StringBuilder sb = new StringBuilder("{");
        prices.forEach((s, p) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(s).append("\":")
                .append(String.format(Locale.ROOT, "%.2f", p)));
        return sb.append('}').toString();
    }

    private void tick() {
        try {
            synchronized (this) {
                prices.replaceAll((s, p) -> Math.max(1, p * (1 + ThreadLocalRandom.current().nextGaussian() * 0.005)));
            }
            String message = snapshot();
            for (Session s : sessions) {
                send(s, message);
            }
        } catch (RuntimeException e) {
            LOG.warn("stock tick failed", e);
        }
    }

    /**
     * Sends one message to a session, dropping the session when it fails.
     *
     * @param session the session
     * @param message the text
     */
    void send(Session session, String message) {
        if (!session.isOpen()) {
            sessions.remove(session);
            return;
        }
        try {
            synchronized (session) {
                session.getBasicRemote().sendText(message);
            }
        } catch (IOException | IllegalStateException e) {
            sessions.remove(session);
            LOG.debug("stock update to session {} failed; dropped", session.getId(), e);
        }
    }

    /** Stops the ticker. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
