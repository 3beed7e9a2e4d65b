package io.globalgate.example;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example WAR in a standalone Apache Tomcat: reloads through the manager, its findleaks for the class loaders. */
abstract class TomcatContract extends StandaloneContainerContract {

    abstract String version();

    @Override
    String schemaName() {
        return "legacy_tomcat_" + version().replace('.', '_');
    }

    @Override
    StandaloneContainer prepare(String jdbcUrl, String jdbcUser, String jdbcPassword) throws Exception {
        return StandaloneTomcat.prepare(version(), jdbcUrl, jdbcUser, jdbcPassword);
    }

    @Override
    void redeploy(StandaloneContainer tomcat) throws Exception {
        HttpResponse<String> reload = manager(tomcat, "reload?path=/legacy");
        assertTrue(reload.body().startsWith("OK"), reload::body);
    }

    @Override
    void assertTheOldClassLoadersAreCollected(StandaloneContainer tomcat) throws Exception {
        String leaks = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            leaks = manager(tomcat, "findleaks?statusLine=true").body();
            if (leaks.startsWith("OK")) {
                break;
            }
            Thread.sleep(2000);
        }
        assertTrue(leaks.startsWith("OK - No memory leaks found"), leaks);
    }

    private static HttpResponse<String> manager(StandaloneContainer tomcat, String command) throws Exception {
        return send(HttpRequest.newBuilder(tomcat.uri().resolve("manager/text/" + command))
                .header("Authorization", basic(StandaloneTomcat.MANAGER, StandaloneTomcat.MANAGER_PASSWORD)).GET()
                .timeout(Duration.ofMinutes(2)));
    }
}
