package io.globalgate.filter.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.GatewayNode;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.Database;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two gateway nodes, each with its own store and pool over one MariaDB schema: nothing in the
 * JVM links them, so what node A's admin changes reaches node B only through the change feed.
 */
@Tag("jetty") // runs in the Jetty JVM only (see the surefire executions in filter/pom.xml)
class TwoNodesOneDatabaseTest {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Poll interval plus room for one poll's query and a loaded test machine: a correctness bound, not a speed target. */
    private static final Duration REACH_BOUND = POLL_INTERVAL.plusMillis(1000);

    private final Clock clock = Clock.systemUTC();
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private GlobalgateStore storeA;
    private Seed seed;
    private GatewayNode nodeA;
    private GatewayNode nodeB;
    private long integrationId;
    private Seed.Issued first;
    private Seed.Issued second;

    @BeforeEach
    void startTwoNodes() throws Exception {
        TestDatabases.MariaDbServer server = TestDatabases.mariaDbServer();
        poolA = TestDatabases.mariaDb();
        poolB = Database.pool("node-b", poolA.getJdbcUrl(), server.user(), server.password(), Duration.ofSeconds(2));
        storeA = new GlobalgateStore(poolA, clock).migrate();
        seed = new Seed(storeA);
        GlobalgateStore storeB = new GlobalgateStore(poolB, clock);
        TokenFilterConfig config = TokenFilterConfig.builder()
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, POLL_INTERVAL)
                .build();
        nodeA = GatewayNode.start("A", config, storeA);
        nodeB = GatewayNode.start("B", config, storeB);

        integrationId = seed.integration("ERP sync").id();
        first = seed.token(integrationId, "first", "30d", null);
        second = seed.token(integrationId, "second", "never", null);
        for (GatewayNode node : List.of(nodeA, nodeB)) {
            for (Seed.Issued token : List.of(first, second)) {
                HttpResponse<String> response = node.get(token.value());
                assertEquals(200, response.statusCode(), node + ": " + response.body());
                assertEquals("hello ERP sync", response.body());
            }
        }
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[]{nodeA, nodeB, poolA, poolB}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** Asks node B until it answers {@code expected}; every other answer must be {@code previous}. Returns the time taken. */
    private Duration untilNodeBAnswers(int expected, int previous, String token, long sinceNanos) throws Exception {
        long deadline = sinceNanos + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            int status = nodeB.status(token);
            if (status == expected) {
                return Duration.ofNanos(System.nanoTime() - sinceNanos);
            }
            assertEquals(previous, status, "node B answered neither the old nor the new decision");
            Thread.sleep(2);
        }
        return fail("node B still did not answer " + expected + " after 10 s");
    }

    private static void report(String what, Duration took) {
        System.out.printf("[globalgate-test] %s reached node B after %d ms (bound %d ms)%n", what, took.toMillis(), REACH_BOUND.toMillis());
        assertTrue(took.compareTo(REACH_BOUND) <= 0, what + " reached node B after " + took.toMillis()
                + " ms, beyond one poll interval plus margin (" + REACH_BOUND.toMillis() + " ms)");
    }

    @Test
    void revocationThroughNodeAIsRefusedByNodeBWithinOnePollInterval() throws Exception {
        long started = System.nanoTime();
        seed.revoke(first.token().id());

        assertEquals(401, nodeA.status(first.value()), "node A shares the store that revoked: refused at once");
        Duration took = untilNodeBAnswers(401, 200, first.value(), started);
        report("revocation", took);

        HttpResponse<String> refused = nodeB.get(first.value());
        assertEquals("Bearer realm=\"Global API\", error=\"invalid_token\", error_description=\"Token has been revoked\"",
                refused.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(200, nodeB.status(second.value()), "the other token of the integration is untouched");
    }

    @Test
    void deactivationThroughNodeAReachesNodeBWithinOnePollInterval() throws Exception {
        long started = System.nanoTime();
        seed.setActive(integrationId, false);

        Duration took = untilNodeBAnswers(401, 200, first.value(), started);
        report("deactivation", took);
        assertEquals(401, nodeB.status(second.value()), "every token of the integration is refused");
        assertTrue(nodeB.get(second.value()).body().contains("The integration of this token is inactive"));

        started = System.nanoTime();
        seed.setActive(integrationId, true);

        took = untilNodeBAnswers(200, 401, first.value(), started);
        report("reactivation", took);
        assertEquals(200, nodeB.status(second.value()));
    }

    @Test
    void restrictionsChangedThroughNodeAReachNodeBWithinOnePollIntervalAsARevocationDoes() throws Exception {
        long started = System.nanoTime();
        seed.restrictToken(first.token().id(), "10.0.0.0/8", "read-write", List.of());

        assertEquals(403, nodeA.status(first.value()), "node A shares the store that restricted: refused at once");
        report("a token's restriction", untilNodeBAnswers(403, 200, first.value(), started));
        assertEquals(200, nodeB.status(second.value()), "the other token of the integration is untouched");

        started = System.nanoTime();
        seed.restrictIntegration(integrationId, "10.0.0.0/8", null, null);
        report("an integration's restriction", untilNodeBAnswers(403, 200, second.value(), started));

        assertEquals(403, nodeB.status(first.value()), "node B decides on the first token again, now under both restrictions");

        started = System.nanoTime();
        seed.restrictIntegration(integrationId, null, null, null);
        seed.restrictToken(first.token().id(), null, "read-write", List.of());
        report("lifted restrictions", untilNodeBAnswers(200, 403, second.value(), started));
        report("the first token's lifted restrictions", untilNodeBAnswers(200, 403, first.value(), started));
    }

    @Test
    void regenerationThroughNodeAReplacesTheTokenOnNodeB() throws Exception {
        long started = System.nanoTime();
        Seed.Issued replacement = seed.regenerate(first.token().id());

        assertEquals(200, nodeB.status(replacement.value()), "a token node B never saw is looked up, not refused");
        Duration took = untilNodeBAnswers(401, 200, first.value(), started);
        report("regeneration", took);
        assertEquals(200, nodeA.status(replacement.value()));
    }
}
