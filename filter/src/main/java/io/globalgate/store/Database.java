package io.globalgate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The connection to the Globalgate schema: the pool, the migrations, one transaction helper and
 * the translation of JDBC failures into {@link StoreUnavailableException} (the database could not
 * answer) or {@link IllegalStateException} (it answered with an error we did not expect).
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final int DEADLOCK_RETRIES = 3;

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A HikariCP pool with short timeouts: a gateway that waits 30 s for a connection holds
     * every client for 30 s; better to answer 503 within two seconds and recover when the
     * database is back.
     */
    public static HikariDataSource pool(String poolName, String jdbcUrl, String user, String password, Duration connectionTimeout) {
        return pool(poolName, jdbcUrl, user, password, connectionTimeout, null);
    }

    /** The same, with the pool's own meters ({@code hikaricp.*}) in a Micrometer {@code MeterRegistry}. */
    public static HikariDataSource pool(String poolName, String jdbcUrl, String user, String password, Duration connectionTimeout,
                                        Object meterRegistry) {
        HikariConfig config = new HikariConfig();
        if (meterRegistry != null) {
            config.setMetricRegistry(meterRegistry);
        }
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(10);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.max(250, Math.min(1000, connectionTimeout.toMillis())));
        // Fail fast only on a wrong configuration; a database that is merely down at start-up is
        // reported by the migration step with its own message.
        config.setInitializationFailTimeout(-1);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /** Where the migrations live in the filter jar; the DBA scripts are the same SQL. */
    public static final String MIGRATIONS = "classpath:io/globalgate/db/migration";
    /** Flyway's record of the applied migrations, in the Globalgate schema. */
    public static final String HISTORY_TABLE = "globalgate_schema_history";

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .load();
    }

    /** Brings the schema to the latest version; both databases run the same migrations. */
    public MigrateResult migrate() {
        try {
            MigrateResult result = flyway().migrate();
            LOG.info("Globalgate schema at version {} ({} migration(s) applied now)",
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    result.migrationsExecuted);
            return result;
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("Globalgate could not migrate its schema: " + rootMessage(e), e);
        }
    }

    /**
     * For {@code migrate=false}: checks, changing nothing, that a DBA brought the schema to the
     * version this release expects. Returns that version; throws {@link IllegalStateException}
     * naming the version found, the version expected and the scripts to apply, or
     * {@link StoreUnavailableException} when the database does not answer.
     */
    public String checkSchemaVersion() {
        MigrationInfoService info;
        try {
            info = flyway().info();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && isUnavailable(sql)) {
                    throw new StoreUnavailableException("Globalgate store unavailable: " + rootMessage(e), e);
                }
            }
            throw new IllegalStateException("Globalgate could not read its schema version (migrate=false): " + rootMessage(e), e);
        }
        MigrationInfo[] all = info.all();
        String expected = all[all.length - 1].getVersion().getVersion();
        String scripts = "apply the scripts io/globalgate/db/dba/mariadb/V*.sql of globalgate-filter (in the jar and the "
                + "source tree: filter/src/main/resources/io/globalgate/db/dba/mariadb/) up to V" + expected
                + ", or start once with migrate=true";
        for (MigrationInfo migration : all) {
            if (migration.getState().isFailed()) {
                throw new IllegalStateException("Globalgate schema: migration V" + migration.getVersion() + " is recorded as failed in "
                        + HISTORY_TABLE + "; repair it, then " + scripts);
            }
        }
        MigrationInfo current = info.current();
        if (current == null) {
            throw new IllegalStateException("Globalgate schema not found (no " + HISTORY_TABLE + " rows) and migrate=false: this version "
                    + "expects schema version " + expected + "; " + scripts);
        }
        String found = current.getVersion().getVersion();
        if (info.pending().length > 0) {
            throw new IllegalStateException("Globalgate schema at version " + found + ", this version expects schema version "
                    + expected + " and migrate=false; " + scripts);
        }
        if (!found.equals(expected)) {
            LOG.warn("Globalgate schema at version {}, newer than the version {} this node expects: fine while nodes are upgraded "
                    + "one by one; upgrade this node too", found, expected);
        } else {
            LOG.info("Globalgate schema at version {}, as expected (migrate=false)", found);
        }
        return expected;
    }

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unit of work in one transaction. */
    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Transaction transaction) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction; retries a deadlock a few times, then gives up. What the
     * work asked to happen after commit happens once, after the attempt that committed.
     */
    public <T> T inTransaction(TransactionWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            Transaction transaction;
            T result;
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    transaction = new Transaction(connection);
                    result = work.run(transaction);
                    connection.commit();
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(connection);
                    throw e;
                } finally {
                    restoreAutoCommit(connection, autoCommit);
                }
            } catch (SQLException e) {
                if (isDeadlock(e) && attempt < DEADLOCK_RETRIES) {
                    LOG.debug("Deadlock on attempt {}; retrying", attempt);
                    continue;
                }
                throw translate(e);
            }
            transaction.committed();
            return result;
        }
    }

    /** Runs {@code work}, which only reads, on one connection in auto-commit mode. */
    public <T> T read(Work<T> work) {
        return onOneConnection(work);
    }

    /**
     * Runs {@code work}, one {@code UPDATE} or {@code DELETE} that is atomic on its own, on one
     * connection in auto-commit mode; returns what it returns (the rows it changed).
     */
    public int update(Work<Integer> work) {
        return onOneConnection(work);
    }

    private <T> T onOneConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Takes a connection out of service for good, because it answered something it was not asked:
     * a Hikari pool closes it instead of lending it again; any other pool gets it aborted.
     */
    public void discard(Connection connection) {
        try {
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(connection);
            } else {
                connection.abort(Runnable::run);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not discard a database connection: {}", e.toString());
        }
    }

    public RuntimeException translate(SQLException e) {
        if (isUnavailable(e)) {
            return new StoreUnavailableException("Globalgate store unavailable: " + rootMessage(e), e);
        }
        return new IllegalStateException("Globalgate store error (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }

    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    static boolean isDeadlock(SQLException e) {
        return "40001".equals(e.getSQLState()) || e.getErrorCode() == 1213 || e.getErrorCode() == 1205;
    }

    /** SQLState class 23 (integrity constraint violation): a unique or primary key already taken. */
    public static boolean isUniqueViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed", e);
        }
    }

    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            LOG.debug("Could not restore auto-commit", e);
        }
    }

    // ---- the one mapping between Instant and the schema's DATETIME(3), in UTC on both databases

    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, java.sql.Types.TIMESTAMP);
        } else {
            statement.setObject(index, LocalDateTime.ofInstant(truncate(instant), ZoneOffset.UTC));
        }
    }

    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** The schema keeps milliseconds; so do the objects we return, so both compare equal. */
    public static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    // ---- nullable numbers

    public static Long getLongOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
