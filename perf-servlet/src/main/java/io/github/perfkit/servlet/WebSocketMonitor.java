package io.github.perfkit.servlet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures Jakarta WebSocket endpoints by channel: sessions open (current, peak, total), messages
 * and payload bytes in and out, send errors, session errors and session durations.
 *
 * <pre>{@code
 * WebSocketMonitor monitor = new WebSocketMonitor(perf.registry());
 * container.addEndpoint(ServerEndpointConfig.Builder.create(WebSocketMonitor.MonitoredEndpoint.class, "/chat")
 *         .configurator(monitor.configurator("chat", ChatEndpoint::new)).build());
 * }</pre>
 *
 * <p>The wrapped endpoint sees a session whose message handlers and remotes count what passes;
 * message handlers added with {@code addMessageHandler(MessageHandler)} are counted when their
 * message type can be read from their generic interface (lambdas need the
 * {@code addMessageHandler(Class, ...)} form). Text is counted in UTF-8 bytes; decoded objects,
 * streams and readers count as messages without bytes. At most {@link #MAX_CHANNELS} channels are
 * kept; further channel names are recorded as {@code OTHER}. Monitoring failures never reach the
 * endpoint.
 *
 * <p>Thread-safe.
 */
public final class WebSocketMonitor {

    /** Most distinct channels measured. */
    public static final int MAX_CHANNELS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketMonitor.class);

    private final MeterRegistry registry;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * @param registry where the meters are registered
     */
    public WebSocketMonitor(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Wraps an endpoint so that its sessions are measured under a channel name.
     *
     * @param channel the channel name, e.g. the endpoint's path
     * @param delegate the endpoint
     * @return the monitored endpoint
     */
    public MonitoredEndpoint wrap(String channel, Endpoint delegate) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(delegate, "delegate");
        return new MonitoredEndpoint(channel(channel), delegate);
    }

    /**
     * A configurator that creates a fresh monitored endpoint per session; register the endpoint class
     * {@link MonitoredEndpoint} with it.
     *
     * @param channel the channel name
     * @param factory creates the application's endpoint for each session
     * @return the configurator
     */
    public ServerEndpointConfig.Configurator configurator(String channel, Supplier<? extends Endpoint> factory) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(factory, "factory");
        return new ServerEndpointConfig.Configurator() {
            @Override
            public <T> T getEndpointInstance(Class<T> endpointClass) {
                if (!endpointClass.isAssignableFrom(MonitoredEndpoint.class)) {
                    throw new IllegalArgumentException("register WebSocketMonitor.MonitoredEndpoint.class with this "
                            + "configurator, not " + endpointClass.getName());
                }
                return endpointClass.cast(wrap(channel, factory.get()));
            }
        };
    }

    /**
     * Sessions open now on a channel.
     *
     * @param channel the channel name
     * @return the count, 0 for an unknown channel
     */
    public int openSessions(String channel) {
        Channel c = channels.get(Objects.requireNonNull(channel, "channel"));
        return c == null ? 0 : c.open.get();
    }

    private Channel channel(String name) {
        Channel c = channels.get(name);
        if (c != null) {
            return c;
        }
        String key = channels.size() >= MAX_CHANNELS ? "OTHER" : name;
        return channels.computeIfAbsent(key, Channel::new);
    }

    private void failed(String what, Throwable e) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Perfkit: WebSocket monitoring failed while {}; the session goes on. (Logged once.)", what, e);
        } else {
            LOG.debug("Perfkit: WebSocket monitoring failed while {}", what, e);
        }
    }

    /** Meters of one channel. */
    private final class Channel {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        @Nullable Counter opened;
        @Nullable Counter messagesIn;
        @Nullable Counter messagesOut;
        @Nullable Counter bytesIn;
        @Nullable Counter bytesOut;
        @Nullable Counter sendErrors;
        @Nullable Counter errors;
        @Nullable Timer duration;

        Channel(String name) {
            try {
                Gauge.builder(MetricNames.WEBSOCKET_CONNECTIONS_ACTIVE, open, AtomicInteger::get).tag("channel", name)
                        .description("Open WebSocket sessions").strongReference(true).register(registry);
                Gauge.builder(MetricNames.WEBSOCKET_CONNECTIONS_PEAK, peak, AtomicInteger::get).tag("channel", name)
                        .description("Most WebSocket sessions open at once").strongReference(true).register(registry);
                opened = Counter.builder(MetricNames.WEBSOCKET_CONNECTIONS).tag("channel", name)
                        .description("WebSocket sessions opened").register(registry);
                messagesIn = messages(name, "in");
                messagesOut = messages(name, "out");
                bytesIn = bytes(name, "in");
                bytesOut = bytes(name, "out");
                sendErrors = Counter.builder(MetricNames.WEBSOCKET_SEND_ERRORS).tag("channel", name)
                        .description("Failed WebSocket sends").register(registry);
                errors = Counter.builder(MetricNames.WEBSOCKET_ERRORS).tag("channel", name)
                        .description("WebSocket session errors").register(registry);
                duration = Timer.builder(MetricNames.WEBSOCKET_SESSION_DURATION).tag("channel", name)
                        .description("WebSocket session durations").register(registry);
            } catch (RuntimeException e) {
                failed("registering the channel's meters", e);
            }
        }

        private Counter messages(String name, String direction) {
            return Counter.builder(MetricNames.WEBSOCKET_MESSAGES).tag("channel", name).tag("direction", direction)
                    .description("WebSocket messages").register(registry);
        }

        private Counter bytes(String name, String direction) {
            return Counter.builder(MetricNames.WEBSOCKET_BYTES).tag("channel", name).tag("direction", direction)
                    .baseUnit(BaseUnits.BYTES).description("WebSocket payload bytes").register(registry);
        }

        WebSocketMonitor outer() {
            return WebSocketMonitor.this;
        }

        void in(long bytes) {
            increment(messagesIn, 1);
            if (bytes > 0) {
                increment(bytesIn, bytes);
            }
        }

        void out(long bytes) {
            increment(messagesOut, 1);
            if (bytes > 0) {
                increment(bytesOut, bytes);
            }
        }

        void increment(@Nullable Counter c, double amount) {
            if (c != null) {
                c.increment(amount);
            }
        }
    }

    /**
     * An endpoint that measures its sessions and delegates everything to the application's endpoint.
     * One instance per session when created through {@link #configurator(String, Supplier)}.
     * Thread-safe.
     */
    public static final class MonitoredEndpoint extends Endpoint {
        private final Channel channel;
        private final Endpoint delegate;
        private final AtomicLong openedAt = new AtomicLong();
        private final AtomicBoolean closed = new AtomicBoolean();

        private MonitoredEndpoint(Channel channel, Endpoint delegate) {
            this.channel = channel;
            this.delegate = delegate;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Session seen = session;
            try {
                openedAt.set(System.nanoTime());
                int now = channel.open.incrementAndGet();
                channel.peak.accumulateAndGet(now, Math::max);
                channel.increment(channel.opened, 1);
                seen = monitoredSession(session);
            } catch (RuntimeException e) {
                channel.outer().failed("opening a session", e);
            }
            delegate.onOpen(seen, config);
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            try {
                if (closed.compareAndSet(false, true)) {
                    channel.open.decrementAndGet();
                    Timer t = channel.duration;
                    if (t != null) {
                        t.record(System.nanoTime() - openedAt.get(), TimeUnit.NANOSECONDS);
                    }
                }
            } catch (RuntimeException e) {
                channel.outer().failed("closing a session", e);
            }
            delegate.onClose(session, closeReason);
        }

        @Override
        public void onError(Session session, Throwable thr) {
            channel.increment(channel.errors, 1);
            delegate.onError(session, thr);
        }

        private Session monitoredSession(Session real) {
            return (Session) Proxy.newProxyInstance(MonitoredEndpoint.class.getClassLoader(),
                    new Class<?>[] {Session.class}, new SessionHandler(real, channel));
        }
    }

    /** Counts messages through handlers and remotes; delegates every other call unchanged. */
    private static final class SessionHandler implements InvocationHandler {
        private final Session real;
        private final Channel channel;

        SessionHandler(Session real, Channel channel) {
            this.real = real;
            this.channel = channel;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            if (name.equals("addMessageHandler") && args != null) {
                if (args.length == 1 && args[0] instanceof MessageHandler h) {
                    Class<?> type = messageType(h);
                    if (type != null) {
                        if (h instanceof MessageHandler.Whole<?> w) {
                            real.addMessageHandler((Class) type, countingWhole((MessageHandler.Whole) w));
                            return null;
                        }
                        if (h instanceof MessageHandler.Partial<?> p) {
                            real.addMessageHandler((Class) type, countingPartial((MessageHandler.Partial) p));
                            return null;
                        }
                    }
                } else if (args.length == 2 && args[0] instanceof Class<?> type) {
                    if (args[1] instanceof MessageHandler.Whole<?> w) {
                        real.addMessageHandler((Class) type, countingWhole((MessageHandler.Whole) w));
                        return null;
                    }
                    if (args[1] instanceof MessageHandler.Partial<?> p) {
                        real.addMessageHandler((Class) type, countingPartial((MessageHandler.Partial) p));
                        return null;
                    }
                }
            }
            if (name.equals("getBasicRemote") && (args == null || args.length == 0)) {
                RemoteEndpoint.Basic basic = real.getBasicRemote();
                return Proxy.newProxyInstance(SessionHandler.class.getClassLoader(),
                        new Class<?>[] {RemoteEndpoint.Basic.class}, new RemoteHandler(basic, channel));
            }
            if (name.equals("getAsyncRemote") && (args == null || args.length == 0)) {
                RemoteEndpoint.Async async = real.getAsyncRemote();
                return Proxy.newProxyInstance(SessionHandler.class.getClassLoader(),
                        new Class<?>[] {RemoteEndpoint.Async.class}, new RemoteHandler(async, channel));
            }
            if (name.equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            if (name.equals("hashCode") && (args == null || args.length == 0)) {
                return System.identityHashCode(proxy);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private <T> MessageHandler.Whole<T> countingWhole(MessageHandler.Whole<T> h) {
            return message -> {
                channel.in(size(message));
                h.onMessage(message);
            };
        }

        private <T> MessageHandler.Partial<T> countingPartial(MessageHandler.Partial<T> h) {
            return (part, last) -> {
                long size = size(part);
                if (last) {
                    channel.in(size);
                } else if (size > 0) {
                    channel.increment(channel.bytesIn, size);
                }
                h.onMessage(part, last);
            };
        }
    }

    /** Counts sends on a basic or async remote. */
    private static final class RemoteHandler implements InvocationHandler {
        private final Object real;
        private final Channel channel;

        RemoteHandler(Object real, Channel channel) {
            this.real = real;
            this.channel = channel;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            String name = method.getName();
            boolean send = name.startsWith("send") && !name.equals("sendPing") && !name.equals("sendPong")
                    && args != null && args.length >= 1;
            Object[] actual = args;
            if (send && args != null) {
                for (int i = 1; i < args.length; i++) {
                    if (args[i] instanceof SendHandler h) {
                        actual = args.clone();
                        actual[i] = (SendHandler) result -> {
                            if (!result.isOK()) {
                                channel.increment(channel.sendErrors, 1);
                            }
                            h.onResult(result);
                        };
                    }
                }
            }
            // Sizes are read before sending: the container consumes the buffer.
            long size = send ? size(args[0]) : 0;
            try {
                Object result = method.invoke(real, actual);
                if (send) {
                    boolean partial = args.length >= 2 && args[1] instanceof Boolean b && !b;
                    if (partial) {
                        channel.increment(channel.bytesOut, size);
                    } else {
                        channel.out(size);
                    }
                }
                return result;
            } catch (InvocationTargetException e) {
                if (send) {
                    channel.increment(channel.sendErrors, 1);
                }
                throw e.getCause();
            }
        }
    }

    private static long size(@Nullable Object message) {
        if (message instanceof String s) {
            return utf8Length(s);
        }
        if (message instanceof ByteBuffer b) {
            return b.remaining();
        }
        if (message instanceof byte[] a) {
            return a.length;
        }
        return 0;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static @Nullable Class<?> messageType(MessageHandler h) {
        for (Class<?> c = h.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && (p.getRawType() == MessageHandler.Whole.class
                        || p.getRawType() == MessageHandler.Partial.class)) {
                    Type arg = p.getActualTypeArguments()[0];
                    if (arg instanceof Class<?> k) {
                        return k;
                    }
                    if (arg instanceof ParameterizedType pa && pa.getRawType() instanceof Class<?> k) {
                        return k;
                    }
                }
            }
        }
        return null;
    }
}
