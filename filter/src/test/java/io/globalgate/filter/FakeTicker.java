package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Nanoseconds that pass only when a test says so: cache ages, staleness and back-off without sleeping. */
final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration amount) {
        nanos.addAndGet(amount.toNanos());
    }
}
