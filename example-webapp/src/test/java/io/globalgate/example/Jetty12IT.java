package io.globalgate.example;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The example WAR in a standalone Jetty 12: redeploys by replacing the WAR (the deployer's scan),
 * and the old class loaders counted in a heap histogram ({@code jcmd GC.class_histogram}, which
 * collects first): after three redeploys, one {@code WebAppClassLoader} per deployed application.
 */
class Jetty12IT extends StandaloneContainerContract {

    private static String version() {
        return System.getProperty("jettyHome.version");
    }

    @Override
    String schemaName() {
        return "legacy_jetty_" + version().replace('.', '_');
    }

    @Override
    StandaloneContainer prepare(String jdbcUrl, String jdbcUser, String jdbcPassword) throws Exception {
        return StandaloneJetty.prepare(version(), jdbcUrl, jdbcUser, jdbcPassword);
    }

    @Override
    void redeploy(StandaloneContainer jetty) throws Exception {
        ((StandaloneJetty) jetty).redeployLegacy();
    }

    @Override
    void assertTheOldClassLoadersAreCollected(StandaloneContainer jetty) throws Exception {
        long loaders = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            loaders = ((StandaloneJetty) jetty).webAppClassLoaders();
            if (loaders == 2) {
                break;
            }
            Thread.sleep(2000);
        }
        assertEquals(2, loaders, "web application class loaders after three redeploys: /legacy's and /legacy-form's, none of the old ones");
    }

    @Override
    List<String> moreLeakWarnings() {
        // Jetty's own level, and java.util.logging's (the application's lines)
        return List.of(":WARN ", "WARNING");
    }
}
