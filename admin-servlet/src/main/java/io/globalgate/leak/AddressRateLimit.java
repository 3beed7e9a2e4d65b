package io.globalgate.leak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per client address for an unauthenticated endpoint: {@code burst} requests at
 * once, then one every {@code interval}. Memory is bounded: at most {@link #MAX_ADDRESSES}
 * addresses are remembered, each for as long as its bucket takes to fill again; one who spreads
 * requests over more addresses than that gets a fresh bucket for some of them, which is the price
 * of the bound (a proxy or firewall in front is the defence against floods from many addresses).
 */
public final class AddressRateLimit {

    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final int burst;
    private final long intervalNanos;
    private final Cache<String, Bucket> buckets;

    public AddressRateLimit(Clock clock, int burst, Duration interval) {
        if (burst < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a burst of at least 1 and a positive interval");
        }
        this.clock = clock;
        this.burst = burst;
        this.intervalNanos = interval.toNanos();
        Ticker ticker = () -> nanos(clock);
        this.buckets = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).ticker(ticker)
                .expireAfterAccess(interval.multipliedBy(burst)).build();
    }

    /** Takes one request from the address's bucket: 0 when allowed, else the seconds until the next is (at least 1). */
    public long acquire(String address) {
        Bucket bucket = buckets.get(address, a -> new Bucket(burst, nanos(clock)));
        return bucket.take(nanos(clock), burst, intervalNanos);
    }

    private static long nanos(Clock clock) {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(int tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long take(long now, int burst, long intervalNanos) {
            if (now > updated) {
                tokens = Math.min(burst, tokens + (double) (now - updated) / intervalNanos);
                updated = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double wait = (1 - tokens) * intervalNanos / 1e9;
            return Math.max(1, (long) Math.ceil(wait));
        }
    }
}
