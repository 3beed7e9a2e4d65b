package io.globalgate.filter;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.globalgate.store.TokenRestrictions.RateLimit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate limits of this node: one Bucket4j token bucket per integration, holding
 * {@code burst} requests and refilled smoothly at {@code requestsPerMinute}. The buckets live in
 * this JVM only, so the limit holds per node: behind a load balancer that spreads an
 * integration's requests over N nodes, it may make up to N times its limit.
 *
 * <p>A bucket is looked up when a token's decision is read from the store (a cache miss), never on
 * the request path: the cached decision holds its bucket. A changed limit makes a new bucket (full),
 * which the decisions read after the change (the change feed drops the old ones) hold.
 */
public final class RateLimiters {

    private final TimeMeter time;
    private final RateLimit deploymentDefault;
    private final ConcurrentHashMap<Long, Limiter> byIntegration = new ConcurrentHashMap<>();

    /**
     * @param clock             the time the buckets refill by
     * @param deploymentDefault the limit of an integration without its own; null = none
     */
    public RateLimiters(Clock clock, RateLimit deploymentDefault) {
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.deploymentDefault = deploymentDefault;
    }

    /** The limiter of an integration with its own limit (or null), or null when no limit applies. */
    Limiter of(long integrationId, RateLimit own) {
        RateLimit limit = own != null ? own : deploymentDefault;
        if (limit == null) {
            byIntegration.remove(integrationId);
            return null;
        }
        return byIntegration.compute(integrationId,
                (id, existing) -> existing != null && existing.limit.equals(limit) ? existing : new Limiter(limit, time));
    }

    /** One integration's bucket and the headers that describe its policy. */
    static final class Limiter {
        final RateLimit limit;
        private final Bucket bucket;
        /** {@code RateLimit-Policy} (IETF httpapi draft): the sustained quota per 60-second window. */
        final String policyHeader;
        final String refusal;

        Limiter(RateLimit limit, TimeMeter time) {
            this.limit = limit;
            this.bucket = Bucket.builder().withCustomTimePrecision(time)
                    .addLimit(b -> b.capacity(limit.burst()).refillGreedy(limit.requestsPerMinute(), Duration.ofMinutes(1)))
                    .build();
            this.policyHeader = "\"integration\";q=" + limit.requestsPerMinute() + ";w=60";
            this.refusal = "Rate limit exceeded: this integration may make " + limit.requestsPerMinute()
                    + " requests per minute, at most " + limit.burst() + " at once";
        }

        /** Takes one request from the bucket; the probe says whether it could and how long until it could. */
        ConsumptionProbe take() {
            return bucket.tryConsumeAndReturnRemaining(1);
        }
    }

    /** The {@code RateLimit} header (IETF httpapi draft): what remains and the seconds until the bucket is full. */
    static String state(ConsumptionProbe probe) {
        return "\"integration\";r=" + probe.getRemainingTokens() + ";t=" + seconds(probe.getNanosToWaitForReset());
    }

    /** Whole seconds, rounded up, at least 1 when anything is left to wait. */
    static long seconds(long nanos) {
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
