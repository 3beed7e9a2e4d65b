package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The verifier caches' statistics (the {@code globalgate.cache.*} meters): hits and misses, one
 * of which every request records, in a {@link StripedTally}; evictions, which are rare, in plain
 * atomics. The caches load nothing themselves, so load counts stay zero.
 */
final class StripedStatsCounter implements StatsCounter {

    private static final int HITS = 0;
    private static final int MISSES = 1;

    private final StripedTally tally = new StripedTally(2);
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong evictionWeight = new AtomicLong();

    @Override
    public void recordHits(int count) {
        tally.add(HITS, count);
    }

    @Override
    public void recordMisses(int count) {
        tally.add(MISSES, count);
    }

    @Override
    public void recordLoadSuccess(long loadTime) {
        // the caches are filled with put(), never loaded
    }

    @Override
    public void recordLoadFailure(long loadTime) {
        // the caches are filled with put(), never loaded
    }

    @Override
    public void recordEviction(int weight, RemovalCause cause) {
        evictions.incrementAndGet();
        evictionWeight.addAndGet(weight);
    }

    @Override
    public CacheStats snapshot() {
        return CacheStats.of(tally.sum(HITS), tally.sum(MISSES), 0, 0, 0, evictions.get(), evictionWeight.get());
    }
}
