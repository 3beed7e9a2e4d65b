package io.globalgate.gateway;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.admin.AdminConfig;
import io.globalgate.admin.GlobalgateAdminServlet;
import io.globalgate.admin.PublicLeakServlet;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.GlobalTokenFilter;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.net.ClientAddress;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.SessionTrackingMode;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Builds the sample gateway: {@code /api/global/*} through the token filter to the upstream
 * Global API, {@code /admin/} (form login) and {@code /admin/api/v1/} (HTTP Basic) for the admin
 * user, {@code /health}; {@code /metrics} and {@code /health} on the management listener (loopback by default). With no JDBC URL the store is an H2 file database in
 * the data dir; with no upstream URL a demo Global API answers on its own loopback port.
 */
public final class GatewayServer {

    public static final String ADMIN_ROLE = "globalgate-admin";

    private static final String ADMIN_API_PREFIX = "/admin/api/";
    /** The largest request head (request line and headers) the public connector reads: Jetty's default. */
    static final int REQUEST_HEADER_SIZE = 8 * 1024;
    private static final String PUBLIC_PREFIX = "/public/";
    private static final String PUBLIC_CONNECTOR = "public";
    private static final String MANAGEMENT_CONNECTOR = "management";

    private GatewayServer() {
    }

    /** An unstarted server; {@code server.getBean(GatewayInfo.class)} says what it will serve. */
    public static Server createServer(GatewayConfig config) {
        return createServer(config, UnaryOperator.identity(), Clock.systemUTC());
    }

    /**
     * The same, with the store reading its database through {@code storeDataSource} applied to the
     * pool: how the soak plants a fault between the store and MariaDB (a change feed that reads
     * nothing) to show that its checker catches it. The pool itself is opened and closed as usual.
     */
    public static Server createServer(GatewayConfig config, UnaryOperator<DataSource> storeDataSource) {
        return createServer(config, storeDataSource, Clock.systemUTC());
    }

    /** With the clock the store and the login throttle read (tests move it instead of sleeping). */
    static Server createServer(GatewayConfig config, Clock clock) {
        return createServer(config, UnaryOperator.identity(), clock);
    }

    private static Server createServer(GatewayConfig config, UnaryOperator<DataSource> storeDataSource, Clock clock) {
        try {
            Files.createDirectories(config.dataDir());
            // The database and the admin password hash: for the gateway's own user only.
            Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; its own permissions apply
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + config.dataDir() + ": " + e.getMessage(), e);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics())
                .forEach(binder -> binder.bindTo(registry));

        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), 8);
        threads.setName("gateway");
        Server server = new Server(threads);
        new JettyServerThreadPoolMetrics(threads, List.of()).bindTo(registry);
        HttpConfiguration http = new HttpConfiguration();
        // No "Server: Jetty(12...)" nor X-Powered-By: the version tells an attacker which holes to try.
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Behind a TLS-terminating proxy of --trusted-proxies: HTTPS as the proxy says (Secure cookie, https origin).
        http.addCustomizer(new TrustedProxyScheme(new ClientAddress(config.trustedProxies())));
        http.setRequestHeaderSize(REQUEST_HEADER_SIZE);
        // Header values pass byte for byte: Jetty's parser would otherwise hand out its cached
        // "charset=utf-8" for a client's "charset=UTF-8".
        http.setHeaderCacheCaseSensitive(true);
        // The upstream's response heads (up to the proxy's limit) fit in the gateway's.
        http.setResponseHeaderSize(GlobalApiProxyServlet.MAX_RESPONSE_HEADERS_SIZE + 16 * 1024);
        http.setMaxResponseHeaderSize(GlobalApiProxyServlet.MAX_RESPONSE_HEADERS_SIZE + 16 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setName(PUBLIC_CONNECTOR);
        connector.setHost(config.host());
        connector.setPort(config.port());
        // A client waiting on a silent upstream is silent too: it must not be cut before the upstream timeout answers it.
        connector.setIdleTimeout(Math.max(config.idleTimeout().toMillis(), config.upstreamTimeout().plusSeconds(1).toMillis()));
        // A head trickled in a line at a time is never idle: it gets --request-head-timeout from its first byte.
        RequestHeadDeadline headDeadline = new RequestHeadDeadline(config.requestHeadTimeout(), connector::getScheduler);
        connector.addEventListener(headDeadline);
        // One address cannot hold every connection: the next beyond --max-connections-per-address is closed at accept.
        ConnectionsPerAddress perAddress = new ConnectionsPerAddress(config.maxConnectionsPerAddress(),
                new ClientAddress(config.trustedProxies()));
        connector.getSelectorManager().addEventListener(perAddress);
        server.addConnector(connector);
        ServerConnector management = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration(http)));
        management.setName(MANAGEMENT_CONNECTOR);
        management.setHost(config.managementHost());
        management.setPort(config.managementPort());
        management.setIdleTimeout(config.idleTimeout().toMillis());
        server.addConnector(management);
        server.setErrorHandler(new GatewayErrorHandler(ADMIN_API_PREFIX, PUBLIC_PREFIX));
        server.setStopAtShutdown(true);
        server.setStopTimeout(Duration.ofSeconds(15).toMillis());

        HikariDataSource pool = Database.pool("globalgate", config.effectiveJdbcUrl(),
                config.embeddedDatabase() ? "sa" : config.jdbcUser(), config.embeddedDatabase() ? "" : config.jdbcPassword(),
                Duration.ofSeconds(2), registry);
        GlobalgateStore store = new GlobalgateStore(storeDataSource.apply(pool), clock);

        AdminCredentials.Loaded credentials;
        try {
            credentials = AdminCredentials.load(config.dataDir(), config.adminPassword());
        } catch (IOException e) {
            pool.close();
            throw new UncheckedIOException("cannot read or write the admin password in " + config.dataDir() + ": " + e.getMessage(), e);
        }

        Server demo = config.upstreamUrl() == null ? demoServer() : null;
        // The demo's address is known once it has started; it is read then, once, not per request
        // (a stopping server no longer knows its URI).
        AtomicReference<URI> demoUri = new AtomicReference<>();
        Supplier<URI> upstream = demo == null ? config::upstreamUrl : demoUri::get;

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        context.setContextPath("/");
        context.setVirtualHosts(List.of("@" + PUBLIC_CONNECTOR));
        context.setAttribute(ContextAttributes.STORE, store);
        context.setAttribute(ContextAttributes.METER_REGISTRY, registry);
        context.setAttribute(ContextAttributes.CLOCK, clock);
        // Cookies only: a session id in a URL (";jsessionid=" on the login redirect) ends up in logs and Referer headers.
        // The largest form of the admin pages is a few kilobytes; nothing may post more.
        context.setMaxFormContentSize(64 * 1024);
        context.getSessionHandler().setSessionTrackingModes(Set.of(SessionTrackingMode.COOKIE));
        context.getSessionHandler().setHttpOnly(true);
        context.getSessionHandler().setSameSite(org.eclipse.jetty.http.HttpCookie.SameSite.STRICT);
        context.getSessionHandler().setMaxInactiveInterval((int) Duration.ofHours(8).toSeconds());
        // Only the admin reads the session: with Path=/ a browser sent the admin's session cookie with its
        // requests to /api/global/, and the proxy passed it on to the upstream with the client's other cookies.
        context.getSessionHandler().getSessionCookieConfig().setPath("/admin");
        // auto: Secure when the request came over HTTPS (Jetty's rule); always: behind a TLS proxy on plain HTTP.
        context.getSessionHandler().setSecureRequestOnly(!config.secureCookies().equals("never"));
        context.getSessionHandler().setSecureCookies(config.secureCookies().equals("always"));
        SessionHandler sessions = context.getSessionHandler();
        FunctionCounter.builder("globalgate.gateway.sessions.started", sessions, SessionHandler::getSessionsCreated)
                .description("server sessions created (a session is created by a sign-in only)").register(registry);
        FunctionCounter.builder("globalgate.gateway.connections.refused", perAddress, ConnectionsPerAddress::refused)
                .description("connections closed at accept: their address had --max-connections-per-address open").register(registry);
        FunctionCounter.builder("globalgate.gateway.request.head.timeouts", headDeadline, RequestHeadDeadline::closed)
                .description("connections closed because a request head was not whole within --request-head-timeout").register(registry);

        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(new AdminLoginService("Globalgate admin", config.adminUser(), ADMIN_ROLE, credentials.credentials()));
        LoginThrottle throttle = new LoginThrottle(clock, Set.of(config.adminUser()));
        security.setAuthenticator(new BasicOrFormAuthenticator("/login", "/login?error=1", ADMIN_API_PREFIX, throttle,
                new ClientAddress(config.trustedProxies())));
        // A refused Basic login (and any other error Jetty writes) on the JSON API in its error shape.
        context.setErrorHandler(new GatewayErrorHandler(ADMIN_API_PREFIX, PUBLIC_PREFIX));
        security.addConstraintMapping(mapping("/admin/*", Constraint.from(ADMIN_ROLE)));
        security.addConstraintMapping(mapping("/admin/static/*", Constraint.ALLOWED));
        security.addConstraintMapping(mapping("/login", Constraint.ALLOWED));

        // The same proxies as the gateway's: the client address an allowed network is checked against.
        TokenFilterConfig.Builder filterConfig = TokenFilterConfig.builder()
                .set(TokenFilterConfig.TRUSTED_PROXIES, config.trustedProxies().toString());
        config.filterParams().forEach(filterConfig::set);
        FilterHolder filter = new FilterHolder(new GlobalTokenFilter(filterConfig.build()));
        filter.setName("globalgate");
        context.addFilter(filter, "/api/global/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder proxy = new ServletHolder("global-api-proxy",
                new GlobalApiProxyServlet(upstream, config.upstreamTimeout(), new ClientAddress(config.trustedProxies())));
        proxy.setInitOrder(2);
        context.addServlet(proxy, "/api/global/*");

        ServletHolder admin = new ServletHolder("admin", new GlobalgateAdminServlet(AdminConfig.fromMap(config.adminParams())));
        admin.setInitOrder(1);
        context.addServlet(admin, "/admin/*");
        // Without an admin sign-in: GitHub's signed leak reports and revocation by value.
        ServletHolder publicLeaks = new ServletHolder("public-leaks", new PublicLeakServlet(config.publicLeakParams()));
        publicLeaks.setInitOrder(3);
        context.addServlet(publicLeaks, PUBLIC_PREFIX + "v1/*");
        context.addServlet(new ServletHolder("login", new LoginPageServlet()), "/login");
        // The public port keeps /health for a load balancer; /metrics only on the management listener.
        context.addServlet(new ServletHolder("health", new HealthServlet(store.database())), "/health");

        ServletContextHandler managementContext = new ServletContextHandler();
        managementContext.setContextPath("/");
        managementContext.setVirtualHosts(List.of("@" + MANAGEMENT_CONNECTOR));
        managementContext.setErrorHandler(new GatewayErrorHandler(ADMIN_API_PREFIX, PUBLIC_PREFIX));
        managementContext.addServlet(new ServletHolder("metrics", new MetricsServlet(registry)), "/metrics");
        managementContext.addServlet(new ServletHolder("health", new HealthServlet(store.database())), "/health");

        // In-flight requests finish on stop; then the filter flushes usage; then the pool closes.
        // A body trickled in byte by byte must not hold a pool thread: forms, the JSON API and the proxied API alike.
        server.setHandler(new GracefulHandler(new RequestDataRateGuard(config.minRequestDataRate(),
                new UnknownCharsetGuard(new MethodGuard("/api/global/", ADMIN_API_PREFIX,
                        new SecurityHeaders("/api/global/", new ContextHandlerCollection(context, managementContext)))))));
        if (demo != null) {
            // Not a managed bean: the demo must outlive the gateway's graceful stop, when requests in
            // flight are still being proxied to it. It starts before the gateway and stops after it.
            server.addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    try {
                        demo.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("the demo Global API could not start: " + e.getMessage(), e);
                    }
                    demoUri.set(demo.getURI().resolve("/"));
                }

                @Override
                public void lifeCycleStopped(LifeCycle event) {
                    stopQuietly(demo);
                }

                @Override
                public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                    stopQuietly(demo);
                }
            });
        }
        String database = config.embeddedDatabase() ? "H2 (embedded) at " + config.dataDir().resolve("globalgate.mv.db")
                : "MariaDB at " + config.maskedJdbcUrl();
        server.addBean(throttle, false);
        server.addBean(credentials.credentials(), false);
        server.addBean(new GatewayInfo(config.dataDir(), database, config.embeddedDatabase(), config.adminUser(),
                credentials.generatedPassword(), credentials.fromFile(), upstream, demo != null), false);
        server.addEventListener(new LifeCycle.Listener() {
            private volatile boolean started;

            @Override
            public void lifeCycleStarted(LifeCycle event) {
                started = true;
            }

            @Override
            public void lifeCycleFailure(LifeCycle event, Throwable cause) {
                // A password generated by a start that failed (port in use, say) was never shown; keeping
                // its hash would lock the admin out. The next start generates and prints a new one.
                if (!started && credentials.generatedPassword() != null) {
                    AdminCredentials.discard(config.dataDir());
                }
            }

            @Override
            public void lifeCycleStopped(LifeCycle event) {
                pool.close();
                registry.close();
            }
        });
        return server;
    }

    /** The management listener's base URI ({@code /metrics}, {@code /health}) of a started server. */
    public static URI managementUri(Server server) {
        for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc && MANAGEMENT_CONNECTOR.equals(sc.getName())) {
                String host = sc.getHost() == null || sc.getHost().equals("0.0.0.0") ? "127.0.0.1" : sc.getHost();
                return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + sc.getLocalPort() + "/");
            }
        }
        throw new IllegalStateException("no management listener");
    }

    /** The public listener's base URI of a started server. */
    public static URI publicUri(Server server) {
        for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc && PUBLIC_CONNECTOR.equals(sc.getName())) {
                String host = sc.getHost() == null || sc.getHost().equals("0.0.0.0") ? "127.0.0.1" : sc.getHost();
                return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + sc.getLocalPort() + "/");
            }
        }
        throw new IllegalStateException("no public listener");
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LoggerFactory.getLogger(GatewayServer.class).debug("The demo Global API did not stop cleanly", e);
        }
    }

    private static ConstraintMapping mapping(String path, Constraint constraint) {
        ConstraintMapping mapping = new ConstraintMapping();
        mapping.setPathSpec(path);
        mapping.setConstraint(constraint);
        return mapping;
    }

    private static Server demoServer() {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("demo-global-api");
        Server demo = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // the proxy passes the demo's headers on as an upstream's
        ServerConnector connector = new ServerConnector(demo, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        demo.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("demo", new DemoGlobalApi()), "/*");
        context.setErrorHandler(new GatewayErrorHandler(ADMIN_API_PREFIX, PUBLIC_PREFIX));
        demo.setErrorHandler(new GatewayErrorHandler(ADMIN_API_PREFIX, PUBLIC_PREFIX));
        demo.setHandler(context);
        return demo;
    }
}
