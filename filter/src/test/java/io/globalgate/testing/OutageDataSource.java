package io.globalgate.testing;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;

/**
 * A real DataSource that a test can take down: while down, every new connection fails as a pool
 * fails when the database server is gone (SQLState 08001), so the store reports
 * {@code StoreUnavailableException} through its own translation, not through a stub.
 */
public final class OutageDataSource implements DataSource {

    private final DataSource delegate;
    private volatile boolean down;

    public OutageDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    public void down() {
        setDown(true);
    }

    public void up() {
        setDown(false);
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseIfDown();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseIfDown();
        return delegate.getConnection(username, password);
    }

    private void refuseIfDown() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("test: the database is down", "08001");
        }
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
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
