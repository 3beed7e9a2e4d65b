package io.globalgate.store;

import io.globalgate.testing.MutableClock;
import io.globalgate.testing.Seed;
import io.globalgate.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The change feed keeps recent events and always its newest one. */
class ChangeFeedPurgeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
    private final GlobalgateStore store = new GlobalgateStore(TestDatabases.h2(), clock).migrate();
    private final Seed seed = new Seed(store);

    @Test
    void eventsOlderThanTheRetentionAreDeletedButNeverTheNewestOne() {
        Seed.Integration erp = seed.integration("ERP");
        seed.setActive(erp.id(), false); // event 1, at day 0
        clock.advance(Duration.ofDays(3));
        seed.setActive(erp.id(), true); // event 2, at day 3
        clock.advance(Duration.ofDays(3));

        assertEquals(1, store.changes().purgeOlderThan(Duration.ofDays(2)), "event 1 is 6 days old; event 2 is the newest");
        List<ChangeEvent> left = store.changes().readAfter(0, 10);
        assertEquals(1, left.size());
        assertEquals(ChangeEvent.Kind.INTEGRATION_ACTIVATED, left.get(0).kind());
        assertEquals(left.get(0).id(), store.changes().latestId(), "a starting node still learns where the feed stands");
    }

    @Test
    void recentEventsAreKept() {
        Seed.Integration erp = seed.integration("CRM");
        seed.setActive(erp.id(), false);
        seed.setActive(erp.id(), true);
        clock.advance(Duration.ofHours(47));
        assertEquals(0, store.changes().purgeOlderThan(Duration.ofDays(2)));
        assertEquals(2, store.changes().readAfter(0, 10).size());
    }
}
