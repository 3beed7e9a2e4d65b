package io.globalgate.bench;

import io.globalgate.filter.ContextAttributes;
import io.globalgate.gateway.GatewayConfig;
import io.globalgate.gateway.GatewayServer;
import io.globalgate.store.GlobalgateStore;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.server.Server;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scenario 5: the sample gateway as {@code GatewayServer.createServer} builds it, in front of a
 * trivial upstream, against the very same server with its token filter taken out before start
 * (same proxy servlet, thread pool, security handler and sessions), and against one where a
 * pass-through filter stands in its place (see {@link #replaceFilter}).
 */
final class GatewayBench {

    static final String FILTER_NAME = "globalgate";

    private GatewayBench() {
    }

    static void serve(BenchServer.Options o) throws Exception {
        Path work = o.workDir();
        Server upstream = BenchServer.trivialServer("bench-upstream");
        URI upstreamUri = URI.create("http://" + BenchServer.LOOPBACK + ":" + BenchServer.port(upstream));
        String password = randomPassword();

        Server with = BenchServer.startStopping(GatewayServer.createServer(config(work.resolve("gateway-with"), upstreamUri, password, null)));
        Server without = GatewayServer.createServer(config(work.resolve("gateway-without"), upstreamUri, password, null));
        removeFilter(without);
        BenchServer.startStopping(without);
        Server anonymous = GatewayServer.createServer(config(work.resolve("gateway-anonymous"), upstreamUri, password, null));
        replaceFilter(anonymous);
        BenchServer.startStopping(anonymous);

        AdminClient admin = new AdminClient(uri(with), "admin", password);
        long integration = admin.createIntegration("Benchmark");
        AdminClient.Issued token = admin.createToken(integration, "bench");
        Path tokenFile = BenchServer.writeSecretLines(work.resolve("token.txt"), List.of(token.value()));

        var ready = BenchServer.fields();
        ready.put("with", BenchServer.port(with));
        ready.put("without", BenchServer.port(without));
        ready.put("anonymous", BenchServer.port(anonymous));
        ready.put("upstream", BenchServer.port(upstream));
        ready.put("token-file", tokenFile);
        BenchServer.ready(ready);
        BenchServer.serveForever();
    }

    /** The sample gateway's options as its command line would give them; the environment is not read. */
    static GatewayConfig config(Path dataDir, URI upstream, String adminPassword, String jdbcUrl) throws GatewayConfig.UsageException {
        List<String> args = new ArrayList<>(List.of("--host", BenchServer.LOOPBACK, "--port", "0", "--management-port", "0", "--data-dir", dataDir.toString(),
                "--upstream-url", upstream.toString(), "--admin-password", adminPassword));
        if (jdbcUrl != null) {
            args.addAll(List.of("--jdbc-url", jdbcUrl, "--jdbc-user", "root"));
        }
        return GatewayConfig.parse(args.toArray(String[]::new), Map.of());
    }

    static URI uri(Server server) {
        return URI.create("http://" + BenchServer.LOOPBACK + ":" + BenchServer.port(server) + "/");
    }

    /**
     * Takes the token filter out of an unstarted sample gateway; everything else stays as built.
     * The filter is what migrates the gateway's schema at start-up, so that is done here instead
     * (the admin's notification sender polls its tables).
     */
    /** The gateway's public context (the one with the token filter), not its management listener's. */
    private static ServletContextHandler publicContext(Server gateway) {
        return gateway.getDescendants(ServletContextHandler.class).stream()
                .filter(c -> Arrays.stream(c.getServletHandler().getFilters()).anyMatch(h -> FILTER_NAME.equals(h.getName())))
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "the sample gateway has no filter named '" + FILTER_NAME + "' any more; update GatewayBench"));
    }

    static void removeFilter(Server gateway) {
        ServletContextHandler context = publicContext(gateway);
        migrate(context);
        ServletHandler handler = context.getServletHandler();
        FilterMapping[] mappings = Arrays.stream(handler.getFilterMappings())
                .filter(m -> !FILTER_NAME.equals(m.getFilterName())).toArray(FilterMapping[]::new);
        FilterHolder[] holders = Arrays.stream(handler.getFilters())
                .filter(h -> !FILTER_NAME.equals(h.getName())).toArray(FilterHolder[]::new);
        if (holders.length == handler.getFilters().length) {
            throw new IllegalStateException("the sample gateway has no filter named '" + FILTER_NAME + "' any more; update GatewayBench");
        }
        handler.setFilterMappings(mappings);
        handler.setFilters(holders);
    }

    /**
     * Puts a pass-through filter in place of the token filter. Its request answers
     * {@code getUserPrincipal()} with null itself, as the token filter's answers with the
     * integration: without it, the proxy servlet's call asks Jetty's security handler for a
     * deferred login on every request, a cost the real gateway never pays.
     */
    static void replaceFilter(Server gateway) {
        ServletContextHandler context = publicContext(gateway);
        migrate(context);
        for (FilterHolder holder : context.getServletHandler().getFilters()) {
            if (FILTER_NAME.equals(holder.getName())) {
                holder.setFilter((req, res, chain) -> chain.doFilter(new jakarta.servlet.http.HttpServletRequestWrapper(
                        (jakarta.servlet.http.HttpServletRequest) req) {
                    @Override
                    public java.security.Principal getUserPrincipal() {
                        return null;
                    }
                }, res));
                return;
            }
        }
        throw new IllegalStateException("the sample gateway has no filter named '" + FILTER_NAME + "' any more; update GatewayBench");
    }

    private static void migrate(ServletContextHandler context) {
        if (!(context.getAttribute(ContextAttributes.STORE) instanceof GlobalgateStore store)) {
            throw new IllegalStateException("the sample gateway no longer puts its store in " + ContextAttributes.STORE + "; update GatewayBench");
        }
        store.migrate();
    }

    static String randomPassword() {
        SecureRandom random = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
