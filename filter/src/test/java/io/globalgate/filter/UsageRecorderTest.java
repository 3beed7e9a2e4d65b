package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.store.TokenUsage;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.OutageDataSource;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Usage gathered in memory and written in batches to a real (H2) store; counted in the database. */
class UsageRecorderTest {

    private static final Instant HOUR = Instant.parse("2026-03-02T09:00:00Z");

    private final MutableClock clock = new MutableClock(HOUR);
    private HikariDataSource pool;
    private GlobalgateStore store;
    private Seed seed;
    private long integrationId;

    @BeforeEach
    void createStore() {
        pool = TestDatabases.h2();
        store = new GlobalgateStore(pool, clock).migrate();
        seed = new Seed(store);
        integrationId = seed.integration("ERP sync").id();
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    private long newToken() {
        return seed.token(integrationId, "token " + System.nanoTime(), "never", null).token().id();
    }

    private long countedInDatabase(long tokenId) {
        return store.usage().hourly(tokenId, HOUR.minus(Duration.ofDays(1)), HOUR.plus(Duration.ofDays(1)))
                .values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void theClientAddressIsAskedForOnlyWhenLastUsedMovesForward() {
        List<List<io.globalgate.store.TokenUsage>> batches = new java.util.ArrayList<>();
        UsageRecorder recorder = new UsageRecorder((id, batch) -> batches.add(batch));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        long start = HOUR.toEpochMilli();
        recorder.record(7, start + 500, () -> "192.0.2." + asked.incrementAndGet());
        recorder.record(7, start + 100, () -> "192.0.2." + asked.incrementAndGet()); // older: not asked
        recorder.record(7, start + 500, () -> "192.0.2." + asked.incrementAndGet()); // same millisecond: not asked
        recorder.record(7, start + 501, () -> "192.0.2." + asked.incrementAndGet());
        assertEquals(2, asked.get());
        recorder.flush();
        io.globalgate.store.TokenUsage usage = batches.get(0).get(0);
        assertEquals(4L, usage.requestsPerHour().values().stream().mapToLong(Long::longValue).sum(), "every request is counted");
        assertEquals(Instant.ofEpochMilli(start + 501), usage.lastUsedAt());
        assertEquals("192.0.2.2", usage.lastUsedIp());
    }

    @Test
    void concurrentRecordsWithConcurrentFlushesAreAllCountedExactlyOnceInTheDatabase() throws Exception {
        int threads = 8;
        int perThread = 5_000;
        long[] tokens = {newToken(), newToken(), newToken()};
        UsageRecorder recorder = new UsageRecorder(store.usage()::record);
        ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean recording = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(executor.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        // two hours, so counts are split per hour as well as per token
                        long millis = HOUR.toEpochMilli() + (i % 2) * 3_600_000L + i;
                        recorder.record(tokens[(thread + i) % tokens.length], millis, "10.0.0." + thread);
                    }
                    return null;
                }));
            }
            Future<?> flusher = executor.submit(() -> {
                go.await();
                while (recording.get()) {
                    recorder.flush();
                    Thread.sleep(2);
                }
                return null;
            });
            go.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            recording.set(false);
            flusher.get(60, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
        recorder.flush();

        long total = 0;
        for (long token : tokens) {
            Map<Instant, Long> hours = store.usage().hourly(token, HOUR, HOUR.plus(Duration.ofHours(2)));
            assertEquals(List.of(HOUR, HOUR.plus(Duration.ofHours(1))), List.copyOf(hours.keySet()), "hours of token " + token);
            total += countedInDatabase(token);
        }
        assertEquals((long) threads * perThread, total);
        assertEquals(0, recorder.pending());
    }

    @Test
    void aBatchTheStoreRefusesIsWrittenByTheNextFlush() {
        long tokenId = newToken();
        AtomicInteger calls = new AtomicInteger();
        UsageRecorder.Sink failingOnce = (id, batch) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("test: store refused the batch");
            }
            store.usage().record(id, batch);
        };
        UsageRecorder recorder = new UsageRecorder(failingOnce);
        for (int i = 0; i < 7; i++) {
            recorder.record(tokenId, HOUR.toEpochMilli() + i * 1000L, "192.0.2.1");
        }

        assertEquals(0, recorder.flush(), "the refused batch is not reported as written");
        assertEquals(1, recorder.pending());
        assertEquals(0, countedInDatabase(tokenId));

        for (int i = 0; i < 5; i++) {
            recorder.record(tokenId, HOUR.toEpochMilli() + 3_600_000L + i * 1000L, "192.0.2.2");
        }
        assertEquals(2, recorder.flush(), "the refused batch as it was, then the new one");

        assertEquals(Map.of(HOUR, 7L, HOUR.plus(Duration.ofHours(1)), 5L),
                store.usage().hourly(tokenId, HOUR, HOUR.plus(Duration.ofHours(2))));
        Seed.LastUse lastUse = seed.lastUse(tokenId);
        assertEquals(HOUR.plus(Duration.ofHours(1)).plusSeconds(4), lastUse.at());
        assertEquals("192.0.2.2", lastUse.ip());
        assertEquals(0, recorder.pending());
        assertEquals(3, calls.get());
    }

    @Test
    void aBatchWhoseCommitWentThroughButWhoseAnswerWasLostIsCountedOnce() {
        long tokenId = newToken();
        AtomicInteger calls = new AtomicInteger();
        List<String> ids = new ArrayList<>();
        // The database commits, then the connection breaks before its answer arrives.
        UsageRecorder.Sink answerLostOnce = (id, batch) -> {
            ids.add(id);
            store.usage().record(id, batch);
            if (calls.incrementAndGet() == 1) {
                throw new io.globalgate.store.StoreUnavailableException("test: socket closed by the server during commit", null);
            }
        };
        UsageRecorder recorder = new UsageRecorder(answerLostOnce);
        for (int i = 0; i < 7; i++) {
            recorder.record(tokenId, HOUR.toEpochMilli() + i, "192.0.2.1");
        }
        assertEquals(0, recorder.flush(), "not confirmed");
        assertEquals(7, countedInDatabase(tokenId), "yet written");
        for (int i = 0; i < 5; i++) {
            recorder.record(tokenId, HOUR.toEpochMilli() + 100 + i, "192.0.2.1");
        }

        recorder.flush();

        assertEquals(12, countedInDatabase(tokenId), "the retried batch was not counted again");
        assertEquals(0, recorder.pending());
        assertEquals(3, ids.size());
        assertEquals(ids.get(0), ids.get(1), "the unconfirmed batch is sent again under its id");
        assertNotEquals(ids.get(0), ids.get(2), "newer usage is a batch of its own");
    }

    @Test
    void batchIsKeptAcrossSeveralFailedFlushesWhileTheStoreIsDown() {
        long tokenId = newToken();
        OutageDataSource database = new OutageDataSource(pool);
        GlobalgateStore flaky = new GlobalgateStore(database, clock);
        UsageRecorder recorder = new UsageRecorder(flaky.usage()::record);
        database.down();

        for (int round = 0; round < 3; round++) {
            recorder.record(tokenId, HOUR.toEpochMilli() + round, "192.0.2." + (round + 1));
            assertEquals(0, recorder.flush());
        }
        database.up();
        assertEquals(2, recorder.flush(), "the first batch as it was sent, then the two later records");

        assertEquals(3, countedInDatabase(tokenId));
        Seed.LastUse lastUse = seed.lastUse(tokenId);
        assertEquals(HOUR.plusMillis(2), lastUse.at(), "the two later records merged keep the later one's time");
        assertEquals("192.0.2.3", lastUse.ip(), "and its address");
    }

    @Test
    void lastUseKeepsTheLatestTimeWithItsAddressWhateverTheOrderOfRecords() {
        long tokenId = newToken();
        UsageRecorder recorder = new UsageRecorder(store.usage()::record);

        recorder.record(tokenId, HOUR.toEpochMilli() + 5_000, "198.51.100.5");
        recorder.record(tokenId, HOUR.toEpochMilli() + 1_000, "198.51.100.1");
        recorder.flush();

        Seed.LastUse lastUse = seed.lastUse(tokenId);
        assertEquals(HOUR.plusSeconds(5), lastUse.at());
        assertEquals("198.51.100.5", lastUse.ip());
    }

    /**
     * What {@code flush} returns is what {@code GlobalTokenFilter.flushUsage()} answers and what the
     * filter's stop logs: the token entries the store confirmed in this flush, the batch sent again
     * included, a batch refused not.
     */
    @Test
    void flushCountsTheTokenEntriesTheStoreConfirmedInThisFlushAndNoOthers() {
        List<Boolean> answers = new ArrayList<>(List.of(false, true, false, true, false, true, true));
        List<List<Long>> sent = new ArrayList<>();
        UsageRecorder recorder = new UsageRecorder((id, batch) -> {
            sent.add(batch.stream().map(TokenUsage::tokenId).sorted().toList());
            if (!answers.remove(0)) {
                throw new IllegalStateException("test: store refused the batch");
            }
        });
        long t = HOUR.toEpochMilli();
        recorder.record(1, t, "192.0.2.1");
        recorder.record(2, t, "192.0.2.1");

        assertEquals(0, recorder.flush(), "refused");
        assertEquals(2, recorder.flush(), "the refused batch sent again and confirmed, nothing new");

        recorder.record(3, t + 1, "192.0.2.1");
        assertEquals(0, recorder.flush(), "refused");
        recorder.record(3, t + 2, "192.0.2.1");
        recorder.record(4, t + 2, "192.0.2.1");
        assertEquals(1, recorder.flush(), "the refused batch of one confirmed, the new batch of two refused");
        assertEquals(2, recorder.flush(), "the batch of two confirmed, nothing new");

        recorder.record(5, t + 3, "192.0.2.1");
        recorder.record(6, t + 3, "192.0.2.1");
        recorder.record(7, t + 3, "192.0.2.1");
        assertEquals(3, recorder.flush(), "one new batch confirmed at once");
        assertEquals(0, recorder.flush(), "nothing left");

        assertEquals(List.of(List.of(1L, 2L), List.of(1L, 2L), List.of(3L), List.of(3L), List.of(3L, 4L), List.of(3L, 4L),
                List.of(5L, 6L, 7L)), sent, "each batch as sent, and sent again as it was");
        assertEquals(List.of(), answers, "every answer used");
        assertEquals(0, recorder.pending());
    }

    @Test
    void flushWithNothingRecordedDoesNotCallTheStore() {
        AtomicInteger calls = new AtomicInteger();
        UsageRecorder recorder = new UsageRecorder((id, batch) -> calls.incrementAndGet());

        assertEquals(0, recorder.flush());

        assertEquals(0, calls.get());
    }

    @Test
    void pendingCountsATokenOnceWhereverItWaits() {
        UsageRecorder recorder = new UsageRecorder((id, batch) -> {
            throw new IllegalStateException("test: store down");
        });

        recorder.record(1, HOUR.toEpochMilli(), "192.0.2.1");
        recorder.flush();
        recorder.record(1, HOUR.toEpochMilli() + 1, "192.0.2.1");
        recorder.record(2, HOUR.toEpochMilli() + 2, "192.0.2.1");

        assertEquals(2, recorder.pending());
    }
}
