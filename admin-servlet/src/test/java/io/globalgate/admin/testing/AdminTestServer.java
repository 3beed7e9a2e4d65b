package io.globalgate.admin.testing;

import io.globalgate.admin.AdminConfig;
import io.globalgate.admin.GlobalgateAdminServlet;
import io.globalgate.admin.store.ManagementStore;
import io.globalgate.filter.ContextAttributes;
import io.globalgate.filter.GlobalTokenFilter;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.validation.InputValidator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.security.authentication.FormAuthenticator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;

/**
 * A real Jetty with the admin servlet at {@code /admin/*} behind HTTP Basic and a test login
 * service, and the token filter in front of a tiny endpoint at {@code /api/global/*}, sharing one
 * store, as an application that embeds both would. Users: {@code admin}/{@code admin-secret} in
 * the admin role, {@code viewer}/{@code viewer-secret} without it.
 */
public final class AdminTestServer implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String VIEWER = "viewer";
    public static final String VIEWER_PASSWORD = "viewer-secret";

    private final Server server;
    private final ManagementStore store;
    private final GlobalTokenFilter filter;

    private AdminTestServer(Server server, ManagementStore store, GlobalTokenFilter filter) {
        this.server = server;
        this.store = store;
        this.filter = filter;
    }

    public static AdminTestServer start(DataSource dataSource, Clock clock, Map<String, String> adminParams) throws Exception {
        return start(dataSource, clock, adminParams, false, false);
    }

    /**
     * As the README's FORM variant of {@code web.xml} sets it up: the pages constrained, the JSON
     * API under {@code /admin/api/*} left to the admin servlet, which signs scripts in itself.
     */
    public static AdminTestServer startWithTheApiUnconstrained(DataSource dataSource, Clock clock) throws Exception {
        return start(dataSource, clock, Map.of(), true, false);
    }

    /**
     * The README's FORM variant as Jetty runs it: the pages behind Jetty's {@code FormAuthenticator},
     * which keeps a sign-in in a session, and the JSON API left to the admin servlet's Basic sign-in.
     */
    public static AdminTestServer startWithFormLoginAndTheApiUnconstrained(DataSource dataSource, Clock clock) throws Exception {
        return start(dataSource, clock, Map.of(), true, true);
    }

    private static AdminTestServer start(DataSource dataSource, Clock clock, Map<String, String> adminParams, boolean apiUnconstrained,
            boolean formLogin) throws Exception {
        ManagementStore store = new ManagementStore(new GlobalgateStore(dataSource, clock).migrate(), new InputValidator(clock, null));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        context.setContextPath("/");
        context.setAttribute(ContextAttributes.STORE, store.shared());
        context.setAttribute(ContextAttributes.CLOCK, clock);
        context.setAttribute(ContextAttributes.METER_REGISTRY, new SimpleMeterRegistry());

        HashLoginService logins = new HashLoginService("Globalgate admin");
        UserStore users = new UserStore();
        users.addUser(ADMIN, Credential.getCredential(ADMIN_PASSWORD), new String[] {"globalgate-admin"});
        users.addUser(VIEWER, Credential.getCredential(VIEWER_PASSWORD), new String[] {"viewer"});
        logins.setUserStore(users);
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(logins);
        security.setAuthenticator(formLogin ? new FormAuthenticator("/login", "/login?error=1", false) : new BasicAuthenticator());
        ConstraintMapping admin = new ConstraintMapping();
        admin.setPathSpec("/admin/*");
        admin.setConstraint(Constraint.ANY_USER);
        security.addConstraintMapping(admin);
        if (apiUnconstrained) {
            ConstraintMapping api = new ConstraintMapping();
            api.setPathSpec("/admin/api/*");
            api.setConstraint(Constraint.ALLOWED);
            security.addConstraintMapping(api);
        }

        context.addServlet(new ServletHolder("admin", new GlobalgateAdminServlet(AdminConfig.fromMap(adminParams))), "/admin/*");
        // Usage is written when the server stops, not every 10 s: a flush in the background could
        // land between a test's two snapshots of the store and look like a write by the admin.
        GlobalTokenFilter tokenFilter = new GlobalTokenFilter(TokenFilterConfig.builder()
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, "100ms").set(TokenFilterConfig.USAGE_FLUSH_INTERVAL, "1h").build());
        FilterHolder filter = new FilterHolder(tokenFilter);
        filter.setName("globalgate");
        context.addFilter(filter, "/api/global/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("echo", new EchoServlet()), "/api/global/*");

        server.setHandler(context);
        server.start();
        return new AdminTestServer(server, store, tokenFilter);
    }

    public URI uri() {
        return server.getURI().resolve("/");
    }

    public URI admin() {
        return uri().resolve("/admin/");
    }

    public ManagementStore store() {
        return store;
    }

    /** The token filter in front of {@code /api/global/*}, to write what it gathered when a test says so. */
    public GlobalTokenFilter filter() {
        return filter;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** The "Global API" behind the filter: says who called. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("application/json");
            res.getWriter().write("{\"integration\":\"" + req.getUserPrincipal().getName().replace("\"", "\\\"") + "\"}");
        }
    }
}
