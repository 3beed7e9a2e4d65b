package io.globalgate.filter.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.GatewayNode;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The database stops under a running gateway and comes back: cached accepts ride out the outage
 * until maxStaleness, everything else is a 503 with Retry-After (never a 401, never a 500), and
 * the same Jetty recovers by itself once MariaDB is back.
 */
@Tag("jetty") // runs in the Jetty JVM only (see the surefire executions in filter/pom.xml)
class DatabaseOutageTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(3);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final String UNAVAILABLE_BODY =
            "{\"errors\":[{\"type\":\"authentication\",\"message\":\"Token store unavailable; try again shortly\"}]}";

    @Test
    void aCachedTokenRidesOutADatabaseOutageUntilMaxStaleness() throws Exception {
        TestDatabases.MariaDbServer shared = TestDatabases.mariaDbServer();
        // Only a server this JVM started can be stopped; with an external one, start one of our own.
        TestDatabases.MariaDbServer server = shared.isEmbedded() ? shared : TestDatabases.privateMariaDbServer();
        Clock clock = Clock.systemUTC();
        boolean stopped = false;
        try (HikariDataSource admin = TestDatabases.mariaDb(server)) {
            GlobalgateStore store = new GlobalgateStore(admin, clock).migrate();
            Seed seed = new Seed(store);
            long integrationId = seed.integration("ERP sync").id();
            String cached = seed.token(integrationId, "cached", "never", null).value();
            String neverUsed = seed.token(integrationId, "never used", "never", null).value();
            TokenFilterConfig.Builder config = TokenFilterConfig.builder()
                    .set(TokenFilterConfig.JDBC_URL, admin.getJdbcUrl())
                    .set(TokenFilterConfig.JDBC_USER, server.user())
                    .set(TokenFilterConfig.MAX_STALENESS, MAX_STALENESS)
                    .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, POLL_INTERVAL)
                    .set(TokenFilterConfig.CONNECTION_TIMEOUT, Duration.ofMillis(500));
            if (!server.password().isEmpty()) {
                config.set(TokenFilterConfig.JDBC_PASSWORD, server.password());
            }

            try (GatewayNode node = GatewayNode.start("outage", config.build(), null)) {
                assertEquals(200, node.status(cached));

                long stoppedAt = System.nanoTime(); // the server refuses connections from early in its shutdown
                server.stop();
                stopped = true;
                System.out.printf("[globalgate-test] outage: MariaDB stopped in %d ms%n", (System.nanoTime() - stoppedAt) / 1_000_000);

                assertEquals(200, node.status(cached), "a cached token keeps working while the feed is unreadable");
                HttpResponse<String> uncached = node.get(neverUsed);
                assertUnavailable(uncached, "a valid token the node never saw cannot be decided without the store");

                // Until the staleness limit the cached token is accepted; then it is a 503, never anything else.
                TreeMap<Long, Integer> seen = new TreeMap<>();
                long firstUnavailableMs = -1;
                while (firstUnavailableMs < 0) {
                    long elapsedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                    if (elapsedMs > MAX_STALENESS.toMillis() + 5_000) {
                        fail("the cached token was still accepted " + elapsedMs + " ms into the outage; answers: " + seen);
                    }
                    HttpResponse<String> response = node.get(cached);
                    seen.put(elapsedMs, response.statusCode());
                    if (response.statusCode() == 503) {
                        assertUnavailable(response, "a stale accept cannot be trusted");
                        firstUnavailableMs = elapsedMs;
                    } else {
                        assertEquals(200, response.statusCode(), "during the outage only 200 or 503: " + response.body());
                        assertUnavailable(node.get(neverUsed), "the uncached token stays unavailable");
                        Thread.sleep(50);
                    }
                }
                System.out.printf("[globalgate-test] outage: cached token accepted until %d ms after the stop began, then 503 (maxStaleness %d ms)%n",
                        firstUnavailableMs, MAX_STALENESS.toMillis());
                // The last good poll was at most one interval (plus its query) before the stop began.
                long earliestAllowed = MAX_STALENESS.minus(POLL_INTERVAL).minusMillis(300).toMillis();
                assertTrue(firstUnavailableMs >= earliestAllowed, "the cached token was refused " + firstUnavailableMs
                        + " ms after the stop, before the staleness limit (" + earliestAllowed + " ms at the earliest)");
                for (int i = 0; i < 3; i++) {
                    assertUnavailable(node.get(cached), "once stale, the cached token stays unavailable while the store is down");
                }

                server.restart();
                stopped = false;
                long restartedAt = System.nanoTime();
                long cachedBackMs = -1;
                long neverUsedBackMs = -1;
                while (cachedBackMs < 0 || neverUsedBackMs < 0) {
                    long elapsedMs = (System.nanoTime() - restartedAt) / 1_000_000;
                    if (elapsedMs > 20_000) {
                        fail("the gateway did not recover within 20 s of the restart (cached token back after " + cachedBackMs
                                + " ms, never-used token after " + neverUsedBackMs + " ms; -1 = not yet)");
                    }
                    if (cachedBackMs < 0 && answerDuringRecovery(node, cached)) {
                        cachedBackMs = elapsedMs;
                    }
                    if (neverUsedBackMs < 0 && answerDuringRecovery(node, neverUsed)) {
                        neverUsedBackMs = elapsedMs;
                    }
                    Thread.sleep(50);
                }
                assertEquals(200, node.status(cached));
                assertEquals(200, node.status(neverUsed));
                System.out.printf("[globalgate-test] outage: after MariaDB was back, the cached token was accepted again after %d ms,"
                        + " the never-used one after %d ms%n", cachedBackMs, neverUsedBackMs);
            }
        } finally {
            if (stopped) {
                server.restart(); // the shared server must be up for the test classes after this one
            }
            if (server != shared) {
                server.stop();
            }
        }
    }

    /** True on 200; a 503 is allowed while the pool reconnects; anything else fails. */
    private static boolean answerDuringRecovery(GatewayNode node, String token) throws Exception {
        HttpResponse<String> response = node.get(token);
        assertTrue(Set.of(200, 503).contains(response.statusCode()), "after the restart only 200 or 503: "
                + response.statusCode() + " " + response.body());
        return response.statusCode() == 200;
    }

    private static void assertUnavailable(HttpResponse<String> response, String why) {
        assertEquals(503, response.statusCode(), why + ": " + response.body());
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        assertFalse(response.headers().firstValue("WWW-Authenticate").isPresent(), "a 503 is no authentication challenge");
        assertEquals(UNAVAILABLE_BODY, response.body());
    }
}
