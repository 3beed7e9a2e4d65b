package io.globalgate.filter;

import io.globalgate.store.ChangeEvent;
import io.globalgate.store.ChangeFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reads the store's change events and hands each to the verifier once. Ids come from
 * AUTO_INCREMENT, which does not commit in order: a transaction that took id 41 may commit after
 * the one that took 42. An id skipped over is therefore remembered and read again until it
 * appears or {@link #GAP_TIMEOUT_NANOS} passes (a rolled-back transaction, or Galera's
 * auto_increment_increment, leaves gaps that never fill). The same holds for ids just below the
 * newest one when the poller starts: they are checked for gaps too.
 */
public final class ChangeFeedPoller {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeedPoller.class);
    static final long GAP_TIMEOUT_NANOS = 10_000_000_000L;
    private static final int BATCH = 1000;
    private static final int MAX_TRACKED_GAPS = 10_000;
    /** How far below the newest id the first poll looks for transactions that have not committed yet. */
    static final int STARTUP_LOOKBACK = 100;

    private final ChangeFeed feed;
    private final Consumer<ChangeEvent> target;
    private final Runnable onSuccess;
    private final Runnable onStart;
    private final LongSupplier nanoTime;
    /** Ids below the newest seen that have not been seen, with when they were first missed. */
    private final TreeMap<Long, Long> gaps = new TreeMap<>();
    private long highestSeen = -1;
    private boolean failing;

    /**
     * @param onStart run when the poller first learns where the feed stands: the cache must drop
     *                whatever it loaded before, since events older than that point are not replayed
     */
    public ChangeFeedPoller(ChangeFeed feed, Consumer<ChangeEvent> target, Runnable onSuccess, Runnable onStart) {
        this(feed, target, onSuccess, onStart, System::nanoTime);
    }

    /** With the time source that ages gaps (tests pass one they advance). */
    ChangeFeedPoller(ChangeFeed feed, Consumer<ChangeEvent> target, Runnable onSuccess, Runnable onStart, LongSupplier nanoTime) {
        this.feed = feed;
        this.target = target;
        this.onSuccess = onSuccess;
        this.onStart = onStart;
        this.nanoTime = nanoTime;
    }

    /** One poll; returns the number of events applied. Never throws: a failure is logged and retried next time. */
    public synchronized int poll() {
        try {
            int applied = pollOnce();
            if (failing) {
                LOG.info("Change feed readable again; revocations flow once more");
                failing = false;
            }
            onSuccess.run();
            return applied;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Cannot read the change feed ({}); cached accepts will stop being trusted when it stays unreadable", e.getMessage());
                failing = true;
            }
            return 0;
        }
    }

    private int pollOnce() {
        if (highestSeen < 0) {
            start();
            return 0;
        }
        long now = nanoTime.getAsLong();
        gaps.values().removeIf(firstMissed -> now - firstMissed > GAP_TIMEOUT_NANOS);
        int applied = 0;
        long from = gaps.isEmpty() ? highestSeen : Math.min(highestSeen, gaps.firstKey() - 1);
        while (true) {
            List<ChangeEvent> events = feed.readAfter(from, BATCH);
            for (ChangeEvent event : events) {
                long id = event.id();
                if (id > highestSeen) {
                    for (long missing = highestSeen + 1; missing < id && gaps.size() < MAX_TRACKED_GAPS; missing++) {
                        gaps.put(missing, now);
                    }
                    highestSeen = id;
                } else if (gaps.remove(id) == null) {
                    continue; // applied on an earlier poll
                }
                target.accept(event);
                applied++;
            }
            if (events.size() < BATCH) {
                return applied;
            }
            from = events.get(events.size() - 1).id();
        }
    }

    /**
     * Begins at the newest event: older ones are already reflected in what the cache will load.
     * Except for ids below it that are missing now: a transaction holding one may still commit
     * after our first lookups read the row it changes, so they are watched like any other gap.
     */
    private void start() {
        long latest = feed.latestId();
        long from = Math.max(0, latest - STARTUP_LOOKBACK);
        Set<Long> present = new HashSet<>();
        for (ChangeEvent event : feed.readAfter(from, STARTUP_LOOKBACK)) {
            present.add(event.id());
        }
        long now = nanoTime.getAsLong();
        for (long id = from + 1; id < latest; id++) {
            if (!present.contains(id)) {
                gaps.put(id, now);
            }
        }
        highestSeen = latest;
        onStart.run();
    }

    synchronized long highestSeen() {
        return highestSeen;
    }

    synchronized Map<Long, Long> gaps() {
        return new TreeMap<>(gaps);
    }

}
