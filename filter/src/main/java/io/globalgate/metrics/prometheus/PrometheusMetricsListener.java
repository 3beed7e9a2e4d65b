package io.globalgate.metrics.prometheus;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Exposes the filter's meters, and the JNDI pool's {@code hikaricp_*} meters, to Prometheus from
 * {@code web.xml} alone: declared as a {@code <listener>}, it adds a Prometheus registry to
 * Micrometer's global registry (where the filter records by default), binds the pool named by the
 * context-param {@value #DATA_SOURCE_PARAM} to it, and leaves the registry in the context
 * attribute {@value #REGISTRY_ATTRIBUTE} for the {@link PrometheusScrapeServlet}. Optional: it
 * needs {@code io.micrometer:micrometer-registry-prometheus} in {@code WEB-INF/lib}.
 */
public class PrometheusMetricsListener implements ServletContextListener {

    /** The context-param naming the JNDI {@code DataSource} whose pool meters are exposed (optional). */
    public static final String DATA_SOURCE_PARAM = "io.globalgate.metrics.dataSource";
    /** The context attribute under which the Prometheus registry is left for the scrape servlet. */
    public static final String REGISTRY_ATTRIBUTE = "io.globalgate.metrics.PrometheusMeterRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetricsListener.class);

    private PrometheusMeterRegistry registry;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(registry);
        context.setAttribute(REGISTRY_ATTRIBUTE, registry);
        String jndiName = context.getInitParameter(DATA_SOURCE_PARAM);
        String pool = jndiName == null || jndiName.isBlank() ? "" : bindPool(jndiName.strip());
        LOG.info("Globalgate metrics: Prometheus registry ready{}", pool);
    }

    /** HikariCP lets a running pool be given its meter registry once; a pool that has one keeps it. */
    private String bindPool(String jndiName) {
        Object found;
        try {
            found = new InitialContext().lookup(jndiName);
        } catch (NamingException | RuntimeException e) {
            LOG.warn("Globalgate metrics: no pool meters: nothing usable at JNDI name {} ({})", jndiName, e.toString());
            return "";
        }
        if (!(found instanceof HikariDataSource hikari)) {
            LOG.warn("Globalgate metrics: no pool meters: {} is a {}, not a HikariCP pool", jndiName,
                    found == null ? "null" : found.getClass().getName());
            return "";
        }
        if (hikari.getMetricRegistry() != null || hikari.getMetricsTrackerFactory() != null) {
            return ", pool " + hikari.getPoolName() + " already has its meter registry";
        }
        hikari.setMetricRegistry(registry);
        return ", with the hikaricp meters of pool " + hikari.getPoolName();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (registry != null) {
            event.getServletContext().removeAttribute(REGISTRY_ATTRIBUTE);
            Metrics.removeRegistry(registry);
            registry.close();
            registry = null;
        }
    }
}
