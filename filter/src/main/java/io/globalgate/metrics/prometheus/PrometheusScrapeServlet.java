package io.globalgate.metrics.prometheus;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a Prometheus scrape with the registry of the {@link PrometheusMetricsListener}. Map it
 * in {@code web.xml} (e.g. {@code /metrics}) behind a {@code <security-constraint>}: the meters
 * name integrations and say how the gateway is used.
 */
public class PrometheusScrapeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("Cache-Control", "no-store");
        if (!(getServletContext().getAttribute(PrometheusMetricsListener.REGISTRY_ATTRIBUTE) instanceof PrometheusMeterRegistry registry)) {
            res.setStatus(503);
            res.setContentType("text/plain;charset=utf-8");
            res.getWriter().write("No Prometheus registry: declare io.globalgate.metrics.prometheus.PrometheusMetricsListener "
                    + "as a <listener> in web.xml");
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        res.setContentType(CONTENT_TYPE);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
