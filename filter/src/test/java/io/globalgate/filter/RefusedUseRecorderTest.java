package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.RefusedUse;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.OutageDataSource;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The last refused uses of ended tokens: coalesced per token, bounded, written to a real (H2) store. */
class RefusedUseRecorderTest {

    private static final Instant T = Instant.parse("2026-12-02T07:00:00Z");
    private static HikariDataSource pool;
    private static OutageDataSource outage;
    private static GlobalgateStore store;
    private static Seed seed;
    private static long integrationId;

    @BeforeAll
    static void createStore() {
        pool = TestDatabases.h2();
        outage = new OutageDataSource(pool);
        store = new GlobalgateStore(outage, new MutableClock(T)).migrate();
        seed = new Seed(store);
        integrationId = seed.integration("ERP sync").id();
    }

    @AfterAll
    static void closeStore() {
        pool.close();
    }

    private static long revokedToken() {
        long id = seed.token(integrationId, "token " + System.nanoTime(), "never", null).token().id();
        seed.revoke(id);
        return id;
    }

    @Test
    void aFloodOfRefusedRequestsOfOneTokenIsOneRowPerFlushCarryingTheLatest() throws Exception {
        List<List<RefusedUse>> batches = new CopyOnWriteArrayList<>();
        RefusedUseRecorder recorder = new RefusedUseRecorder(batches::add);
        long start = T.toEpochMilli();
        int threads = 4;
        int perThread = 25_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        recorder.record(7, start + i, () -> "192.0.2." + thread);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, recorder.pending());
        assertEquals(1, recorder.flush());
        assertEquals(1, batches.size());
        assertEquals(1, batches.get(0).size(), "one row for 100,000 refused requests");
        assertEquals(Instant.ofEpochMilli(start + perThread - 1), batches.get(0).get(0).at(), "the latest of them");
        assertEquals(threads * perThread, recorder.recorded());
        assertEquals(0, recorder.flush(), "nothing new: nothing written");
        assertEquals(1, batches.size());
    }

    @Test
    void theClientAddressIsAskedForOnlyWhenTheLastRefusedUseMovesForward() {
        List<List<RefusedUse>> batches = new ArrayList<>();
        RefusedUseRecorder recorder = new RefusedUseRecorder(batches::add);
        AtomicInteger asked = new AtomicInteger();
        long start = T.toEpochMilli();
        recorder.record(7, start + 500, () -> "192.0.2." + asked.incrementAndGet());
        recorder.record(7, start + 100, () -> "192.0.2." + asked.incrementAndGet()); // older: not asked
        recorder.record(7, start + 500, () -> "192.0.2." + asked.incrementAndGet()); // same millisecond: not asked
        recorder.record(7, start + 501, () -> "192.0.2." + asked.incrementAndGet());
        assertEquals(2, asked.get());
        recorder.flush();
        assertEquals(List.of(new RefusedUse(7, Instant.ofEpochMilli(start + 501), "192.0.2.2")), batches.get(0));
    }

    @Test
    void aFloodOfRefusedUsesOfManyTokensHoldsAtMostMaxTokensAndCountsTheRestAsDropped() {
        List<List<RefusedUse>> batches = new ArrayList<>();
        RefusedUseRecorder recorder = new RefusedUseRecorder(batches::add);
        int tokens = RefusedUseRecorder.MAX_TOKENS * 5;
        for (long id = 1; id <= tokens; id++) {
            recorder.record(id, T.toEpochMilli(), () -> "198.51.100.1");
            recorder.record(id, T.toEpochMilli() + 1, () -> "198.51.100.2");
        }
        assertEquals(RefusedUseRecorder.MAX_TOKENS, recorder.pending(), "the bound");
        assertEquals(2L * tokens - RefusedUseRecorder.MAX_TOKENS * 2L, recorder.dropped());
        assertEquals(RefusedUseRecorder.MAX_TOKENS * 2L, recorder.recorded());

        assertEquals(RefusedUseRecorder.MAX_TOKENS, recorder.flush());
        assertEquals(RefusedUseRecorder.MAX_TOKENS, batches.get(0).size());
        assertEquals(0, recorder.pending(), "a flush makes room again");
        recorder.record(tokens + 1, T.toEpochMilli(), () -> "198.51.100.3");
        assertEquals(1, recorder.pending());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RefusedUseRecorder(b -> { }, 0));
        assertEquals("maxTokens must be at least 1, was 0", e.getMessage());
        RefusedUseRecorder one = new RefusedUseRecorder(b -> { }, 1);
        one.record(1, T.toEpochMilli(), () -> "192.0.2.1");
        one.record(2, T.toEpochMilli(), () -> "192.0.2.2");
        assertEquals(1, one.pending(), "a bound of one holds one token");
        assertEquals(1, one.dropped());
    }

    @Test
    void usesTheStoreDidNotTakeAreKeptAndWrittenAtTheNextFlush() {
        long id = revokedToken();
        RefusedUseRecorder recorder = new RefusedUseRecorder(store.usage()::recordRefused);
        recorder.record(id, T.toEpochMilli(), () -> "192.0.2.44");
        outage.down();
        try {
            assertEquals(0, recorder.flush());
        } finally {
            outage.up();
        }
        assertEquals(1, recorder.pending());
        assertEquals(new Seed.LastUse(null, null), seed.lastRefused(id));

        recorder.record(id, T.toEpochMilli() + 1000, () -> "192.0.2.45");
        assertEquals(1, recorder.flush());
        assertEquals(new Seed.LastUse(T.plusMillis(1000), "192.0.2.45"), seed.lastRefused(id));
        assertEquals(0, recorder.pending());
    }

    @Test
    void flushesDuringAFloodLoseNoTokensLatestRefusedUse() throws Exception {
        long[] ids = {revokedToken(), revokedToken(), revokedToken()};
        RefusedUseRecorder recorder = new RefusedUseRecorder(store.usage()::recordRefused);
        long start = T.toEpochMilli();
        int perThread = 20_000;
        AtomicBoolean flooding = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(ids.length);
        ExecutorService pool = Executors.newFixedThreadPool(ids.length + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (long id : ids) {
                writers.add(pool.submit(() -> {
                    started.countDown();
                    for (int i = 1; i <= perThread; i++) {
                        int n = i;
                        recorder.record(id, start + n, () -> "192.0.2." + (n % 200));
                    }
                }));
            }
            Future<Integer> flusher = pool.submit(() -> {
                started.await();
                int flushes = 0;
                while (flooding.get()) {
                    recorder.flush();
                    flushes++;
                }
                return flushes;
            });
            for (Future<?> w : writers) {
                w.get(60, TimeUnit.SECONDS);
            }
            flooding.set(false);
            assertTrue(flusher.get(60, TimeUnit.SECONDS) > 0);
        } finally {
            pool.shutdownNow();
        }
        recorder.flush();
        for (long id : ids) {
            assertEquals(new Seed.LastUse(Instant.ofEpochMilli(start + perThread), "192.0.2." + (perThread % 200)), seed.lastRefused(id));
        }
    }
}
