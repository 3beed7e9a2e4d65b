package io.globalgate.testing.jetty;

import io.globalgate.metrics.prometheus.PrometheusMetricsListener;
import io.globalgate.metrics.prometheus.PrometheusScrapeServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.FormAuthenticator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;

import java.io.IOException;
import java.net.URI;

/**
 * A real Jetty with FORM login (a {@code HashLoginService} realm), the Prometheus listener, and
 * the scrape servlet twice: at {@code /metrics} with the init-param {@code role}
 * ({@value #METRICS_ROLE}), at {@code /open} without it. Users: {@value #SCRAPER} in the role,
 * {@value #ADMIN} in {@code globalgate-admin} only; the password of each is its name + "-password-1".
 */
public final class FormLoginScrapeServer implements AutoCloseable {

    public static final String METRICS_ROLE = "globalgate-metrics";
    public static final String SCRAPER = "prometheus";
    public static final String ADMIN = "admin";

    private final Server server;
    private final URI base;

    private FormLoginScrapeServer(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    public static FormLoginScrapeServer start() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        context.setContextPath("/");
        context.addEventListener(new PrometheusMetricsListener());
        ServletHolder guarded = new ServletHolder(new PrometheusScrapeServlet());
        guarded.setInitParameter(PrometheusScrapeServlet.ROLE_PARAM, METRICS_ROLE);
        context.addServlet(guarded, "/metrics");
        context.addServlet(new ServletHolder(new PrometheusScrapeServlet()), "/open");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                res.getWriter().write("<form action=\"j_security_check\"></form>");
            }
        }), "/login.html");
        HashLoginService logins = new HashLoginService("Globalgate admin");
        UserStore users = new UserStore();
        users.addUser(SCRAPER, Credential.getCredential(SCRAPER + "-password-1"), new String[] {METRICS_ROLE});
        users.addUser(ADMIN, Credential.getCredential(ADMIN + "-password-1"), new String[] {"globalgate-admin"});
        logins.setUserStore(users);
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(logins);
        security.setAuthenticator(new FormAuthenticator("/login.html", "/login.html", false));
        ConstraintMapping admin = new ConstraintMapping();
        admin.setPathSpec("/admin/*");
        admin.setConstraint(Constraint.from("globalgate-admin"));
        security.addConstraintMapping(admin);
        server.setHandler(context);
        server.start();
        return new FormLoginScrapeServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
    }

    public URI base() {
        return base;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
