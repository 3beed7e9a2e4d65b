package io.globalgate.filter.tomcat;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.contract.EchoServlet;
import io.globalgate.filter.contract.HttpResult;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.Seed;
import io.globalgate.testing.tomcat.ExplodedWar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's drop-in story, the Tomcat way: an exploded web application whose
 * {@code WEB-INF/web.xml} declares the filter by class name with only {@code dataSource} =
 * {@code java:comp/env/jdbc/globalgate}, and whose {@code META-INF/context.xml} declares that
 * JNDI DataSource. Both files are copied verbatim from {@code src/test/resources/war-example/}.
 * Nothing is handed over in code: the filter finds its database by JNDI alone.
 */
@Tag("tomcat")
class TomcatWarDeploymentTest {

    private static final String ACTOR = "war-test";
    private static final Map<String, String> DATABASE_PROPERTIES = Map.of(
            "globalgate.jdbc.url", "jdbc:h2:mem:war_example_" + System.nanoTime()
                    + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
            "globalgate.jdbc.user", "sa",
            "globalgate.jdbc.password", "");

    private static ExplodedWar war;
    private static URI api;
    private static HikariDataSource pool;
    private static GlobalgateStore store;
    private static Seed seed;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void deployTheWebApplication() throws Exception {
        // What bin/setenv.sh or conf/catalina.properties would hold; context.xml refers to them.
        DATABASE_PROPERTIES.forEach(System::setProperty);
        war = ExplodedWar.deploy("/app", "war-example/web.xml", "war-example/context.xml");
        api = war.root().resolve("api/global/");

        // The admin side: another store over the same database, as a second node would have.
        pool = Database.pool("war-test", DATABASE_PROPERTIES.get("globalgate.jdbc.url"), "sa", "", Duration.ofSeconds(2));
        store = new GlobalgateStore(pool, Clock.systemUTC());
        seed = new Seed(store);
    }

    @AfterAll
    static void undeploy() throws Exception {
        if (war != null) {
            war.close();
            // closeMethod="close" in context.xml: Tomcat closes the JNDI pool when the application
            // stops, and the filter's destroy() stops its own thread; nothing may outlive them.
            assertEquals(List.of(), threadsLeftAfter(Duration.ofSeconds(5), "globalgate:", "globalgate housekeeper", "globalgate-filter-"),
                    "threads of the undeployed application still running");
        }
        if (pool != null) {
            pool.close();
        }
        DATABASE_PROPERTIES.keySet().forEach(System::clearProperty);
    }

    @Test
    void requestWithoutATokenGets401WithTheChallenge() throws Exception {
        HttpResult result = get("v1/system/status", null);

        assertEquals(401, result.status(), result::toString);
        assertEquals(List.of("Bearer realm=\"Global API\""), result.headers("WWW-Authenticate"));
        assertEquals(List.of("application/json"), result.headers("Content-Type"));
        assertEquals(List.of("no-store"), result.headers("Cache-Control"));
        assertEquals("{\"errors\":[{\"type\":\"authentication\",\"message\":\"This API needs a Global API access token: "
                + "send Authorization: Bearer \\u003ctoken\\u003e\"}]}", result.body());
    }

    @Test
    void tokenCreatedInTheSameDatabaseReachesTheApplicationAsItsIntegration() throws Exception {
        Seed.Integration integration = seed.integration("WAR client");
        Seed.Issued token = seed.token(integration.id(), "war", "30d", null);

        HttpResult result = get("v1/system/merchants?page=1", "Bearer " + token.value());

        assertEquals(200, result.status(), result::toString);
        Map<String, String> seen = EchoServlet.parse(result.body());
        assertEquals("WAR client", seen.get("principal"));
        assertEquals(String.valueOf(integration.id()), seen.get("integrationId"));
        assertEquals(String.valueOf(token.token().id()), seen.get("tokenId"));
        assertEquals("null", seen.get("authorization.getHeader"));
    }

    @Test
    void tokenRevokedByAnotherNodeIsRefusedWithinThePollInterval() throws Exception {
        Seed.Integration integration = seed.integration("WAR revoked");
        Seed.Issued token = seed.token(integration.id(), "war", "never", null);
        assertEquals(200, get("v1/system/status", "Bearer " + token.value()).status());

        // This store is not the filter's: only the change feed (polled every 500ms by default) can tell it.
        seed.revoke(token.token().id());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        HttpResult result;
        do {
            Thread.sleep(50);
            result = get("v1/system/status", "Bearer " + token.value());
        } while (result.status() == 200 && System.nanoTime() < deadline);

        assertEquals(401, result.status(), result::toString);
        assertEquals(List.of("Bearer realm=\"Global API\", error=\"invalid_token\", error_description=\"Token has been revoked\""),
                result.headers("WWW-Authenticate"));
    }

    private static List<String> threadsLeftAfter(Duration patience, String... prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> java.util.Arrays.stream(prefixes).anyMatch(name::startsWith)).sorted().toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return left;
    }

    private static HttpResult get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new HttpResult(response.statusCode(), response.headers().map(), response.body());
    }
}
