package io.globalgate.gateway;

import org.eclipse.jetty.server.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A gateway built by {@link GatewayServer#createServer} and started on a free port, as {@code main} does. */
final class RunningGateway implements AutoCloseable {

    private final Server server;

    private RunningGateway(Server server) {
        this.server = server;
    }

    static RunningGateway start(GatewayConfig config) throws Exception {
        return start(config, java.time.Clock.systemUTC());
    }

    /** With a clock of the test's own, e.g. a {@code MutableClock} that moves only when told. */
    static RunningGateway start(GatewayConfig config, java.time.Clock clock) throws Exception {
        Server server = GatewayServer.createServer(config, clock);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new RunningGateway(server);
    }

    /** Options as on the command line, after {@code --port 0 --management-port 0}; no environment variables. */
    static GatewayConfig config(String... args) throws GatewayConfig.UsageException {
        List<String> all = new ArrayList<>(List.of("--port", "0", "--management-port", "0"));
        all.addAll(List.of(args));
        return GatewayConfig.parse(all.toArray(String[]::new), Map.of());
    }

    URI uri() {
        return GatewayServer.publicUri(server);
    }

    /** The management listener: {@code /metrics} and {@code /health}. */
    URI managementUri() {
        return GatewayServer.managementUri(server);
    }

    GatewayInfo info() {
        return server.getBean(GatewayInfo.class);
    }

    Server server() {
        return server;
    }

    /** Stops as {@code SIGTERM} does: requests in flight finish, the filter flushes usage, the pool closes. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the gateway stopped", e);
        } catch (Exception e) {
            throw new IllegalStateException("the gateway did not stop cleanly: " + e.getMessage(), e);
        }
    }

    static Path newDataDir() {
        try {
            return Files.createTempDirectory("globalgate-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
