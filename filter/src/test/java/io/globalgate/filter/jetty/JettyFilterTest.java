package io.globalgate.filter.jetty;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.FilterBehaviourContract;
import io.globalgate.testing.jetty.JettyHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filter's behaviour contract in embedded Jetty 12 (ee10).
 *
 * <p>The harness lives in {@code io.globalgate.testing}, not in this package: a {@code -Dtest}
 * pattern over this package then reaches the other container's JVM with this class alone, which
 * JUnit can inspect there without the container's classes and which its tag keeps from running.
 */
@Tag("jetty")
class JettyFilterTest extends FilterBehaviourContract {

    private final JettyHarness harness = new JettyHarness();

    @Override
    protected ContainerHarness harness() {
        return harness;
    }

    @Test
    void runsOnJettysServletApiWithoutTomcatOnTheClasspath() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.catalina.startup.Tomcat"));
        String servletApi = jakarta.servlet.Filter.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(servletApi.contains("jakarta.servlet-api"), servletApi);
    }
}
