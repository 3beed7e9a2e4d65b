package io.globalgate.store;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.net.NetworkList;
import io.globalgate.testing.FaultyDataSource;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Rows;
import io.globalgate.testing.Seed;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link GlobalgateStore} promises every node, checked against a real database:
 * {@link H2StoreTest} and {@link MariaDbStoreTest} run every test here. The decision lookup, the
 * token counts, the change feed and the usage batches; the rows they read are written by
 * {@link Seed} as the admin node writes them (the admin artifact's store contract checks the
 * write side itself). One fresh schema per database per run; each test makes its own
 * integrations, so tests never share rows. The clock restarts at {@link #START} before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {

    static final Instant START = Instant.parse("2030-01-15T10:00:00.123Z");
    static final Instant HOUR_1 = START.truncatedTo(ChronoUnit.HOURS);
    static final Instant HOUR_2 = HOUR_1.plus(Duration.ofHours(1));
    static final Instant HOUR_3 = HOUR_1.plus(Duration.ofHours(2));

    final MutableClock clock = new MutableClock(START);
    private final AtomicInteger sequence = new AtomicInteger();
    private HikariDataSource dataSource;
    GlobalgateStore store;
    Seed seed;
    /** The same database through a DataSource that fails on demand. */
    FaultyDataSource faulty;
    GlobalgateStore faultyStore;
    Rows rows;

    /** A fresh, empty database of the kind the subclass is about. */
    protected abstract HikariDataSource freshDatabase();

    @BeforeAll
    void openStore() {
        dataSource = freshDatabase();
        store = new GlobalgateStore(dataSource, clock).migrate();
        seed = new Seed(store);
        faulty = new FaultyDataSource(dataSource);
        faultyStore = new GlobalgateStore(faulty.dataSource(), clock);
        rows = new Rows(dataSource);
    }

    @AfterAll
    void closeStore() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @BeforeEach
    void startTheClock() {
        clock.set(START);
        faulty.reset();
    }

    // ---- helpers

    Seed.Integration newIntegration() {
        return seed.integration("Integration #" + sequence.incrementAndGet());
    }

    Seed.Issued newToken(Seed.Integration integration, String expiration) {
        return seed.token(integration.id(), "token #" + sequence.incrementAndGet(), expiration, null);
    }

    /** Listens on {@code target} for the duration of {@code body}. */
    static List<ChangeEvent> heard(GlobalgateStore target, Runnable body) {
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        Consumer<ChangeEvent> listener = heard::add;
        target.addChangeListener(listener);
        try {
            body.run();
        } finally {
            target.removeChangeListener(listener);
        }
        return heard;
    }

    // ---- the decision on a token

    @Test
    void findDecisionFindsATokenByItsHash() {
        Seed.Integration integration = newIntegration();
        Seed.Issued issued = newToken(integration, "7d");
        Optional<TokenDecision> decision = store.tokens().findDecision(TokenHash.of(issued.value()));
        assertEquals(Optional.of(new TokenDecision(issued.token().id(), integration.id(), integration.name(), true,
                START.plus(Duration.ofDays(7)), null)), decision);
    }

    @Test
    void findDecisionCarriesTheTokensAndItsIntegrationsRestrictions() {
        Seed.Integration integration = newIntegration();
        Seed.Issued issued = newToken(integration, "never");
        seed.restrictToken(issued.token().id(), "203.0.113.0/24, 2001:db8::/32", "read-only", List.of("/api/global/v1/orders/", "/a,b"));
        seed.restrictIntegration(integration.id(), "198.51.100.7", 600, 50);

        TokenRestrictions read = store.tokens().findDecision(TokenHash.of(issued.value())).orElseThrow().restrictions();

        assertEquals(new TokenRestrictions(NetworkList.parse("203.0.113.0/24, 2001:db8::/32"), NetworkList.parse("198.51.100.7"),
                TokenRestrictions.Scope.READ_ONLY, List.of("/api/global/v1/orders/", "/a,b"), new TokenRestrictions.RateLimit(600, 50)), read);
    }

    @Test
    void everyTokenHashListsEachTokenRevokedAndExpiredOnesToo() {
        Seed.Integration integration = newIntegration();
        Seed.Issued active = newToken(integration, "never");
        Seed.Issued revoked = newToken(integration, "never");
        Seed.Issued expired = seed.token(integration.id(), "expired #" + sequence.incrementAndGet(), null, START.plusSeconds(1).toString());
        seed.revoke(revoked.token().id());
        clock.set(START.plusSeconds(2));

        List<TokenHash> every = store.tokens().everyTokenHash();

        assertTrue(every.containsAll(List.of(TokenHash.of(active.value()), TokenHash.of(revoked.value()), TokenHash.of(expired.value()))),
                "the active, the revoked and the expired token");
        assertEquals(rows.count("SELECT COUNT(*) FROM access_token"), every.size(), "one hash per token row");
    }

    @Test
    void aReplicaReaderOffersTheHeartbeatOncePerIntervalAndIsBehindByTheLastBeatsAge() {
        ReplicaReads reads = new ReplicaReads(store, dataSource); // this database as its own replica
        Duration interval = Duration.ofSeconds(10);

        assertTrue(reads.beat(interval), "no node has beaten yet");
        clock.set(START.plus(interval).minusMillis(1));
        assertFalse(reads.beat(interval), "a millisecond within the interval");
        assertEquals(interval.minusMillis(1), reads.behind());
        clock.set(START.plus(interval));
        assertTrue(reads.beat(interval), "the interval after the last beat");
        assertEquals(Duration.ZERO, reads.behind());
        clock.set(START.plus(interval).minusSeconds(3)); // this node's clock behind the one that beat
        assertEquals(Duration.ZERO, reads.behind(), "never less than nothing");
    }

    @Test
    void aReplicaReaderReadsTheReplicaAndAsksThePrimaryForATokenNotReplicatedYet() {
        try (HikariDataSource replicaDatabase = freshDatabase()) {
            GlobalgateStore replica = new GlobalgateStore(replicaDatabase, clock).migrate();
            Seed replicaSeed = new Seed(replica);
            ReplicaReads reads = new ReplicaReads(store, replicaDatabase);
            TokenHash onPrimary = TokenHash.of(newToken(newIntegration(), "never").value());
            TokenHash onReplica = TokenHash.of(replicaSeed.token(replicaSeed.integration("On the replica").id(), "replicated", "never", null).value());

            assertEquals(store.tokens().findDecision(onPrimary), reads.findDecision(onPrimary), "not on the replica: the primary's");
            assertTrue(reads.findDecision(onReplica).isPresent());
            assertEquals(replica.tokens().findDecision(onReplica), reads.findDecision(onReplica));
            assertEquals(List.of(onReplica), reads.tokens().everyTokenHash());
            assertEquals(replica.changes().readAfter(0, 100), reads.changes().readAfter(0, 100));
            assertEquals(1, reads.changes().readAfter(0, 100).size(), "the replica's token.created, none of the primary's");
        }
    }

    @Test
    void findDecisionOfATokenWithoutRestrictionsCarriesNone() {
        Seed.Issued issued = newToken(newIntegration(), "never");
        assertEquals(TokenRestrictions.NONE, store.tokens().findDecision(TokenHash.of(issued.value())).orElseThrow().restrictions());
    }

    @Test
    void findDecisionRefusesAsUnavailableRestrictionsItCannotReadRatherThanLiftThem() {
        Seed.Integration integration = newIntegration();
        Seed.Issued issued = newToken(integration, "never");
        seed.restrictToken(issued.token().id(), "10.0.0.0/33", "read-write", List.of());

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> store.tokens().findDecision(TokenHash.of(issued.value())));
        assertTrue(e.getMessage().contains("restrictions the filter cannot read"), e.getMessage());
    }

    @Test
    void usageBatchesKeepTheClientAddressesOfEachTokenLatestFirst() {
        long id = newToken(newIntegration(), "never").token().id();
        store.usage().record(List.of(new TokenUsage(id, START.plusSeconds(1), "192.0.2.1", Map.of())));
        store.usage().record(List.of(new TokenUsage(id, START.plusSeconds(3), "192.0.2.2", Map.of())));
        store.usage().record(List.of(new TokenUsage(id, START.plusSeconds(5), "192.0.2.1", Map.of())));

        assertEquals(List.of("192.0.2.1", "192.0.2.2"), store.usage().recentClientAddresses(id, 10));
        assertEquals(List.of("192.0.2.1"), store.usage().recentClientAddresses(id, 1));
    }

    @Test
    void findDecisionDiscardsAConnectionThatAnswersWithAnotherTokensRow() {
        Seed.Integration mine = newIntegration();
        Seed.Integration other = newIntegration();
        Seed.Issued asked = newToken(mine, "30d");
        newToken(other, "30d");
        // The connection answers with some other token's row, as one out of step with its server would.
        faulty.rewriteStatements(sql -> sql.replace("WHERE t.token_hash = ?", "WHERE t.token_hash <> ? ORDER BY t.id DESC"));

        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> faultyStore.tokens().findDecision(TokenHash.of(asked.value())));

        assertTrue(e.getMessage().contains("another token's row"), e.getMessage());
        assertEquals(1, faulty.aborted(), "the connection that answered wrongly is not lent again");
        faulty.reset();
        assertEquals(asked.token().id(), faultyStore.tokens().findDecision(TokenHash.of(asked.value())).orElseThrow().tokenId(),
                "an honest connection answers as before");
    }

    @Test
    void aDiscardedConnectionIsNeverLentAgain() throws Exception {
        Connection physical;
        try (Connection lent = dataSource.getConnection()) {
            physical = lent.unwrap(Connection.class);
            new Database(dataSource).discard(lent);
        }
        for (int i = 0; i < 20; i++) {
            try (Connection lent = dataSource.getConnection()) {
                assertNotSame(physical, lent.unwrap(Connection.class), "lent again after it was discarded");
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!physical.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the pool closes evicted connections on its own thread
        }
        assertTrue(physical.isClosed(), "the pool closed the discarded connection");
    }

    @Test
    void findDecisionFindsNothingForAnUnknownHash() {
        newToken(newIntegration(), "7d");
        assertEquals(Optional.empty(), store.tokens().findDecision(TokenHash.of(TokenFormat.generate())));
    }

    @Test
    void findDecisionReadsTheIntegrationsActiveFlagAndTheTokensRevocation() {
        Seed.Integration integration = newIntegration();
        Seed.Issued issued = newToken(integration, "never");
        TokenHash hash = TokenHash.of(issued.value());
        seed.setActive(integration.id(), false);
        assertFalse(store.tokens().findDecision(hash).orElseThrow().integrationActive());
        seed.setActive(integration.id(), true);
        assertNull(store.tokens().findDecision(hash).orElseThrow().revokedAt());
        clock.advance(Duration.ofSeconds(3));
        seed.revoke(issued.token().id());
        assertEquals(START.plusSeconds(3), store.tokens().findDecision(hash).orElseThrow().revokedAt());
    }

    @Test
    void theMetricsCountActiveTokensAndThoseExpiringSoon() {
        TokenLookup.TokenCounts before = store.tokens().counts(Duration.ofDays(7));
        Seed.Integration integration = newIntegration();
        newToken(integration, "7d");
        newToken(integration, "30d");
        newToken(integration, "never");
        seed.revoke(newToken(integration, "7d").token().id());
        TokenLookup.TokenCounts after = store.tokens().counts(Duration.ofDays(7));
        assertEquals(before.active() + 3, after.active());
        assertEquals(before.expiringSoon() + 1, after.expiringSoon());
    }

    // ---- the change feed

    @Test
    void theChangeFeedReadsOldestFirstUpToTheLimit() {
        Seed.Integration integration = newIntegration();
        long mark = store.changes().latestId();
        for (int i = 0; i < 3; i++) {
            seed.setActive(integration.id(), i % 2 == 1);
        }
        List<ChangeEvent> two = store.changes().readAfter(mark, 2);
        assertEquals(2, two.size());
        assertTrue(two.get(0).id() < two.get(1).id());
        assertEquals(1, store.changes().readAfter(two.get(1).id(), 2).size());
    }

    @Test
    void anAppendedEventIsHeardOnlyOnceItsTransactionHasCommitted() {
        Seed.Integration integration = newIntegration();
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        Consumer<ChangeEvent> listener = heard::add;
        store.addChangeListener(listener);
        try {
            ChangeEvent appended = store.database().inTransaction(tx -> {
                ChangeEvent event = store.changes().append(tx, ChangeEvent.Kind.INTEGRATION_UPDATED, integration.id(), null, null);
                assertEquals(List.of(), heard, "heard before the commit");
                return event;
            });
            assertEquals(List.of(appended), heard);
            assertEquals(List.of(appended), store.changes().readAfter(appended.id() - 1, 10), "what was heard is what every node reads");
        } finally {
            store.removeChangeListener(listener);
        }
    }

    @Test
    void anEventOfATransactionThatRollsBackIsHeardByNobody() {
        Seed.Integration integration = newIntegration();
        long mark = store.changes().latestId();
        List<ChangeEvent> heard = heard(store, () -> assertThrows(IllegalStateException.class,
                () -> store.database().inTransaction(tx -> {
                    store.changes().append(tx, ChangeEvent.Kind.INTEGRATION_UPDATED, integration.id(), null, null);
                    throw new IllegalStateException("the action fails after its event");
                })));
        assertEquals(List.of(), heard);
        assertEquals(List.of(), store.changes().readAfter(mark, 10));
    }

    @Test
    void aTransactionRetriedAfterADeadlockIsHeardOnceWithTheEventThatCommitted() {
        Seed.Integration integration = newIntegration();
        faulty.failCommits(1, "40001");
        List<ChangeEvent> heard = heard(faultyStore, () -> faultyStore.database().inTransaction(tx ->
                faultyStore.changes().append(tx, ChangeEvent.Kind.INTEGRATION_UPDATED, integration.id(), null, null)));
        assertEquals(1, heard.size());
        assertEquals(heard, store.changes().readAfter(heard.get(0).id() - 1, 10));
    }

    // ---- usage

    @Test
    void usageBatchesAddUpHourlyCounts() {
        long id = newToken(newIntegration(), "30d").token().id();
        store.usage().record(List.of(new TokenUsage(id, HOUR_1.plusSeconds(60), "10.0.0.1", Map.of(HOUR_1, 3L, HOUR_2, 5L))));
        store.usage().record(List.of(new TokenUsage(id, HOUR_2.plusSeconds(60), "10.0.0.1", Map.of(HOUR_2, 2L, HOUR_3, 1L))));
        Map<Instant, Long> counts = store.usage().hourly(id, HOUR_1, HOUR_3.plus(Duration.ofHours(1)));
        assertEquals(List.of(HOUR_1, HOUR_2, HOUR_3), new ArrayList<>(counts.keySet()));
        assertEquals(Map.of(HOUR_1, 3L, HOUR_2, 7L, HOUR_3, 1L), counts);
        assertEquals(Map.of(HOUR_1, 3L, HOUR_2, 7L), store.usage().hourly(id, HOUR_1, HOUR_3));
    }

    @Test
    void twoReportsOfOneTokenInOneBatchAddUp() {
        long id = newToken(newIntegration(), "30d").token().id();
        long other = newToken(newIntegration(), "30d").token().id();
        store.usage().record(List.of(
                new TokenUsage(id, HOUR_1.plusSeconds(5), "10.0.0.1", Map.of(HOUR_1, 4L)),
                new TokenUsage(other, HOUR_1.plusSeconds(6), "10.0.0.3", Map.of(HOUR_1, 9L)),
                new TokenUsage(id, HOUR_1.plusSeconds(9), "10.0.0.2", Map.of(HOUR_1, 6L))));
        assertEquals(Map.of(HOUR_1, 10L), store.usage().hourly(id, HOUR_1, HOUR_2));
        assertEquals(Map.of(HOUR_1, 9L), store.usage().hourly(other, HOUR_1, HOUR_2));
        assertEquals(new Seed.LastUse(HOUR_1.plusSeconds(9), "10.0.0.2"), seed.lastUse(id));
    }

    @Test
    void aUsageBatchIdIsWrittenAtMostOnceUntilPurged() {
        long id = newToken(newIntegration(), "30d").token().id();
        String batchId = java.util.UUID.randomUUID().toString();
        List<TokenUsage> batch = List.of(new TokenUsage(id, HOUR_1.plusSeconds(5), "10.0.0.1", Map.of(HOUR_1, 4L)));

        assertTrue(store.usage().record(batchId, batch));
        assertFalse(store.usage().record(batchId, batch), "the same id again: the retry of a commit whose answer was lost");
        assertEquals(Map.of(HOUR_1, 4L), store.usage().hourly(id, HOUR_1, HOUR_2));
        assertTrue(store.usage().record(java.util.UUID.randomUUID().toString(), batch), "another id is another batch");
        assertEquals(Map.of(HOUR_1, 8L), store.usage().hourly(id, HOUR_1, HOUR_2));

        clock.advance(Duration.ofHours(25));
        assertTrue(store.usage().purgeBatchesOlderThan(Duration.ofDays(1)) >= 2);
        assertEquals(0, store.usage().purgeBatchesOlderThan(Duration.ofDays(1)));
    }

    @Test
    void aUsageBatchIdMustBeALowerCaseUuid() {
        List<TokenUsage> batch = List.of(new TokenUsage(newToken(newIntegration(), "30d").token().id(), START, "10.0.0.1", Map.of(HOUR_1, 1L)));
        for (String hostile : new String[]{null, "", "batch-1", "'; DELETE FROM usage_batch; --",
                java.util.UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT), java.util.UUID.randomUUID() + "x"}) {
            assertThrows(IllegalArgumentException.class, () -> store.usage().record(hostile, batch), String.valueOf(hostile));
        }
    }

    @Test
    void lastUsedNeverMovesBackwards() {
        long id = newToken(newIntegration(), "30d").token().id();
        Instant later = START.plusSeconds(120).plusMillis(456);
        store.usage().record(List.of(new TokenUsage(id, later, "192.0.2.7", Map.of())));
        store.usage().record(List.of(new TokenUsage(id, later.minusMillis(1), "192.0.2.8", Map.of())));
        assertEquals(new Seed.LastUse(later, "192.0.2.7"), seed.lastUse(id));
        store.usage().record(List.of(new TokenUsage(id, later.plusMillis(1), "2001:db8::1", Map.of())));
        assertEquals(new Seed.LastUse(later.plusMillis(1), "2001:db8::1"), seed.lastUse(id));
    }

    @Test
    void theLastRefusedUseNeverMovesBackwardsAndAWriteSentTwiceChangesNothingMore() {
        long id = newToken(newIntegration(), "30d").token().id();
        long other = newToken(newIntegration(), "30d").token().id();
        Instant later = START.plusSeconds(60).plusMillis(789);
        List<RefusedUse> batch = List.of(new RefusedUse(other, later, "192.0.2.9"), new RefusedUse(id, later, "2001:db8::1"));
        store.usage().recordRefused(batch);
        store.usage().recordRefused(batch);
        assertEquals(new Seed.LastUse(later, "2001:db8::1"), seed.lastRefused(id));
        assertEquals(new Seed.LastUse(later, "192.0.2.9"), seed.lastRefused(other));

        store.usage().recordRefused(List.of(new RefusedUse(id, later.minusMillis(1), "192.0.2.8")));
        assertEquals(new Seed.LastUse(later, "2001:db8::1"), seed.lastRefused(id), "an older use, written later by another node");
        store.usage().recordRefused(List.of(new RefusedUse(id, later.plusMillis(1), "192.0.2.8")));
        assertEquals(new Seed.LastUse(later.plusMillis(1), "192.0.2.8"), seed.lastRefused(id));
        assertEquals(new Seed.LastUse(null, null), seed.lastUse(id), "a refused use is no use");
    }

    @Test
    void aRefusedUsesAddressIsStoredVerbatimUpTo64CharactersAndAnEmptyBatchWritesNothing() {
        long id = newToken(newIntegration(), "30d").token().id();
        store.usage().recordRefused(List.of(new RefusedUse(id, START, "y".repeat(100))));
        assertEquals("y".repeat(64), seed.lastRefused(id).ip());
        String hostile = "'; UPDATE access_token SET revoked_at = NULL; --";
        store.usage().recordRefused(List.of(new RefusedUse(id, START.plusSeconds(1), hostile)));
        assertEquals(hostile, seed.lastRefused(id).ip());
        Map<String, Long> before = rows.counts();
        store.usage().recordRefused(List.of());
        assertEquals(before, rows.counts());
    }

    @Test
    void anEmptyUsageBatchWritesNothing() {
        Map<String, Long> before = rows.counts();
        store.usage().record(List.of());
        assertEquals(before, rows.counts());
    }

    @Test
    void aClientAddressIsStoredVerbatimUpTo64Characters() {
        long id = newToken(newIntegration(), "30d").token().id();
        store.usage().record(List.of(new TokenUsage(id, START, "x".repeat(100), Map.of(HOUR_1, 1L))));
        assertEquals("x".repeat(64), seed.lastUse(id).ip());
        String hostile = "'; DROP TABLE access_token; --";
        store.usage().record(List.of(new TokenUsage(id, START.plusSeconds(1), hostile, Map.of(HOUR_1, 1L))));
        assertEquals(hostile, seed.lastUse(id).ip());
        assertEquals(Map.of(HOUR_1, 2L), store.usage().hourly(id, HOUR_1, HOUR_2));
    }
}
