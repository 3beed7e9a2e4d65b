package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The filter's meters (names in the README's "Metrics" table). The request path adds to a {@link StripedTally}
 * (a count per outcome and reason, the nanoseconds per outcome) and never touches a meter; the
 * meters are function meters over the tally, read when scraped: {@code globalgate.auth.requests}
 * a {@link FunctionCounter} per outcome and reason, {@code globalgate.auth.duration} a
 * {@link FunctionTimer} per outcome (count and total time; no max and no histogram, which would
 * cost every request a shared write). {@code globalgate.integration.requests} is
 * {@link IntegrationMeters}'. All of them are removed from the registry by {@link #close()}.
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
        NETWORK("rejected", "network"),
        SCOPE("rejected", "scope"),
        RATE_LIMITED("rejected", "rate_limited"),
        STORE_ERROR("unavailable", "store_error"),
        LOOKUP_LIMIT("unavailable", "lookup_limit");

        final String outcome;
        final String reason;

        Outcome(String outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
        }

        /** In the tally: a count per constant (at its ordinal), then the nanoseconds per {@code outcome} tag. */
        int nanosIndex() {
            return COUNT + OUTCOMES.indexOf(outcome);
        }

        static Outcome of(Verdict.Reason reason) {
            return switch (reason) {
                case MALFORMED -> MALFORMED;
                case UNKNOWN -> UNKNOWN;
                case EXPIRED -> EXPIRED;
                case REVOKED -> REVOKED;
                case INACTIVE -> INACTIVE;
                case NETWORK -> NETWORK;
                case SCOPE -> SCOPE;
                case RATE_LIMITED -> RATE_LIMITED;
            };
        }
    }

    private static final int COUNT = Outcome.values().length;
    /** The {@code outcome} tags, in the order of their nanoseconds in the tally. */
    private static final List<String> OUTCOMES = List.of("accepted", "rejected", "unavailable");
    /** Worked out once: the request path reads an int. */
    private static final int[] NANOS_INDEX = Stream.of(Outcome.values()).mapToInt(Outcome::nanosIndex).toArray();

    private final TokenVerifier verifier;
    private final AtomicLong activeTokens = new AtomicLong(-1);
    private final AtomicLong expiringTokens = new AtomicLong(-1);
    private final AtomicLong replicaLagNanos = new AtomicLong(-1);
    private final StripedTally tally = new StripedTally(COUNT + OUTCOMES.size());
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;
    /** Null when the host has none (a filter always has one). */
    private RefusedUseRecorder refusedUses;

    public FilterMetrics(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Its meters join the others; call before {@link #bindTo}. */
    void refusedUses(RefusedUseRecorder recorder) {
        this.refusedUses = recorder;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome o : Outcome.values()) {
            keep(FunctionCounter.builder("globalgate.auth.requests", tally, t -> t.sum(o.ordinal()))
                    .description("Requests the Globalgate filter decided on")
                    .tag("outcome", o.outcome).tag("reason", o.reason).register(registry));
        }
        for (String outcome : OUTCOMES) {
            List<Outcome> members = Stream.of(Outcome.values()).filter(o -> o.outcome.equals(outcome)).toList();
            keep(FunctionTimer.builder("globalgate.auth.duration", tally,
                            t -> members.stream().mapToLong(o -> t.sum(o.ordinal())).sum(),
                            t -> t.sum(members.get(0).nanosIndex()), TimeUnit.NANOSECONDS)
                    .description("Time the Globalgate filter spent deciding on a request")
                    .tag("outcome", outcome).register(registry));
        }
        verifier.integrationMeters().bindTo(registry);
        cacheMeters(registry, "known", verifier.knownCache());
        cacheMeters(registry, "unknown", verifier.unknownCache());
        keep(FunctionCounter.builder("globalgate.store.lookups", verifier, TokenVerifier::storeLookups)
                .description("Token lookups the verifier made in the store (cache misses)").register(registry));
        TokenLookupBudget budget = verifier.lookupBudget();
        if (budget != null) {
            keep(Gauge.builder("globalgate.lookup.budget.listed", budget, TokenLookupBudget::listedCount)
                    .description("Tokens this node knows to exist, always looked up (64-bit prefixes of their hashes)").register(registry));
            keep(FunctionCounter.builder("globalgate.lookup.budget.used", budget, TokenLookupBudget::unlistedLookups)
                    .description("Lookups of tokens this node did not know to exist, made within the budget").register(registry));
            keep(FunctionCounter.builder("globalgate.lookup.budget.refused", budget, TokenLookupBudget::refused)
                    .description("Requests answered 503 because the budget of lookups of unknown tokens was spent").register(registry));
        }
        if (refusedUses != null) {
            RefusedUseRecorder r = refusedUses;
            keep(FunctionCounter.builder("globalgate.refused.uses", r, RefusedUseRecorder::recorded).tag("result", "recorded")
                    .description("Requests refused because their token was revoked or expired, recorded as the token's last refused use")
                    .register(registry));
            keep(FunctionCounter.builder("globalgate.refused.uses", r, RefusedUseRecorder::dropped).tag("result", "dropped")
                    .description("Requests refused because their token was revoked or expired, not recorded: "
                            + RefusedUseRecorder.MAX_TOKENS + " tokens already waited to be written").register(registry));
            keep(Gauge.builder("globalgate.refused.tokens.pending", r, RefusedUseRecorder::pending)
                    .description("Ended tokens whose last refused use waits to be written (at most " + RefusedUseRecorder.MAX_TOKENS + ")")
                    .register(registry));
            keep(FunctionCounter.builder("globalgate.refused.tokens.written", r, RefusedUseRecorder::written)
                    .description("Last refused uses written to the store, one per token and flush").register(registry));
        }
        keep(Gauge.builder("globalgate.changefeed.lag", verifier, TokenVerifier::secondsSinceFresh)
                .description("Seconds since the change feed was last read successfully").baseUnit("seconds").register(registry));
        keep(Gauge.builder("globalgate.changefeed.max.staleness", verifier, v -> v.maxStaleness().toNanos() / 1e9)
                .description("The lag after which cached accepts are no longer trusted (maxStaleness)").baseUnit("seconds")
                .register(registry));
        keep(Gauge.builder("globalgate.replica.lag", replicaLagNanos, a -> a.get() < 0 ? Double.NaN : a.get() / 1e9)
                .description("How far the read replica was behind the primary at the last poll (age of the heartbeat it showed);"
                        + " NaN without a replica").baseUnit("seconds").register(registry));
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

    /** One decision and the time it took: two striped adds, read when the meters are scraped. */
    public void record(Outcome outcome, long nanos) {
        tally.addBoth(outcome.ordinal(), NANOS_INDEX[outcome.ordinal()], nanos);
    }

    /** The same, and the request counted for the integration of its token ({@link IntegrationMeters}): one striped add more. */
    public void record(Outcome outcome, long nanos, IntegrationMeters.Counter integration) {
        tally.addBoth(outcome.ordinal(), NANOS_INDEX[outcome.ordinal()], nanos);
        integration.increment();
    }

    void tokenCounts(long active, long expiring) {
        activeTokens.set(active);
        expiringTokens.set(expiring);
    }

    void replicaLag(java.time.Duration lag) {
        replicaLagNanos.set(lag.toNanos());
    }

    @Override
    public void close() {
        if (registry != null) {
            meters.forEach(registry::remove);
            meters.clear();
        }
        verifier.integrationMeters().close();
    }
}
