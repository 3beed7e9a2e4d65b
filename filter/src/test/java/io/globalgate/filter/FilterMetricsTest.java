package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters of the README's "Metrics" table: names, tags, what moves them, and their removal on close. */
class FilterMetricsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final FakeTicker ticker = new FakeTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HikariDataSource pool;
    private GlobalgateStore store;
    private TokenVerifier verifier;
    private FilterMetrics metrics;

    @BeforeEach
    void bind() {
        pool = TestDatabases.h2();
        store = new GlobalgateStore(pool, clock).migrate();
        verifier = new TokenVerifier(store.tokens()::findDecision, clock, ticker, 1000, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30));
        metrics = new FilterMetrics(verifier);
        metrics.bindTo(registry);
    }

    @AfterEach
    void close() {
        metrics.close();
        pool.close();
    }

    private io.micrometer.core.instrument.FunctionTimer duration(String outcome) {
        return registry.get("globalgate.auth.duration").tag("outcome", outcome).functionTimer();
    }

    private double requests(String outcome, String reason) {
        return registry.get("globalgate.auth.requests").tag("outcome", outcome).tag("reason", reason).functionCounter().count();
    }

    @Test
    void everyOutcomeAndReasonOfTheContractHasItsCounterFromTheStart() {
        String[][] pairs = {{"accepted", "none"}, {"rejected", "missing"}, {"rejected", "malformed"}, {"rejected", "unknown"},
                {"rejected", "expired"}, {"rejected", "revoked"}, {"rejected", "inactive"}, {"rejected", "network"}, {"rejected", "scope"}, {"rejected", "rate_limited"},
                {"unavailable", "store_error"}};
        for (String[] pair : pairs) {
            assertEquals(0.0, requests(pair[0], pair[1]), pair[0] + "/" + pair[1]);
        }
        for (String outcome : new String[]{"accepted", "rejected", "unavailable"}) {
            assertNotNull(registry.get("globalgate.auth.duration").tag("outcome", outcome).functionTimer());
        }
        for (Meter meter : registry.getMeters()) {
            assertTrue(meter.getId().getName().startsWith("globalgate."), meter.getId().getName());
            assertNotNull(meter.getId().getDescription(), () -> meter.getId().getName() + " has no description");
        }
    }

    @Test
    void recordingAnOutcomeMovesOnlyItsOwnMeters() {
        metrics.record(FilterMetrics.Outcome.REVOKED, TimeUnit.MICROSECONDS.toNanos(3));
        metrics.record(FilterMetrics.Outcome.ACCEPTED, TimeUnit.MICROSECONDS.toNanos(1));
        metrics.record(FilterMetrics.Outcome.ACCEPTED, TimeUnit.MICROSECONDS.toNanos(1));

        assertEquals(2.0, requests("accepted", "none"));
        assertEquals(1.0, requests("rejected", "revoked"));
        assertEquals(0.0, requests("rejected", "unknown"));
        assertEquals(2.0, duration("accepted").count());
        assertEquals(2.0, duration("accepted").totalTime(TimeUnit.MICROSECONDS), 1e-9);
        assertEquals(1.0, duration("rejected").count());
        assertEquals(3.0, duration("rejected").totalTime(TimeUnit.MICROSECONDS), 1e-9);
        assertEquals(0.0, duration("unavailable").count());
        assertEquals(0.0, duration("unavailable").totalTime(TimeUnit.MICROSECONDS));
    }

    @Test
    void countsAndTimesFromManyThreadsAtOnceAreAllKept() throws Exception {
        int threads = 16;
        int perThread = 20_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        metrics.record(i % 2 == 0 ? FilterMetrics.Outcome.ACCEPTED : FilterMetrics.Outcome.UNKNOWN, 5);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * perThread / 2.0, requests("accepted", "none"));
        assertEquals(threads * perThread / 2.0, requests("rejected", "unknown"));
        assertEquals(threads * perThread / 2.0, duration("rejected").count());
        assertEquals(threads * perThread / 2.0 * 5, duration("rejected").totalTime(TimeUnit.NANOSECONDS), 1e-6);
    }

    @Test
    void everyVerdictReasonMapsToTheOutcomeOfTheSameName() {
        for (Verdict.Reason reason : Verdict.Reason.values()) {
            FilterMetrics.Outcome outcome = FilterMetrics.Outcome.of(reason);
            assertEquals("rejected", outcome.outcome);
            assertEquals(reason.tag(), outcome.reason);
        }
    }

    @Test
    void cacheAndLookupMetersFollowTheVerifier() {
        Seed seed = new Seed(store);
        long integration = seed.integration("ERP sync").id();
        String token = seed.token(integration, "ci", "never", null).value();
        verifier.verify(token);
        verifier.verify(token);
        verifier.verify(TokenFormat.generate());

        assertEquals(1.0, registry.get("globalgate.cache.size").tag("cache", "known").gauge().value());
        assertEquals(1.0, registry.get("globalgate.cache.size").tag("cache", "unknown").gauge().value());
        assertEquals(1.0, registry.get("globalgate.cache.hits").tag("cache", "known").functionCounter().count());
        assertEquals(2.0, registry.get("globalgate.store.lookups").functionCounter().count());
    }

    @Test
    void cacheMissesAndEvictionsCountTheVerifiersMissesAndItsEvictionsBySizeAndByAge() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        // room for one token in each cache: a second known token evicts one by size
        TokenVerifier small = new TokenVerifier(store.tokens()::findDecision, clock, ticker, 1, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30));
        FilterMetrics bound = new FilterMetrics(small);
        bound.bindTo(own);
        try {
            Seed seed = new Seed(store);
            long integration = seed.integration("ERP sync").id();
            String first = seed.token(integration, "first", "never", null).value();
            String second = seed.token(integration, "second", "never", null).value();
            String forged = TokenFormat.generate();
            assertEquals(List.of(0.0, 0.0, 0.0, 0.0), cacheCounts(own, "misses", "evictions"), "before any request");

            small.verify(first);  // known: miss; unknown: miss; looked up
            small.verify(first);  // known: hit
            small.verify(second); // known: miss; unknown: miss; looked up, and one of the two known tokens evicted
            small.verify(forged); // known: miss; unknown: miss; looked up, unknown from now on
            small.verify(forged); // known: miss; unknown: hit
            assertEquals(List.of(4.0, 3.0, 1.0, 0.0), cacheCounts(own, "misses", "evictions"),
                    "known misses, unknown misses, known evictions (size), unknown evictions");

            ticker.advance(Duration.ofSeconds(61)); // past the negative TTL of 60 s
            assertEquals(Verdict.Reason.UNKNOWN, ((Verdict.Rejected) small.verify(forged)).reason()); // both miss; looked up again
            assertEquals(List.of(5.0, 4.0, 1.0, 1.0), cacheCounts(own, "misses", "evictions"),
                    "the forged token's expired entry is a miss and an eviction by age");
            assertEquals(4.0, own.get("globalgate.store.lookups").functionCounter().count(), "every miss of both caches was looked up");
        } finally {
            bound.close();
        }
    }

    @Test
    void lookupBudgetMetersReadTheBudgetOfTheVerifierAndExistOnlyWithOne() {
        assertEquals(List.of(), registry.find("globalgate.lookup.budget.listed").meters(), "a verifier without a budget");
        assertEquals(List.of(), registry.find("globalgate.lookup.budget.used").meters());
        assertEquals(List.of(), registry.find("globalgate.lookup.budget.refused").meters());

        Seed seed = new Seed(store);
        String token = seed.token(seed.integration("ERP sync").id(), "ci", "never", null).value();
        TokenVerifier budgeted = new TokenVerifier(store.tokens()::findDecision, clock, ticker, 1000, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30));
        LookupBudgets.attach(budgeted, 1, 1, ticker::read, List.of(io.globalgate.token.TokenHash.of(token)));
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        FilterMetrics bound = new FilterMetrics(budgeted);
        bound.bindTo(own);
        try {
            budgeted.verify(TokenFormat.generate(), "192.0.2.7", address -> address); // within the budget
            assertTrue(LookupBudgets.overBudget(budgeted.verify(TokenFormat.generate(), "192.0.2.7", address -> address)));
            budgeted.verify(token, "192.0.2.7", address -> address); // listed: looked up whatever the budget

            assertEquals(1.0, own.get("globalgate.lookup.budget.listed").gauge().value());
            assertEquals(1.0, own.get("globalgate.lookup.budget.used").functionCounter().count());
            assertEquals(1.0, own.get("globalgate.lookup.budget.refused").functionCounter().count());
        } finally {
            bound.close();
        }
    }

    @Test
    void refusedUseMetersCountWhatTheRecorderTookDroppedHoldsAndWroteAndExistOnlyWithOne() {
        assertEquals(List.of(), registry.find("globalgate.refused.uses").meters(), "meters without a recorder");
        assertEquals(List.of(), registry.find("globalgate.refused.tokens.pending").meters());
        assertEquals(List.of(), registry.find("globalgate.refused.tokens.written").meters());

        List<Boolean> answers = new ArrayList<>(List.of(false, true));
        RefusedUseRecorder recorder = new RefusedUseRecorder(batch -> {
            if (!answers.remove(0)) {
                throw new IllegalStateException("test: store refused the batch");
            }
        }, 2);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        FilterMetrics bound = new FilterMetrics(verifier);
        bound.refusedUses(recorder);
        bound.bindTo(own);
        try {
            long t = clock.millis();
            recorder.record(1, t, () -> "192.0.2.1");
            recorder.record(1, t + 1, () -> "192.0.2.1");
            recorder.record(2, t, () -> "192.0.2.1");
            recorder.record(3, t, () -> "192.0.2.1"); // a third token beyond the bound of two
            assertEquals(List.of(3.0, 1.0, 2.0, 0.0), refusedUseCounts(own), "recorded, dropped, pending, written");

            assertEquals(0, recorder.flush(), "refused by the store");
            assertEquals(List.of(3.0, 1.0, 2.0, 0.0), refusedUseCounts(own), "nothing written");
            assertEquals(2, recorder.flush());
            assertEquals(List.of(3.0, 1.0, 0.0, 2.0), refusedUseCounts(own), "one row written per token");
        } finally {
            bound.close();
        }
        assertEquals(List.of(), own.getMeters(), "close removes them too");
    }

    private static List<Double> refusedUseCounts(SimpleMeterRegistry registry) {
        return List.of(registry.get("globalgate.refused.uses").tag("result", "recorded").functionCounter().count(),
                registry.get("globalgate.refused.uses").tag("result", "dropped").functionCounter().count(),
                registry.get("globalgate.refused.tokens.pending").gauge().value(),
                registry.get("globalgate.refused.tokens.written").functionCounter().count());
    }

    /** The known and the unknown cache's count of each of two meters, in that order. */
    private static List<Double> cacheCounts(SimpleMeterRegistry registry, String first, String second) {
        List<Double> counts = new ArrayList<>();
        for (String meter : List.of(first, second)) {
            for (String cache : List.of("known", "unknown")) {
                counts.add(registry.get("globalgate.cache." + meter).tag("cache", cache).functionCounter().count());
            }
        }
        return counts;
    }

    @Test
    void changeFeedLagIsTheTimeSinceTheLastSuccessfulPollInSeconds() {
        ticker.advance(Duration.ofMillis(2500));
        assertEquals(2.5, registry.get("globalgate.changefeed.lag").gauge().value(), 1e-9);

        verifier.markFresh();
        assertEquals(0.0, registry.get("globalgate.changefeed.lag").gauge().value(), 1e-9);
    }

    @Test
    void replicaLagIsNotANumberWithoutAReplicaThenTheLagOfTheLastPoll() {
        assertTrue(Double.isNaN(registry.get("globalgate.replica.lag").gauge().value()));

        metrics.replicaLag(Duration.ofMillis(1250));

        assertEquals(1.25, registry.get("globalgate.replica.lag").gauge().value(), 1e-9);
        metrics.replicaLag(Duration.ZERO);
        assertEquals(0.0, registry.get("globalgate.replica.lag").gauge().value(), "a replica not behind at all: 0, not NaN");
    }

    @Test
    void changeFeedLagIncludesHowFarBehindItsReplicaWas() {
        verifier.markFresh(Duration.ofMillis(700).toNanos());
        ticker.advance(Duration.ofMillis(300));

        assertEquals(1.0, registry.get("globalgate.changefeed.lag").gauge().value(), 1e-9);
    }

    @Test
    void tokenGaugesAreNotANumberUntilTheFirstCountThenTheCount() {
        assertTrue(Double.isNaN(registry.get("globalgate.tokens.active").gauge().value()));

        metrics.tokenCounts(12, 3);

        assertEquals(12.0, registry.get("globalgate.tokens.active").gauge().value());
        assertEquals(3.0, registry.get("globalgate.tokens.expiring").gauge().value());
        metrics.tokenCounts(0, 0);
        assertEquals(0.0, registry.get("globalgate.tokens.active").gauge().value(), "no token at all: 0, not NaN");
        assertEquals(0.0, registry.get("globalgate.tokens.expiring").gauge().value());
    }

    @Test
    void maxStalenessGaugeIsTheVerifiersMaxStalenessInSeconds() {
        assertEquals(30.0, registry.get("globalgate.changefeed.max.staleness").gauge().value());
    }

    /** A verifier and its meters over the same store, counting integrations apart up to a limit. */
    private record Counting(TokenVerifier verifier, FilterMetrics metrics) implements AutoCloseable {

        /** What the filter does with a verdict: records it with the counter it carries. */
        void decide(String token) {
            Verdict verdict = verifier.verify(token);
            if (verdict instanceof Verdict.Accepted accepted) {
                metrics.record(FilterMetrics.Outcome.ACCEPTED, 1, accepted.counter());
            } else if (verdict instanceof Verdict.Rejected rejected) {
                metrics.record(FilterMetrics.Outcome.of(rejected.reason()), 1, rejected.counter());
            }
        }

        @Override
        public void close() {
            metrics.close();
        }
    }

    private Counting withIntegrationLimit(int limit, SimpleMeterRegistry into) {
        TokenVerifier counting = new TokenVerifier(store.tokens()::findDecision, clock, ticker, 1000, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30), new IntegrationMeters(limit));
        FilterMetrics bound = new FilterMetrics(counting);
        bound.bindTo(into);
        return new Counting(counting, bound);
    }

    private static double integrationRequests(SimpleMeterRegistry registry, String integration, String reason) {
        return registry.get("globalgate.integration.requests").tag("integration", integration).tag("reason", reason)
                .functionCounter().count();
    }

    @Test
    void eachIntegrationHasFourCountersFromItsFirstRequest() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (Counting counting = withIntegrationLimit(10, own)) {
            Seed seed = new Seed(store);
            Seed.Integration erp = seed.integration("ERP sync");
            String token = seed.token(erp.id(), "ci", "never", null).value();
            assertEquals(List.of(), own.find("globalgate.integration.requests").meters(), "before any request");

            counting.decide(token);
            counting.decide(token);
            counting.decide(token);
            counting.decide(TokenFormat.generate());

            assertEquals(Map.of("accepted/none", 3.0, "rejected/expired", 0.0, "rejected/revoked", 0.0, "rejected/inactive", 0.0,
                            "rejected/network", 0.0, "rejected/scope", 0.0, "rejected/rate_limited", 0.0),
                    own.find("globalgate.integration.requests").tag("integration", "ERP sync")
                            .tag("integration_id", Long.toString(erp.id())).functionCounters().stream()
                            .collect(Collectors.toMap(c -> c.getId().getTag("outcome") + "/" + c.getId().getTag("reason"),
                                    FunctionCounter::count)));
            assertEquals(7, own.find("globalgate.integration.requests").meters().size(), "an unknown token has no integration");
        }
    }

    @Test
    void integrationsBeyondTheLimitAreCountedTogetherAsOther() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (Counting counting = withIntegrationLimit(2, own)) {
            Seed seed = new Seed(store);
            List<String> tokens = new ArrayList<>();
            for (String name : List.of("First", "Second", "Third", "Fourth")) {
                tokens.add(seed.token(seed.integration(name).id(), "ci", "never", null).value());
            }
            Seed.Issued ofFifth = seed.token(seed.integration("Fifth").id(), "ci", "never", null);
            seed.revoke(ofFifth.token().id());

            tokens.forEach(counting::decide);
            counting.decide(tokens.get(3));
            counting.decide(ofFifth.value());

            assertEquals(1.0, integrationRequests(own, "First", "none"));
            assertEquals(1.0, integrationRequests(own, "Second", "none"));
            assertEquals(3.0, integrationRequests(own, "other", "none"), "Third once and Fourth twice");
            assertEquals(1.0, integrationRequests(own, "other", "revoked"), "Fifth's revoked token");
            assertEquals(Set.of("First", "Second", "other"), own.find("globalgate.integration.requests").meters().stream()
                    .map(m -> m.getId().getTag("integration")).collect(Collectors.toSet()));
            assertEquals(21, own.find("globalgate.integration.requests").meters().size(), "seven series for each of three");
        }
    }

    @Test
    void integrationMetricsZeroRegistersNoPerIntegrationMeter() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (Counting counting = withIntegrationLimit(0, own)) {
            Seed seed = new Seed(store);
            String token = seed.token(seed.integration("ERP sync").id(), "ci", "never", null).value();
            counting.decide(token);

            assertEquals(1.0, own.get("globalgate.auth.requests").tag("outcome", "accepted").functionCounter().count());
            assertEquals(List.of(), own.find("globalgate.integration.requests").meters());
        }
    }

    @Test
    void closeRemovesThePerIntegrationMetersToo() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        Counting counting = withIntegrationLimit(1, own);
        Seed seed = new Seed(store);
        counting.decide(seed.token(seed.integration("First").id(), "ci", "never", null).value());
        counting.decide(seed.token(seed.integration("Second").id(), "ci", "never", null).value());
        assertEquals(14, own.find("globalgate.integration.requests").meters().size());

        counting.close();

        assertEquals(List.of(), own.getMeters().stream().map(m -> m.getId().toString()).toList());
    }

    @Test
    void closeRemovesEveryMeterFromTheRegistry() {
        metrics.close();

        assertEquals(0, registry.getMeters().size(), () -> "left behind: " + registry.getMeters().stream().map(m -> m.getId().toString()).toList());
    }
}
