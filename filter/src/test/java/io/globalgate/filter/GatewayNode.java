package io.globalgate.filter;

import io.globalgate.store.GlobalgateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

/**
 * One gateway node: an embedded Jetty on a free port with the Globalgate filter in front of
 * {@code /api/*}, whose servlet answers with the integration's name. Each node has its own
 * meter registry and, when given one, its own store; without one the filter opens its own pool
 * from {@code jdbcUrl}.
 *
 * <p>Every Jetty type is kept in a nested class, and this class lives outside the cluster
 * package: a {@code -Dtest} selection also reaches the {@code tomcat-test} execution, whose
 * classpath has no Jetty, and JUnit must be able to inspect every class it is handed there.
 */
public final class GatewayNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final AutoCloseable server;
    private final URI base;
    private final MeterRegistry registry;

    private GatewayNode(String name, AutoCloseable server, URI base, MeterRegistry registry) {
        this.name = name;
        this.server = server;
        this.base = base;
        this.registry = registry;
    }

    public URI uri() {
        return base;
    }

    /** The sum of the node's counters of this name (and tag, when given): what a Prometheus scrape would read. */
    public double meter(String name, String... tag) {
        var search = registry.find(name);
        if (tag.length == 2) {
            search = search.tag(tag[0], tag[1]);
        }
        return search.functionCounters().stream().mapToDouble(c -> c.count()).sum()
                + search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    public static GatewayNode start(String name, TokenFilterConfig config, GlobalgateStore store) throws Exception {
        return Jetty.start(name, config, store);
    }

    /** {@code GET /api/v1/system/status} with {@code Authorization: Bearer <token>}. */
    public HttpResponse<String> get(String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/system/status"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public int status(String token) throws IOException, InterruptedException {
        return get(token).statusCode();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("could not stop " + this, e);
        }
    }

    @Override
    public String toString() {
        return "node " + name + " at " + base;
    }

    /** Every Jetty type stays in here, so the enclosing class loads and links without Jetty. */
    private static final class Jetty {

        static GatewayNode start(String name, TokenFilterConfig config, GlobalgateStore store) throws Exception {
            MeterRegistry registry = new SimpleMeterRegistry();
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);

            ServletContextHandler context = new ServletContextHandler("/");
            context.addEventListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    event.getServletContext().setAttribute(ContextAttributes.METER_REGISTRY, registry);
                    if (store != null) {
                        event.getServletContext().setAttribute(ContextAttributes.STORE, store);
                    }
                }
            });
            context.addFilter(new FilterHolder(new GlobalTokenFilter(config)), "/api/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    response.setContentType("text/plain;charset=utf-8");
                    response.getWriter().write("hello " + request.getUserPrincipal().getName());
                }
            }), "/api/*");
            server.setHandler(context);
            server.start();
            if (!context.isAvailable()) {
                server.stop();
                throw new IllegalStateException("gateway node " + name + " did not start: its context is unavailable (see the log)");
            }
            return new GatewayNode(name, server::stop, URI.create("http://127.0.0.1:" + connector.getLocalPort()), registry);
        }
    }
}
