package io.globalgate.filter;

import com.zaxxer.hikari.HikariDataSource;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.GlobalgateStore;
import io.globalgate.testing.MutableClock;
import io.globalgate.testing.OutageDataSource;
import io.globalgate.testing.TestDatabases;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poller against a real change_event table, rows written with explicit ids the way
 * AUTO_INCREMENT hands them out to transactions that then commit in another order.
 */
class ChangeFeedPollerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final FakeTicker ticker = new FakeTicker();
    private final List<Long> applied = new ArrayList<>();
    private final AtomicInteger successes = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private HikariDataSource pool;
    private OutageDataSource database;
    private ChangeFeedPoller poller;

    @BeforeEach
    void createStore() {
        pool = TestDatabases.h2();
        database = new OutageDataSource(pool);
        GlobalgateStore store = new GlobalgateStore(database, clock).migrate();
        poller = new ChangeFeedPoller(store.changes(), event -> applied.add(event.id()), successes::incrementAndGet,
                starts::incrementAndGet, ticker::read);
    }

    @AfterEach
    void closeStore() {
        pool.close();
    }

    private void insertEvents(long... ids) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO change_event (id, kind, integration_id, token_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.setString(2, ChangeEvent.Kind.TOKEN_REVOKED.code());
                ps.setLong(3, 1);
                ps.setLong(4, id);
                ps.setBytes(5, TokenHash.of(TokenFormat.generate()).toBytes());
                ps.setTimestamp(6, Timestamp.from(clock.instant()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theFirstPollStartsAtTheNewestEventWithAnEmptyCache() {
        insertEvents(1, 2, 3);

        assertEquals(0, poller.poll());

        assertEquals(List.of(), applied, "events from before the start are already in what the cache will load");
        assertEquals(1, starts.get());
        assertEquals(3, poller.highestSeen());
        assertEquals(1, successes.get());
    }

    @Test
    void newEventsAreAppliedInIdOrder() {
        poller.poll();
        insertEvents(1, 2, 3);

        assertEquals(3, poller.poll());

        assertEquals(List.of(1L, 2L, 3L), applied);
        assertEquals(1, starts.get(), "only the first poll starts over");
    }

    @Test
    void lateIdThatFillsAGapIsStillAppliedExactlyOnce() {
        poller.poll();
        insertEvents(1, 2, 4);
        assertEquals(3, poller.poll());
        assertEquals(List.of(3L), List.copyOf(poller.gaps().keySet()));

        insertEvents(3); // the transaction that took id 3 commits after the one that took 4
        assertEquals(1, poller.poll());
        assertEquals(0, poller.poll());

        assertEquals(List.of(1L, 2L, 4L, 3L), applied);
        assertTrue(poller.gaps().isEmpty());
    }

    @Test
    void eventAppliedOnceIsNeverAppliedTwiceWhileAGapBelowItIsReread() {
        poller.poll();
        insertEvents(1, 3, 4, 5);

        for (int i = 0; i < 5; i++) {
            poller.poll(); // each poll reads again from the gap at 2
        }
        insertEvents(2);
        poller.poll();
        poller.poll();
        insertEvents(6);
        poller.poll();

        assertEquals(List.of(1L, 3L, 4L, 5L, 2L, 6L), applied);
    }

    @Test
    void aGapBelowTheNewestIdAtStartIsAppliedWhenItFills() {
        insertEvents(1, 2, 4); // id 3 belongs to a transaction still open when this node starts
        poller.poll();

        insertEvents(3);
        poller.poll();

        assertEquals(List.of(3L), applied);
    }

    @Test
    void gapThatNeverFillsIsForgottenAfterTheGapTimeout() {
        poller.poll();
        insertEvents(1, 3);
        poller.poll();
        assertEquals(1, poller.gaps().size());

        ticker.advance(Duration.ofNanos(ChangeFeedPoller.GAP_TIMEOUT_NANOS));
        poller.poll();
        assertEquals(1, poller.gaps().size(), "still waiting for id 2 at exactly the timeout");
        ticker.advance(Duration.ofNanos(1));
        poller.poll();

        assertTrue(poller.gaps().isEmpty(), "a rolled-back id is given up on");
        assertEquals(List.of(1L, 3L), applied);
    }

    @Test
    void aGapOfMoreIdsThanItTracksKeepsTheLowestTenThousand() {
        poller.poll();
        insertEvents(1, 10_003); // 10,001 ids missing between them

        assertEquals(2, poller.poll());

        assertEquals(10_000, poller.gaps().size());
        assertEquals(2L, poller.gaps().keySet().iterator().next());
        assertEquals(10_001L, new java.util.TreeMap<>(poller.gaps()).lastKey());
    }

    @Test
    void moreEventsThanOneBatchAreAllAppliedInOnePoll() {
        poller.poll();
        insertEvents(LongStream.rangeClosed(1, 2500).toArray());

        assertEquals(2500, poller.poll());

        assertEquals(LongStream.rangeClosed(1, 2500).boxed().toList(), applied);
    }

    @Test
    void anUnreadableFeedLeavesTheNodeStaleUntilItIsReadAgain() {
        poller.poll();
        insertEvents(1);
        database.down();

        assertEquals(0, poller.poll());
        assertEquals(1, successes.get(), "a failed poll must not count as fresh");

        database.up();
        assertEquals(1, poller.poll());
        assertEquals(List.of(1L), applied);
        assertEquals(2, successes.get());
    }

    @Test
    void feedUnreadableAtTheFirstPollStartsOnceItCanBeRead() {
        insertEvents(1, 2);
        database.down();
        assertEquals(0, poller.poll());
        assertEquals(0, starts.get());

        database.up();
        poller.poll();
        insertEvents(3);
        poller.poll();

        assertEquals(1, starts.get());
        assertEquals(List.of(3L), applied);
    }

    /**
     * An outage of the feed is told once when it begins (WARN) and once when it ends (INFO), not
     * at every poll, and a healthy feed says nothing: the lines an operator reads to date it.
     */
    @Test
    void anOutageOfTheFeedIsLoggedOnceWhenItBeginsAndOnceWhenItEnds() {
        List<String> lines = pollerLogOf(() -> {
            poller.poll();
            poller.poll();
            database.down();
            poller.poll();
            poller.poll();
            database.up();
            poller.poll();
            poller.poll();
        });
        assertEquals(List.of("WARN Cannot read the change feed", "INFO Change feed readable again; revocations flow once more"), lines);
    }

    /**
     * The poller's log lines written while {@code polls} runs, as {@code LEVEL message} with the
     * message cut at its first parenthesis (the database's own words). slf4j-simple, the tests'
     * binding, writes to whatever {@code System.err} is at the time of each line.
     */
    private static List<String> pollerLogOf(Runnable polls) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            polls.run();
        } finally {
            System.setErr(original);
        }
        String logger = " " + ChangeFeedPoller.class.getName() + " - ";
        List<String> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\\R")) {
            int at = line.indexOf(logger);
            if (at > 0) {
                String level = line.substring(line.lastIndexOf(' ', at - 1) + 1, at);
                String message = line.substring(at + logger.length());
                int paren = message.indexOf(" (");
                lines.add(level + " " + (paren < 0 ? message : message.substring(0, paren)));
            }
        }
        return lines;
    }
}
