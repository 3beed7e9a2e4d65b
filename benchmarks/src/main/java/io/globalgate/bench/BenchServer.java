package io.globalgate.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Java side of {@code bench/run}: one subcommand per set of servers a scenario measures. A
 * serving subcommand starts its servers on 127.0.0.1, prints one {@code READY key=value ...} line
 * and serves until it is stopped (SIGTERM) or the harness that started it is gone; a measuring
 * subcommand runs its trials and prints {@code ROW} lines for the table, then exits.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.globalgate.bench.BenchServer SUBCOMMAND --work-dir DIR [options]
 *   filter       scenarios 1-3: one Jetty, a trivial servlet at /plain/* and, behind the filter, at /api/global/*
 *   cold         scenario 4: the filter with and without its cache, on MariaDB
 *   gateway      scenario 5: the sample gateway with and without its filter, before a trivial upstream
 *   revocation   scenario 6: two gateway nodes on one MariaDB; time from revoke on A to refusal on B
 *   store-scale  scenario 7: cold lookups at 10 000 vs N tokens; the admin token grid's page time
 *   scale-out    scenario 9 (bench/scale-out): nodes on a primary and a binlog replica; what they cost it, revocation reach
 *   leak-report  a signed secret scanning report of 1,000 tokens: time to the answer (live, replayed, unknown)
 * </pre>
 *
 * Token values go only into files of the work dir (mode 0600); nothing here prints one.
 */
public final class BenchServer {

    /** The address every server binds. Never anything else: the benchmark must not listen on the network. */
    static final String LOOPBACK = "127.0.0.1";

    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: BenchServer filter|cold|gateway|revocation|store-scale|scale-out|leak-report --work-dir DIR [--parent-pid PID] [options]");
            return;
        }
        Options options = Options.parse(args);
        Files.createDirectories(options.workDir());
        Runtime.getRuntime().addShutdownHook(new Thread(BenchServer::closeAll, "bench-stop"));
        options.parentPid().ifPresent(BenchServer::exitWhenGone);
        switch (args[0]) {
            case "filter" -> FilterBench.serveFilter(options);
            case "cold" -> FilterBench.serveCold(options);
            case "gateway" -> GatewayBench.serve(options);
            case "revocation" -> measureAndExit(() -> RevocationReach.run(options));
            case "store-scale" -> measureAndExit(() -> StoreScale.run(options));
            case "scale-out" -> measureAndExit(() -> ScaleOut.run(options));
            case "leak-report" -> measureAndExit(() -> LeakReportBench.run(options));
            default -> {
                System.err.println("unknown subcommand " + args[0]);
                System.exit(2);
            }
        }
    }

    /** Something a measuring subcommand does; it prints its ROW lines itself. */
    @FunctionalInterface
    interface Measurement {
        void run() throws Exception;
    }

    /** Runs a measuring subcommand, then exits (servers, pools and MariaDB stop in the shutdown hook). */
    private static void measureAndExit(Measurement measurement) {
        int code = 0;
        try {
            measurement.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Keeps a serving subcommand up until SIGTERM (the shutdown hook stops what it opened). */
    static void serveForever() throws InterruptedException {
        Thread.currentThread().join();
    }

    /** Closed in reverse order on exit. */
    static synchronized <T extends AutoCloseable> T closeOnExit(T resource) {
        OPEN.push(resource);
        return resource;
    }

    private static synchronized void closeAll() {
        while (!OPEN.isEmpty()) {
            try {
                OPEN.pop().close();
            } catch (Exception e) {
                System.err.println("WARN while stopping: " + e);
            }
        }
    }

    /** If bench/run is killed outright, its trap never runs: do not outlive it. */
    private static void exitWhenGone(long parentPid) {
        Thread watchdog = new Thread(() -> {
            while (true) {
                boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    System.err.println("WARN the harness (pid " + parentPid + ") is gone; stopping");
                    System.exit(3);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    // ---- servers

    /** A Jetty like the sample gateway's: 200 threads at most, 8 at least, one connector on 127.0.0.1. */
    static Server newServer(String name) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName(name);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(LOOPBACK);
        connector.setPort(0);
        server.addConnector(connector);
        return server;
    }

    static Server startStopping(Server server) throws Exception {
        server.start();
        closeOnExit(server::stop);
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** A trivial upstream or application: a small JSON answer, nothing else. */
    static Server trivialServer(String name) throws Exception {
        Server server = newServer(name);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("hello", new HelloServlet()), "/*");
        server.setHandler(context);
        return startStopping(server);
    }

    /** What every measured path ends in: 16 bytes of JSON. */
    static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] BODY = "{\"status\":\"ok\"}\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("application/json");
            res.setContentLength(BODY.length);
            res.getOutputStream().write(BODY);
        }
    }

    /**
     * The harness's side door: {@code GET /NAME?k=v} answers one line of {@code key=value} pairs.
     * A Jetty of its own, so the measured servers carry nothing but what is measured.
     */
    static Server controlServer(Map<String, Function<Map<String, String>, String>> endpoints) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("bench-control");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(LOOPBACK);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("control", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                var endpoint = endpoints.get(req.getPathInfo() == null ? "" : req.getPathInfo().substring(1));
                if (endpoint == null) {
                    res.sendError(404, "endpoints: " + endpoints.keySet());
                    return;
                }
                Map<String, String> params = new HashMap<>();
                req.getParameterMap().forEach((k, v) -> params.put(k, v[0]));
                String answer;
                try {
                    answer = endpoint.apply(params);
                } catch (RuntimeException e) {
                    res.sendError(500, e.toString());
                    return;
                }
                res.setContentType("text/plain;charset=utf-8");
                res.getWriter().println(answer);
            }
        }), "/*");
        server.setHandler(context);
        return startStopping(server);
    }

    // ---- files

    /** Writes lines to a new file readable by its owner only (tokens are secrets). */
    static Path writeSecretLines(Path file, List<String> lines) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        closeOnExit(() -> Files.deleteIfExists(file));
        Files.write(file, lines, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    static void ready(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder("READY");
        fields.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.flush();
    }

    static Map<String, Object> fields() {
        return new LinkedHashMap<>();
    }

    /** {@code --name value} pairs after the subcommand. */
    record Options(Map<String, String> values) {
        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("options are --name value pairs; got " + args[i]);
                }
                values.put(args[i].substring(2), args[++i]);
            }
            if (!values.containsKey("work-dir")) {
                throw new IllegalArgumentException("--work-dir is required (a private temporary folder)");
            }
            return new Options(values);
        }

        Path workDir() {
            return Path.of(values.get("work-dir"));
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        int getInt(String name, int fallback) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        }

        java.util.Optional<Long> parentPid() {
            return values.containsKey("parent-pid") ? java.util.Optional.of(Long.parseLong(values.get("parent-pid")))
                    : java.util.Optional.empty();
        }
    }
}
