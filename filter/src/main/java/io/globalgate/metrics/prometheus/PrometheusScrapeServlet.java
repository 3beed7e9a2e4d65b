package io.globalgate.metrics.prometheus;

import io.globalgate.filter.BasicSignIn;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a Prometheus scrape with the registry of the {@link PrometheusMetricsListener}. Map it
 * in {@code web.xml} (e.g. {@code /metrics}) behind a {@code <security-constraint>}: the meters
 * name integrations and say how the gateway is used. Where the application signs people in with
 * a login form, which Prometheus cannot fill in, leave the scrape without a constraint and give
 * the servlet the init-param {@value #ROLE_PARAM}: it then signs the scraper in with its HTTP
 * Basic credentials itself, checked by the container's realm, and answers {@code 401} without
 * them and {@code 403} to a user not in that role.
 */
public class PrometheusScrapeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The init-param naming the role a scraper must have, when the servlet checks it itself. */
    public static final String ROLE_PARAM = "role";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("Cache-Control", "no-store");
        String role = getInitParameter(ROLE_PARAM);
        if (role == null || role.isBlank()) {
            scrape(res);
            return;
        }
        boolean hadSession = req.getSession(false) != null;
        boolean signedIn = req.getRemoteUser() == null && BasicSignIn.signIn(req);
        try {
            if (req.getRemoteUser() == null) {
                res.setHeader("WWW-Authenticate", "Basic realm=\"Globalgate metrics\"");
                plain(res, 401, "Sign in first: the scrape needs HTTP Basic credentials of a user in the role " + role.strip());
            } else if (!req.isUserInRole(role.strip())) {
                plain(res, 403, "User " + req.getRemoteUser() + " is not in the role " + role.strip() + " that the scrape requires");
            } else {
                scrape(res);
            }
        } finally {
            if (signedIn) {
                BasicSignIn.endSessionMadeForSignIn(req, hadSession);
            }
        }
    }

    private void scrape(HttpServletResponse res) throws IOException {
        if (!(getServletContext().getAttribute(PrometheusMetricsListener.REGISTRY_ATTRIBUTE) instanceof PrometheusMeterRegistry registry)) {
            plain(res, 503, "No Prometheus registry: declare io.globalgate.metrics.prometheus.PrometheusMetricsListener "
                    + "as a <listener> in web.xml");
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        res.setContentType(CONTENT_TYPE);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }

    private static void plain(HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("text/plain;charset=utf-8");
        res.getWriter().write(message);
    }
}
