package io.github.perfkit.examples.shop.stocks;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Objects;

/**
 * The {@code /ws/stocks} endpoint: a session joins the ticker's broadcast and gets the current prices at once;
 * a text message {@code "snapshot"} asks for them again. One instance per session (created by Perfkit's
 * {@code WebSocketMonitor} configurator).
 *
 * <p>Thread-safe.
 */
public final class StockEndpoint extends Endpoint {

    private final StockTicker ticker;

    /**
     * @param ticker the ticker
     */
    public StockEndpoint(StockTicker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        if (!ticker.join(session)) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many sessions"));
            } catch (IOException e) {
                // the session is gone either way
            }
            return;
        }
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            if (text.trim().equals("snapshot")) {
                ticker.send(session, ticker.snapshot());
            }
        });
        ticker.send(session, ticker.snapshot());
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        ticker.leave(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
        ticker.leave(session);
    }
}
