package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The filter's meters (names in CONTRACT.md). Every counter and timer is created once, at bind
 * time, so the request path increments a field and never looks a meter up by tags. All of them
 * are removed from the registry by {@link #close()}.
 */
public final class FilterMetrics implements MeterBinder, AutoCloseable {

    /** What happened to one request; each constant is one {@code outcome}/{@code reason} pair. */
    public enum Outcome {
        ACCEPTED("accepted", "none"),
        MISSING("rejected", "missing"),
        MALFORMED("rejected", "malformed"),
        UNKNOWN("rejected", "unknown"),
        EXPIRED("rejected", "expired"),
        REVOKED("rejected", "revoked"),
        INACTIVE("rejected", "inactive"),
        STORE_ERROR("unavailable", "store_error");

        final String outcome;
        final String reason;

        Outcome(String outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
        }

        static Outcome of(Verdict.Reason reason) {
            return switch (reason) {
                case MALFORMED -> MALFORMED;
                case UNKNOWN -> UNKNOWN;
                case EXPIRED -> EXPIRED;
                case REVOKED -> REVOKED;
                case INACTIVE -> INACTIVE;
            };
        }
    }

    private final TokenVerifier verifier;
    private final AtomicLong activeTokens = new AtomicLong(-1);
    private final AtomicLong expiringTokens = new AtomicLong(-1);
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> timers = new EnumMap<>(Outcome.class);
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;

    public FilterMetrics(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Map<String, Timer> timerByOutcome = new java.util.HashMap<>();
        for (Outcome o : Outcome.values()) {
            counters.put(o, keep(Counter.builder("globalgate.auth.requests")
                    .description("Requests the Globalgate filter decided on")
                    .tag("outcome", o.outcome).tag("reason", o.reason).register(registry)));
            timers.put(o, timerByOutcome.computeIfAbsent(o.outcome, outcome -> keep(Timer.builder("globalgate.auth.duration")
                    .description("Time the Globalgate filter spent deciding on a request")
                    .tag("outcome", outcome).register(registry))));
        }
        cacheMeters(registry, "known", verifier.knownCache());
        cacheMeters(registry, "unknown", verifier.unknownCache());
        keep(FunctionCounter.builder("globalgate.store.lookups", verifier, TokenVerifier::storeLookups)
                .description("Token lookups the verifier made in the store (cache misses)").register(registry));
        keep(Gauge.builder("globalgate.changefeed.lag", verifier, TokenVerifier::secondsSinceFresh)
                .description("Seconds since the change feed was last read successfully").baseUnit("seconds").register(registry));
        keep(Gauge.builder("globalgate.tokens.active", activeTokens, a -> a.get() < 0 ? Double.NaN : a.get())
                .description("Tokens that are neither revoked nor expired").register(registry));
        keep(Gauge.builder("globalgate.tokens.expiring", expiringTokens, a -> a.get() < 0 ? Double.NaN : a.get())
                .description("Active tokens that expire within 7 days").register(registry));
    }

    private void cacheMeters(MeterRegistry registry, String name, Cache<?, ?> cache) {
        keep(Gauge.builder("globalgate.cache.size", cache, Cache::estimatedSize).tag("cache", name)
                .description("Token decisions held in the verifier's cache").register(registry));
        keep(FunctionCounter.builder("globalgate.cache.hits", cache, c -> c.stats().hitCount()).tag("cache", name)
                .description("Verifier cache hits").register(registry));
        keep(FunctionCounter.builder("globalgate.cache.misses", cache, c -> c.stats().missCount()).tag("cache", name)
                .description("Verifier cache misses").register(registry));
        keep(FunctionCounter.builder("globalgate.cache.evictions", cache, c -> c.stats().evictionCount()).tag("cache", name)
                .description("Verifier cache evictions (size or age)").register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    void record(Outcome outcome, long nanos) {
        counters.get(outcome).increment();
        timers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void tokenCounts(long active, long expiring) {
        activeTokens.set(active);
        expiringTokens.set(expiring);
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
