package io.globalgate.testing;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Wraps a real DataSource and fails chosen statements or commits, so tests can prove that an
 * action which fails halfway leaves nothing behind and tells no listener, and that a deadlock
 * retry does not report the failed attempt. It can also make a connection answer another
 * question than the one asked (a connection out of step with its server), and counts the
 * connections the code then aborts instead of aborting the real, pooled ones.
 */
public final class FaultyDataSource {

    private final DataSource real;
    private volatile Predicate<String> failingStatement = sql -> false;
    private final AtomicInteger commitsToFail = new AtomicInteger();
    private volatile String commitFailureState = "HY000";
    private volatile UnaryOperator<String> rewrite = UnaryOperator.identity();
    private final AtomicInteger aborted = new AtomicInteger();

    public FaultyDataSource(DataSource real) {
        this.real = real;
    }

    public void reset() {
        failingStatement = sql -> false;
        commitsToFail.set(0);
        rewrite = UnaryOperator.identity();
        aborted.set(0);
    }

    /** Statements are prepared with {@code sql} changed thus: the connection answers another question. */
    public void rewriteStatements(UnaryOperator<String> sql) {
        rewrite = sql;
    }

    /** Connections the code under test aborted (Connection.abort), since the last reset. */
    public int aborted() {
        return aborted.get();
    }

    /** Statements whose SQL matches fail when executed (the predicate may count calls). */
    public void failStatements(Predicate<String> sql) {
        failingStatement = sql;
    }

    /** The next {@code n} commits fail with {@code sqlState} (40001 is what a deadlock reports). */
    public void failCommits(int n, String sqlState) {
        commitFailureState = sqlState;
        commitsToFail.set(n);
    }

    public DataSource dataSource() {
        return proxy(DataSource.class, (p, m, args) -> {
            Object result = invoke(real, m, args);
            return m.getName().equals("getConnection") ? connection((Connection) result) : result;
        });
    }

    private Connection connection(Connection connection) {
        return proxy(Connection.class, (p, m, args) -> {
            if (m.getName().equals("commit") && commitsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("injected commit failure", commitFailureState, "40001".equals(commitFailureState) ? 1213 : 0);
            }
            if (m.getName().equals("abort")) {
                aborted.incrementAndGet(); // the fault was this wrapper's: the real connection stays in its pool
                return null;
            }
            if (m.getName().equals("prepareStatement")) {
                args[0] = rewrite.apply((String) args[0]);
            }
            Object result = invoke(connection, m, args);
            if (m.getName().equals("prepareStatement")) {
                return statement((PreparedStatement) result, (String) args[0]);
            }
            return result;
        });
    }

    private PreparedStatement statement(PreparedStatement statement, String sql) {
        return proxy(PreparedStatement.class, (p, m, args) -> {
            if (m.getName().startsWith("execute") && failingStatement.test(sql)) {
                throw new SQLException("injected failure of " + sql, "HY000");
            }
            return invoke(statement, m, args);
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[]{type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
