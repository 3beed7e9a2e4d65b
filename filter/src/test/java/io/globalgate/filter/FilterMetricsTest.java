package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters of CONTRACT.md: names, tags, what moves them, and their removal on close. */
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
                {"rejected", "expired"}, {"rejected", "revoked"}, {"rejected", "inactive"}, {"unavailable", "store_error"}};
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
    void changeFeedLagIsTheTimeSinceTheLastSuccessfulPollInSeconds() {
        ticker.advance(Duration.ofMillis(2500));
        assertEquals(2.5, registry.get("globalgate.changefeed.lag").gauge().value(), 1e-9);

        verifier.markFresh();
        assertEquals(0.0, registry.get("globalgate.changefeed.lag").gauge().value(), 1e-9);
    }

    @Test
    void tokenGaugesAreNotANumberUntilTheFirstCountThenTheCount() {
        assertTrue(Double.isNaN(registry.get("globalgate.tokens.active").gauge().value()));

        metrics.tokenCounts(12, 3);

        assertEquals(12.0, registry.get("globalgate.tokens.active").gauge().value());
        assertEquals(3.0, registry.get("globalgate.tokens.expiring").gauge().value());
    }

    @Test
    void closeRemovesEveryMeterFromTheRegistry() {
        metrics.close();

        assertEquals(0, registry.getMeters().size(), () -> "left behind: " + registry.getMeters().stream().map(m -> m.getId().toString()).toList());
    }
}
