package io.globalgate.filter;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A real database that a test can make unreachable: while {@link #down()} every new connection
 * fails the way a pool does when the server is gone (SQLState 08001), so the store reports
 * {@code StoreUnavailableException} through its own translation, not through a stub.
 */
final class SwitchableDataSource implements DataSource {

    private final DataSource delegate;
    private final AtomicBoolean down = new AtomicBoolean();

    SwitchableDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void down() {
        down.set(true);
    }

    void up() {
        down.set(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (down.get()) {
            throw new SQLTransientConnectionException("test: database switched off", "08001");
        }
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        if (down.get()) {
            throw new SQLTransientConnectionException("test: database switched off", "08001");
        }
        return delegate.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return delegate.isWrapperFor(type);
    }
}
