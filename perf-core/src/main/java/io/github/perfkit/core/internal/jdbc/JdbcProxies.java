package io.github.perfkit.core.internal.jdbc;

import io.github.perfkit.core.RequestRef;
import io.github.perfkit.core.Scope;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Dynamic proxies for {@link Connection}, the statement interfaces and {@link ResultSet}. Exceptions thrown by
 * the driver propagate unchanged (the cause of the reflective {@link InvocationTargetException}); Perfkit's
 * own bookkeeping failures are swallowed by {@link JdbcRecorder}. {@code unwrap}/{@code isWrapperFor} answer
 * for the proxy first, then delegate. Proxies are as thread-safe as the objects they wrap.
 */
public final class JdbcProxies {

    private static final ClassLoader LOADER = JdbcProxies.class.getClassLoader();

    private JdbcProxies() {}

    /**
     * Wraps a connection just obtained from the delegate data source.
     *
     * @param connection the driver's connection
     * @param recorder the bookkeeping
     * @return the monitored connection
     */
    public static Connection connection(Connection connection, JdbcRecorder recorder) {
        return (Connection) Proxy.newProxyInstance(LOADER, new Class<?>[] {Connection.class},
                new ConnectionHandler(connection, recorder));
    }

    private static @Nullable Object invoke(Object target, Method method, Object @Nullable [] args)
            throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    /** Object methods and the Wrapper contract; null when {@code method} is none of those. */
    private static @Nullable Object common(Object proxy, Object target, Method method, Object @Nullable [] args)
            throws Throwable {
        switch (method.getName()) {
            case "equals":
                if (args != null && args.length == 1 && method.getParameterTypes()[0] == Object.class) {
                    return proxy == args[0];
                }
                return null;
            case "hashCode":
                return args == null || args.length == 0 ? System.identityHashCode(proxy) : null;
            case "toString":
                return args == null || args.length == 0 ? "Perfkit[" + target + "]" : null;
            case "unwrap":
                if (args != null && args.length == 1 && args[0] instanceof Class<?> iface) {
                    if (iface.isInstance(proxy)) {
                        return proxy;
                    }
                    return invoke(target, method, args);
                }
                return null;
            case "isWrapperFor":
                if (args != null && args.length == 1 && args[0] instanceof Class<?> iface) {
                    return iface.isInstance(proxy) || (Boolean) invoke(target, method, args);
                }
                return null;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ connection

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection target;
        private final JdbcRecorder recorder;
        private final AtomicBoolean closed = new AtomicBoolean();

        ConnectionHandler(Connection target, JdbcRecorder recorder) {
            this.target = target;
            this.recorder = recorder;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            Object c = common(proxy, target, method, args);
            if (c != null) {
                return c;
            }
            String name = method.getName();
            if (name.equals("close")) {
                try {
                    return JdbcProxies.invoke(target, method, args);
                } finally {
                    if (closed.compareAndSet(false, true)) {
                        recorder.connectionClosed();
                    }
                }
            }
            Object result = JdbcProxies.invoke(target, method, args);
            if (result instanceof Statement statement) {
                String sql = (name.equals("prepareStatement") || name.equals("prepareCall"))
                        && args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                return statement(statement, (Connection) proxy, sql, recorder);
            }
            if (result instanceof DatabaseMetaData meta) {
                // so that meta.getConnection() hands back the monitored connection, as the Wrapper contract expects
                return Proxy.newProxyInstance(LOADER, new Class<?>[] {DatabaseMetaData.class},
                        new MetaDataHandler(meta, (Connection) proxy));
            }
            return result;
        }
    }

    private static final class MetaDataHandler implements InvocationHandler {
        private final DatabaseMetaData target;
        private final Connection connection;

        MetaDataHandler(DatabaseMetaData target, Connection connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            Object c = common(proxy, target, method, args);
            if (c != null) {
                return c;
            }
            if (method.getName().equals("getConnection")) {
                JdbcProxies.invoke(target, method, args);
                return connection;
            }
            return JdbcProxies.invoke(target, method, args);
        }
    }

    private static Statement statement(Statement statement, Connection connection, @Nullable String sql,
            JdbcRecorder recorder) {
        Class<?> iface = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        Shape shape = sql == null ? null : recorder.shape(sql);
        return (Statement) Proxy.newProxyInstance(LOADER, new Class<?>[] {iface},
                new StatementHandler(statement, connection, shape, recorder));
    }

    // ------------------------------------------------------------------ statements

    private static final class StatementHandler implements InvocationHandler {
        private final Statement target;
        private final Connection connection;
        private final @Nullable Shape prepared;
        private final JdbcRecorder recorder;
        private @Nullable String batchSql;
        private @Nullable Shape last;
        private boolean wildcardParameter;

        StatementHandler(Statement target, Connection connection, @Nullable Shape prepared, JdbcRecorder recorder) {
            this.target = target;
            this.connection = connection;
            this.prepared = prepared;
            this.recorder = recorder;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            Object c = common(proxy, target, method, args);
            if (c != null) {
                return c;
            }
            String name = method.getName();
            if (name.startsWith("execute")) {
                return execute(proxy, method, args, name);
            }
            switch (name) {
                case "getConnection":
                    JdbcProxies.invoke(target, method, args);
                    return connection;
                case "getResultSet":
                case "getGeneratedKeys":
                    return resultSet(JdbcProxies.invoke(target, method, args), proxy);
                case "addBatch":
                    if (batchSql == null && args != null && args.length == 1 && args[0] instanceof String s) {
                        batchSql = s;
                    }
                    return JdbcProxies.invoke(target, method, args);
                case "clearBatch":
                    batchSql = null;
                    return JdbcProxies.invoke(target, method, args);
                case "setString":
                case "setNString":
                case "setObject":
                    if (prepared != null && prepared.parameterisedLike && args != null && args.length >= 2
                            && args[1] instanceof String s && s.startsWith("%")) {
                        wildcardParameter = true;
                    }
                    return JdbcProxies.invoke(target, method, args);
                default:
                    return JdbcProxies.invoke(target, method, args);
            }
        }

        private @Nullable Object execute(Object proxy, Method method, Object @Nullable [] args, String name)
                throws Throwable {
            Shape shape = shapeOf(args, name);
            RequestRef request = recorder.countQuery();
            @Nullable Scope scope = recorder.openScope(shape, request);
            boolean failed = true;
            long start = System.nanoTime();
            try {
                Object result = JdbcProxies.invoke(target, method, args);
                failed = false;
                last = shape;
                return result instanceof ResultSet ? resultSet(result, proxy) : result;
            } finally {
                long nanos = System.nanoTime() - start;
                if (scope != null) {
                    try {
                        scope.close();
                    } catch (RuntimeException e) {
                        recorder.failed("scope", e);
                    }
                }
                recorder.executed(shape, request, nanos, failed, wildcardParameter, scope != null);
                if (name.contains("Batch")) {
                    batchSql = null;
                }
            }
        }

        private Shape shapeOf(Object @Nullable [] args, String name) {
            if (args != null && args.length > 0 && args[0] instanceof String sql) {
                return recorder.shape(sql);
            }
            if (prepared != null) {
                return prepared;
            }
            String batch = batchSql;
            if (name.contains("Batch") && batch != null) {
                return recorder.shape(batch);
            }
            return recorder.shape("(unknown statement)");
        }

        private @Nullable Object resultSet(@Nullable Object result, Object statementProxy) {
            if (!(result instanceof ResultSet rs)) {
                return result;
            }
            Shape shape = last != null ? last : prepared;
            if (shape == null) {
                return rs;
            }
            return Proxy.newProxyInstance(LOADER, new Class<?>[] {ResultSet.class},
                    new ResultSetHandler(rs, (Statement) statementProxy, shape, recorder));
        }
    }

    // ------------------------------------------------------------------ result sets

    private static final class ResultSetHandler implements InvocationHandler {
        private final ResultSet target;
        private final Statement statement;
        private final Shape shape;
        private final JdbcRecorder recorder;
        private long rows;
        private long nanos;
        private boolean reported;

        ResultSetHandler(ResultSet target, Statement statement, Shape shape, JdbcRecorder recorder) {
            this.target = target;
            this.statement = statement;
            this.shape = shape;
            this.recorder = recorder;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
            Object c = common(proxy, target, method, args);
            if (c != null) {
                return c;
            }
            switch (method.getName()) {
                case "next": {
                    long start = System.nanoTime();
                    boolean more = false;
                    try {
                        more = (Boolean) JdbcProxies.invoke(target, method, args);
                        return more;
                    } finally {
                        nanos += System.nanoTime() - start;
                        if (more) {
                            rows++;
                        } else {
                            report();
                        }
                    }
                }
                case "close":
                    try {
                        return JdbcProxies.invoke(target, method, args);
                    } finally {
                        report();
                    }
                case "getStatement":
                    JdbcProxies.invoke(target, method, args);
                    return statement;
                default:
                    return JdbcProxies.invoke(target, method, args);
            }
        }

        private void report() {
            if (!reported) {
                reported = true;
                recorder.fetched(shape, rows, nanos);
            }
        }
    }
}
