package io.globalgate.filter.tomcat;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.FilterBehaviourContract;
import io.globalgate.testing.tomcat.TomcatHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter's behaviour contract in embedded Tomcat 11.
 *
 * <p>The harness lives in {@code io.globalgate.testing}, not in this package: a {@code -Dtest}
 * pattern over this package then reaches the other container's JVM with this class alone, which
 * JUnit can inspect there without the container's classes and which its tag keeps from running.
 */
@Tag("tomcat")
class TomcatFilterTest extends FilterBehaviourContract {

    private final TomcatHarness harness = new TomcatHarness();

    @Override
    protected ContainerHarness harness() {
        return harness;
    }

    @Test
    void runsOnTomcatsOwnServletApiWithoutJettyOnTheClasspath() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.server.Server"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.ee10.servlet.ServletContextHandler"));
        String servletApi = jakarta.servlet.Filter.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(servletApi.contains("tomcat-embed-core"), servletApi);
    }
}
