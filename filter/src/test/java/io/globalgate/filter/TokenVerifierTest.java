package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenDecision;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.OutageDataSource;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier against a real (H2) store: what reaches the store, what is cached, and for how long. */
class TokenVerifierTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration NEGATIVE_TTL = Duration.ofSeconds(60);
    private static final Duration MAX_STALENESS = Duration.ofSeconds(3);

    private final MutableClock clock = new MutableClock(START);
    private final FakeTicker ticker = new FakeTicker();
    private HikariDataSource pool;
    private OutageDataSource database;
    private GlobalgateStore store;
    private Seed seed;
    private long integrationId;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeEach
    void createStore() {
        pool = TestDatabases.h2();
        database = new OutageDataSource(pool);
        store = new GlobalgateStore(database, clock).migrate();
        seed = new Seed(store);
        integrationId = seed.integration("ERP sync").id();
    }

    @AfterEach
    void closeStore() {
        executor.shutdownNow();
        pool.close();
    }

    private TokenVerifier verifier(TokenVerifier.DecisionSource source, int maxEntries) {
        return new TokenVerifier(source, clock, ticker, maxEntries, TTL, NEGATIVE_TTL, MAX_STALENESS);
    }

    private TokenVerifier verifier() {
        return verifier(store.tokens()::findDecision, 1000);
    }

    /** A verifier that, like the filter's, is told at once of changes made through this store. */
    private TokenVerifier listeningVerifier() {
        TokenVerifier verifier = verifier();
        store.addChangeListener(verifier::apply);
        return verifier;
    }

    private Seed.Issued token(String expiration) {
        return seed.token(integrationId, "token " + System.nanoTime(), expiration, null);
    }

    private static Verdict.Rejected rejected(Verdict verdict, Verdict.Reason reason) {
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, () -> "expected a refusal, got " + verdict);
        assertEquals(reason, rejected.reason(), rejected::message);
        return rejected;
    }

    private static String withBadChecksum(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    // ---- format first

    @Test
    void tokenWithBadChecksumIsRefusedAsMalformedWithoutAnyStoreLookup() {
        TokenVerifier verifier = verifier();
        String valid = token("never").value();

        Verdict verdict = verifier.verify(withBadChecksum(valid));

        assertEquals("Bearer token is malformed: token checksum does not match", rejected(verdict, Verdict.Reason.MALFORMED).message());
        assertEquals(0, verifier.storeLookups());
        assertEquals(0, verifier.knownCache().estimatedSize() + verifier.unknownCache().estimatedSize());
    }

    @Test
    void tokensOfTheWrongShapeAreRefusedWithoutAnyStoreLookup() {
        TokenVerifier verifier = verifier();

        for (String bad : List.of("", "gat_", "ghp_" + "a".repeat(38), "gat_" + "a".repeat(37), "gat_" + "a".repeat(37) + "-")) {
            rejected(verifier.verify(bad), Verdict.Reason.MALFORMED);
        }

        assertEquals(0, verifier.storeLookups());
    }

    @Test
    void malformedTokenIsRefusedAsMalformedEvenBeforeTheStoreIsReady() {
        TokenVerifier verifier = verifier();
        verifier.setReady(false);

        rejected(verifier.verify("gat_nope"), Verdict.Reason.MALFORMED);
        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(token("never").value()));
        assertEquals(0, verifier.storeLookups());
    }

    // ---- cache

    @Test
    void aValidTokensSecondRequestIsAnsweredFromTheCache() {
        TokenVerifier verifier = verifier();
        Seed.Issued issued = token("30d");

        Verdict first = verifier.verify(issued.value());
        Verdict second = verifier.verify(issued.value());

        Verdict.Accepted accepted = assertInstanceOf(Verdict.Accepted.class, first);
        assertEquals(new Verdict.Accepted(issued.token().id(), integrationId, "ERP sync"), accepted);
        assertEquals(first, second);
        assertEquals(1, verifier.storeLookups());
    }

    @Test
    void withCacheMaxEntriesZeroEveryRequestIsLookedUp() {
        TokenVerifier verifier = verifier(store.tokens()::findDecision, 0);
        String token = token("never").value();

        verifier.verify(token);
        verifier.verify(token);
        rejected(verifier.verify(TokenFormat.generate()), Verdict.Reason.UNKNOWN);
        rejected(verifier.verify(TokenFormat.generate()), Verdict.Reason.UNKNOWN);

        assertEquals(4, verifier.storeLookups());
    }

    /**
     * Sixteen requests for {@code token} at once, the store's answer held until all of them are
     * parked (one in the store, the others waiting for its answer): one lookup answers them all.
     */
    private List<Verdict> sixteenConcurrentRequests(String token, TokenVerifier.DecisionSource answer) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger storeCalls = new AtomicInteger();
        TokenVerifier verifier = verifier(hash -> {
            storeCalls.incrementAndGet();
            await(release);
            return answer.find(hash);
        }, 1000);
        List<Verdict> verdicts = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread t = new Thread(() -> verdicts.add(verifier.verify(token)), "request-" + i);
            threads.add(t);
            t.start();
        }
        awaitParked(threads);
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }

        assertEquals(16, verdicts.size());
        assertEquals(1, storeCalls.get());
        assertEquals(1, verifier.storeLookups());
        return verdicts;
    }

    @Test
    void concurrentRequestsForOneUnknownTokenCauseOneStoreLookup() throws Exception {
        sixteenConcurrentRequests(TokenFormat.generate(), store.tokens()::findDecision)
                .forEach(v -> rejected(v, Verdict.Reason.UNKNOWN));
    }

    @Test
    void concurrentRequestsForOneValidTokenAreAllAcceptedOnTheOneLookupsAnswer() throws Exception {
        Seed.Issued issued = token("never");
        Verdict.Accepted expected = new Verdict.Accepted(issued.token().id(), integrationId, "ERP sync");

        sixteenConcurrentRequests(issued.value(), store.tokens()::findDecision).forEach(v -> assertEquals(expected, v));
    }

    @Test
    void concurrentRequestsWhoseOneLookupFailsAreAllUnavailable() throws Exception {
        String token = token("never").value();
        database.down();

        sixteenConcurrentRequests(token, store.tokens()::findDecision).forEach(v -> assertEquals(
                new Verdict.Unavailable("Token store unavailable; try again shortly"), v));
    }

    @Test
    void aRequestInterruptedWhileWaitingForAnotherRequestsLookupIsUnavailableKeepsItsInterruptAndMarksNoStoreFailure() throws Exception {
        CountDownLatch inStore = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstLookup = new AtomicBoolean(true);
        TokenVerifier verifier = verifier(hash -> {
            if (firstLookup.getAndSet(false)) {
                inStore.countDown();
                await(release);
            }
            return store.tokens().findDecision(hash);
        }, 1000);
        String token = token("never").value();
        Future<Verdict> asking = executor.submit(() -> verifier.verify(token));
        assertTrue(inStore.await(10, TimeUnit.SECONDS));
        java.util.concurrent.atomic.AtomicReference<Verdict> waited = new java.util.concurrent.atomic.AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread waiting = new Thread(() -> {
            waited.set(verifier.verify(token));
            interruptKept.set(Thread.currentThread().isInterrupted());
        }, "waiting request");
        waiting.start();
        awaitParked(List.of(waiting));

        waiting.interrupt();
        waiting.join(10_000);
        // an interrupted request thread says nothing of the store: another token's miss is looked
        // up, not refused by the back-off of a store failure
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(token("never").value()), "a miss after the interrupt");
        release.countDown();

        assertInstanceOf(Verdict.Unavailable.class, waited.get());
        assertTrue(interruptKept.get(), "the waiting request's thread is still marked interrupted");
        assertInstanceOf(Verdict.Accepted.class, asking.get(10, TimeUnit.SECONDS), "the request that asked the store is answered");
        assertEquals(2, verifier.storeLookups());
    }

    @Test
    void unknownTokenIsRememberedForTheNegativeTtlOnly() {
        TokenVerifier verifier = verifier();
        String unknown = TokenFormat.generate();

        rejected(verifier.verify(unknown), Verdict.Reason.UNKNOWN);
        ticker.advance(NEGATIVE_TTL.minusSeconds(1));
        assertEquals("Token is not recognised", rejected(verifier.verify(unknown), Verdict.Reason.UNKNOWN).message());
        assertEquals(1, verifier.storeLookups());

        ticker.advance(Duration.ofSeconds(2));
        rejected(verifier.verify(unknown), Verdict.Reason.UNKNOWN);
        assertEquals(2, verifier.storeLookups());
    }

    @Test
    void floodOfDistinctUnknownTokensDoesNotEvictKnownTokens() {
        int maxEntries = 100;
        TokenVerifier verifier = verifier(store.tokens()::findDecision, maxEntries);
        List<String> known = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            known.add(token("never").value());
        }
        known.forEach(t -> assertInstanceOf(Verdict.Accepted.class, verifier.verify(t)));

        int flood = 3000;
        for (int i = 0; i < flood; i++) {
            rejected(verifier.verify(TokenFormat.generate()), Verdict.Reason.UNKNOWN);
        }
        verifier.unknownCache().cleanUp();
        verifier.knownCache().cleanUp();

        assertTrue(verifier.unknownCache().estimatedSize() <= maxEntries, "unknown cache holds " + verifier.unknownCache().estimatedSize());
        assertEquals(known.size(), verifier.knownCache().estimatedSize());
        long lookupsAfterFlood = verifier.storeLookups();
        assertEquals(known.size() + flood, lookupsAfterFlood);
        known.forEach(t -> assertInstanceOf(Verdict.Accepted.class, verifier.verify(t)));
        assertEquals(lookupsAfterFlood, verifier.storeLookups(), "a known token was evicted by the flood");
    }

    @Test
    void cachedTokenIsRefusedAtExactlyItsExpiresAtSecond() {
        TokenVerifier verifier = verifier();
        Instant expiresAt = START.plus(Duration.ofHours(2));
        Seed.Issued issued = seed.token(integrationId, "short-lived", null, expiresAt.toString());
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));

        clock.set(expiresAt.minusMillis(1));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        clock.set(expiresAt);
        Verdict.Rejected atExpiry = rejected(verifier.verify(issued.value()), Verdict.Reason.EXPIRED);

        assertEquals("Token expired at 2026-03-02T11:00:00Z", atExpiry.message());
        assertEquals(1, verifier.storeLookups(), "expiry is judged from the cached instant, not by a new lookup");
    }

    @Test
    void expiryWithAFractionOfAMillisecondIsJudgedToTheNanosecond() {
        Instant expiresAt = START.plus(Duration.ofHours(1)).plusNanos(400_000); // 0.4 ms into a millisecond
        String token = TokenFormat.generate();
        TokenVerifier verifier = verifier(hash -> Optional.of(new TokenDecision(5, integrationId, "ERP sync", true, expiresAt, null)), 1000);

        clock.set(expiresAt.minusNanos(400_000).minusMillis(1));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(token));
        clock.set(expiresAt.minusNanos(1)); // same millisecond, just before
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(token));
        clock.set(expiresAt);
        rejected(verifier.verify(token), Verdict.Reason.EXPIRED);
        clock.set(expiresAt.plusMillis(1).minusNanos(400_000)); // the next millisecond
        rejected(verifier.verify(token), Verdict.Reason.EXPIRED);
        assertEquals(1, verifier.storeLookups());
    }

    @Test
    void cachedEntryIsLookedUpAgainAfterTheCacheTtl() {
        TokenVerifier verifier = verifier();
        String token = token("never").value();
        verifier.verify(token);

        ticker.advance(TTL.plusSeconds(1));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(token));

        assertEquals(2, verifier.storeLookups());
    }

    // ---- invalidation

    @Test
    void revokedTokenIsRefusedAtOnceWhenTheStoreTellsTheVerifier() {
        TokenVerifier verifier = listeningVerifier();
        Seed.Issued issued = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));

        seed.revoke(issued.token().id());

        assertEquals("Token has been revoked", rejected(verifier.verify(issued.value()), Verdict.Reason.REVOKED).message());
        assertEquals(2, verifier.storeLookups());
    }

    @Test
    void aChangeEventForOneTokenDropsThatTokensCachedAcceptOnly() {
        TokenVerifier verifier = verifier(); // told only what this test applies
        Seed.Issued changed = token("never");
        Seed.Issued other = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(changed.value()));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(other.value()));
        seed.revoke(changed.token().id(), other.token().id()); // in the store; the verifier hears of one

        verifier.apply(new ChangeEvent(1, ChangeEvent.Kind.TOKEN_REVOKED, integrationId, changed.token().id(),
                TokenHash.of(changed.value())));

        rejected(verifier.verify(changed.value()), Verdict.Reason.REVOKED);
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(other.value()), "the other token's entry is still cached");
        assertEquals(3, verifier.storeLookups());
    }

    @Test
    void aChangeEventForOneTokenDropsThatTokensCachedUnknown() {
        // A node whose lookup ran before the token's row was there to read (a replica behind its
        // primary) remembers the token as unknown; an event about the token makes it ask again.
        Seed.Issued issued = token("never");
        AtomicBoolean rowVisible = new AtomicBoolean(false);
        TokenVerifier verifier = verifier(hash -> rowVisible.get() ? store.tokens().findDecision(hash) : Optional.empty(), 1000);
        rejected(verifier.verify(issued.value()), Verdict.Reason.UNKNOWN);
        rowVisible.set(true);
        rejected(verifier.verify(issued.value()), Verdict.Reason.UNKNOWN);
        assertEquals(1, verifier.storeLookups(), "remembered as unknown");

        verifier.apply(new ChangeEvent(1, ChangeEvent.Kind.TOKEN_EXPIRY_CHANGED, integrationId, issued.token().id(),
                TokenHash.of(issued.value())));

        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        assertEquals(2, verifier.storeLookups());
    }

    @Test
    void theIntegrationsActiveFlagDecidesForEveryTokenOfIt() {
        TokenVerifier verifier = listeningVerifier();
        String first = token("never").value();
        String second = token("30d").value();
        long otherIntegration = seed.integration("Billing").id();
        String other = seed.token(otherIntegration, "billing", "never", null).value();
        List.of(first, second, other).forEach(t -> assertInstanceOf(Verdict.Accepted.class, verifier.verify(t)));

        seed.setActive(integrationId, false);
        assertEquals("The integration of this token is inactive", rejected(verifier.verify(first), Verdict.Reason.INACTIVE).message());
        rejected(verifier.verify(second), Verdict.Reason.INACTIVE);
        long lookups = verifier.storeLookups();
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(other));
        assertEquals(lookups, verifier.storeLookups(), "another integration's token stays cached");

        seed.setActive(integrationId, true);
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(first));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(second));
    }

    @Test
    void lookupRacingWithRevocationDoesNotCacheWhatItRead() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean firstLookup = new AtomicBoolean(true);
        TokenVerifier verifier = verifier(hash -> {
            Optional<TokenDecision> decision = store.tokens().findDecision(hash);
            if (firstLookup.getAndSet(false)) {
                read.countDown();
                await(proceed); // the revocation commits and is applied while we hold the old row
            }
            return decision;
        }, 1000);
        store.addChangeListener(verifier::apply);
        Seed.Issued issued = token("never");

        Future<Verdict> inFlight = executor.submit(() -> verifier.verify(issued.value()));
        assertTrue(read.await(10, TimeUnit.SECONDS));
        seed.revoke(issued.token().id());
        proceed.countDown();

        // The request that read before the revocation is answered from what it read ...
        assertInstanceOf(Verdict.Accepted.class, inFlight.get(10, TimeUnit.SECONDS));
        // ... but that answer was not kept: the next request asks the store and is refused.
        rejected(verifier.verify(issued.value()), Verdict.Reason.REVOKED);
        assertEquals(2, verifier.storeLookups());
    }

    @Test
    void lookupRacingWithDeactivationDoesNotCacheWhatItRead() throws Exception {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean firstLookup = new AtomicBoolean(true);
        TokenVerifier verifier = verifier(hash -> {
            Optional<TokenDecision> decision = store.tokens().findDecision(hash);
            if (firstLookup.getAndSet(false)) {
                read.countDown();
                await(proceed);
            }
            return decision;
        }, 1000);
        store.addChangeListener(verifier::apply);
        String token = token("never").value();

        Future<Verdict> inFlight = executor.submit(() -> verifier.verify(token));
        assertTrue(read.await(10, TimeUnit.SECONDS));
        seed.setActive(integrationId, false);
        proceed.countDown();

        assertInstanceOf(Verdict.Accepted.class, inFlight.get(10, TimeUnit.SECONDS));
        rejected(verifier.verify(token), Verdict.Reason.INACTIVE);
    }

    @Test
    void invalidateAllForgetsKnownAndUnknownTokens() {
        TokenVerifier verifier = verifier();
        String token = token("never").value();
        String unknown = TokenFormat.generate();
        verifier.verify(token);
        verifier.verify(unknown);

        verifier.invalidateAll();
        verifier.verify(token);
        verifier.verify(unknown);

        assertEquals(4, verifier.storeLookups());
    }

    // ---- the budget of lookups of tokens this node does not know to exist

    @Test
    void anUnlistedTokenBeyondTheLookupBudgetIsUnavailableWithoutAStoreLookup() {
        TokenVerifier verifier = verifier();
        TokenLookupBudget budget = new TokenLookupBudget(3, 2, ticker::read);
        verifier.lookupBudget(budget);
        assertSame(budget, verifier.lookupBudget(), "what the filter's meters read");

        rejected(verifier.verify(TokenFormat.generate(), "192.0.2.7", address -> address), Verdict.Reason.UNKNOWN);
        rejected(verifier.verify(TokenFormat.generate(), "192.0.2.7", address -> address), Verdict.Reason.UNKNOWN);
        Verdict.Unavailable spent = assertInstanceOf(Verdict.Unavailable.class,
                verifier.verify(TokenFormat.generate(), "192.0.2.7", address -> address));

        assertTrue(spent.overLookupBudget(), spent::toString);
        assertEquals("Too many unknown tokens; try again shortly", spent.message());
        assertEquals(2, verifier.storeLookups(), "the third was not looked up");
        assertEquals(1, budget.refused());
        rejected(verifier.verify(TokenFormat.generate(), "192.0.2.8", address -> address), Verdict.Reason.UNKNOWN);
        assertEquals(3, verifier.storeLookups(), "another address has its own budget, within the node's");
        ticker.advance(Duration.ofMillis(500));
        rejected(verifier.verify(TokenFormat.generate(), "192.0.2.7", address -> address), Verdict.Reason.UNKNOWN);
        assertEquals(4, verifier.storeLookups(), "half a second gives back one of the address's two per second");
    }

    @Test
    void aTokenTheFeedListedIsLookedUpWhenTheBudgetIsSpent() {
        TokenVerifier verifier = verifier();
        TokenLookupBudget budget = new TokenLookupBudget(1, 1, ticker::read);
        verifier.lookupBudget(budget);
        rejected(verifier.verify(TokenFormat.generate()), Verdict.Reason.UNKNOWN);
        Seed.Issued heard = token("never");
        Seed.Issued unheard = token("never");
        budget.heard(new ChangeEvent(1, ChangeEvent.Kind.TOKEN_CREATED, integrationId, heard.token().id(), TokenHash.of(heard.value())));
        budget.heard(new ChangeEvent(2, ChangeEvent.Kind.TOKEN_REVOKED, integrationId, unheard.token().id(), TokenHash.of(unheard.value())));

        assertInstanceOf(Verdict.Accepted.class, verifier.verify(heard.value()), "listed by its token.created event");
        Verdict.Unavailable refused = assertInstanceOf(Verdict.Unavailable.class, verifier.verify(unheard.value()),
                "another kind of event lists nothing");
        assertTrue(refused.overLookupBudget());
        assertEquals(2, verifier.storeLookups());
        assertEquals(1, budget.listedCount());
    }

    @Test
    void aCachedAcceptThatMustBeCheckedAgainIsLookedUpWhateverTheBudget() {
        TokenVerifier verifier = verifier();
        Seed.Issued known = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(known.value()));
        TokenLookupBudget budget = new TokenLookupBudget(1, 1, () -> 0L); // its time stands still: spent stays spent
        verifier.lookupBudget(budget);
        rejected(verifier.verify(TokenFormat.generate()), Verdict.Reason.UNKNOWN);
        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(TokenFormat.generate()), "the budget is spent");
        long lookups = verifier.storeLookups();

        ticker.advance(MAX_STALENESS.plusNanos(1)); // the change feed went quiet: the cached accept is checked again
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(known.value()));
        assertEquals(lookups + 1, verifier.storeLookups());
    }

    // ---- staleness and outages

    @Test
    void aFeedThatComesBackAfterMaxStalenessDropsEverythingCachedBeforeSoChangesItMissedAreSeen() {
        TokenVerifier verifier = verifier(); // not listening: it learns nothing unless it asks
        Seed.Issued issued = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        assertEquals(1, verifier.storeLookups());

        ticker.advance(MAX_STALENESS.plusSeconds(1)); // the feed went unread...
        seed.revoke(issued.token().id()); // ...while this happened
        verifier.markFresh(); // and now it is read again, without this event (purged, or from before a gap)

        rejected(verifier.verify(issued.value()), Verdict.Reason.REVOKED);
        assertEquals(2, verifier.storeLookups(), "the cached accept was dropped when the feed came back");
    }

    @Test
    void aFeedReadOnTimeKeepsTheCache() {
        TokenVerifier verifier = verifier();
        Seed.Issued issued = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        ticker.advance(MAX_STALENESS); // exactly: still fresh
        verifier.markFresh();
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        assertEquals(1, verifier.storeLookups());
        assertEquals(0.0, verifier.secondsSinceFresh());
    }

    @Test
    void afterMaxStalenessCachedAcceptsAreCheckedAgainstTheStore() {
        TokenVerifier verifier = verifier(); // not listening: it learns nothing unless it asks
        Seed.Issued issued = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));

        ticker.advance(MAX_STALENESS);
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        assertEquals(1, verifier.storeLookups(), "exactly maxStaleness since the last read: answered from the cache");
        assertEquals(MAX_STALENESS.toNanos() / 1e9, verifier.secondsSinceFresh());
        assertEquals(MAX_STALENESS, verifier.maxStaleness());

        ticker.advance(Duration.ofNanos(1));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(issued.value()));
        assertEquals(2, verifier.storeLookups(), "one nanosecond beyond maxStaleness: re-checked");

        seed.revoke(issued.token().id()); // a change this verifier was never told of
        rejected(verifier.verify(issued.value()), Verdict.Reason.REVOKED);
    }

    @Test
    void readingAReplicaPastMaxStalenessCachedAcceptsAndMissesAreUnavailableWithoutALookup() {
        TokenVerifier verifier = verifier();
        verifier.lookupsReadReplica();
        String cached = token("never").value();
        String uncached = token("never").value();
        Seed.Issued revoked = token("never");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(cached));
        seed.revoke(revoked.token().id());
        rejected(verifier.verify(revoked.value()), Verdict.Reason.REVOKED);

        verifier.markFresh(MAX_STALENESS.plusMillis(1).toNanos()); // the feed was read, on a replica further behind than that

        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(cached), "the replica may show a revoked token as live");
        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(uncached));
        rejected(verifier.verify(revoked.value()), Verdict.Reason.REVOKED); // a cached refusal stays right
        assertEquals(2, verifier.storeLookups(), "nothing read on a replica this far behind");

        verifier.markFresh(Duration.ofMillis(200).toNanos()); // the replica caught up
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(uncached));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(cached));
    }

    @Test
    void replicaLagCountsIntoStaleness() {
        TokenVerifier verifier = verifier();
        verifier.markFresh(MAX_STALENESS.minusMillis(500).toNanos());
        assertTrue(verifier.isFresh());

        ticker.advance(Duration.ofMillis(501));
        assertTrue(!verifier.isFresh(), "the poll was on time, but what it read was older than maxStaleness by now");
        assertEquals(MAX_STALENESS.toMillis() + 1, Math.round(verifier.secondsSinceFresh() * 1000));
    }

    @Test
    void afterMaxStalenessWithTheStoreUnreachableOnlyCachedAcceptsBecomeUnavailable() {
        TokenVerifier verifier = listeningVerifier();
        String accepted = token("never").value();
        Seed.Issued revoked = token("never");
        Seed.Issued expiring = seed.token(integrationId, "expiring", null, START.plusSeconds(60).toString());
        String unknown = TokenFormat.generate();
        seed.revoke(revoked.token().id());
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(accepted));
        rejected(verifier.verify(revoked.value()), Verdict.Reason.REVOKED);
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(expiring.value()));
        rejected(verifier.verify(unknown), Verdict.Reason.UNKNOWN);
        long lookups = verifier.storeLookups();

        database.down();
        clock.set(START.plusSeconds(61));
        ticker.advance(MAX_STALENESS.plusMillis(1));

        Verdict.Unavailable unavailable = assertInstanceOf(Verdict.Unavailable.class, verifier.verify(accepted));
        assertEquals("Token store unavailable; try again shortly", unavailable.message());
        rejected(verifier.verify(revoked.value()), Verdict.Reason.REVOKED);
        rejected(verifier.verify(expiring.value()), Verdict.Reason.EXPIRED);
        rejected(verifier.verify(unknown), Verdict.Reason.UNKNOWN);
        assertEquals(lookups + 1, verifier.storeLookups(), "only the accept was re-checked");

        database.up();
        verifier.markFresh(); // the change feed answers again, after longer than maxStaleness
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(accepted));
        assertEquals(lookups + 2, verifier.storeLookups(), "what was cached before the outage is read once more");
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(accepted));
        assertEquals(lookups + 2, verifier.storeLookups(), "and cached again");
    }

    @Test
    void withinMaxStalenessCachedAcceptsKeepWorkingWhileTheStoreIsUnreachable() {
        TokenVerifier verifier = verifier();
        String token = token("never").value();
        verifier.verify(token);

        database.down();
        ticker.advance(MAX_STALENESS.minusMillis(1));

        assertInstanceOf(Verdict.Accepted.class, verifier.verify(token));
    }

    @Test
    void uncachedTokenIsUnavailableNotRefusedWhileTheStoreIsUnreachable() {
        TokenVerifier verifier = verifier();
        String neverUsed = token("never").value();

        database.down();

        Verdict verdict = verifier.verify(neverUsed);
        assertInstanceOf(Verdict.Unavailable.class, verdict, () -> "a store failure must never become a refusal: " + verdict);
        assertEquals(0, verifier.knownCache().estimatedSize() + verifier.unknownCache().estimatedSize());
    }

    @Test
    void afterAFailedLookupMissesFailFastForOneSecondThenTheStoreIsTriedAgain() {
        TokenVerifier verifier = verifier();
        String first = token("never").value();
        String second = token("never").value();
        database.down();

        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(first));
        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(second));
        assertEquals(1, verifier.storeLookups(), "within the back-off the store is not asked");

        database.up();
        ticker.advance(Duration.ofSeconds(1).minusNanos(1));
        assertInstanceOf(Verdict.Unavailable.class, verifier.verify(second));
        assertEquals(1, verifier.storeLookups(), "one nanosecond before the second is over, still not asked");
        ticker.advance(Duration.ofNanos(1));
        assertInstanceOf(Verdict.Accepted.class, verifier.verify(second));
        assertEquals(2, verifier.storeLookups());
    }

    /** Until every thread waits (in the store, or for another request's lookup). */
    private static void awaitParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
            assertTrue(System.nanoTime() < deadline, "requests did not all reach the verifier");
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test latch never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
