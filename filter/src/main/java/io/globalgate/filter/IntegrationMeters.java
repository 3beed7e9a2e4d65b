package io.globalgate.filter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code globalgate.integration.requests}: the decisions on known tokens counted per integration
 * (tags {@code integration}, {@code integration_id}, {@code outcome}, {@code reason}), so a
 * dashboard can say which integration is failing and why. Tokens are never a tag; integrations
 * are, up to a limit (the filter's {@code integrationMetrics}): beyond it every further
 * integration counts under {@code integration="other"}, so a deployment with many integrations
 * cannot grow the scrape without bound. {@code 0} turns the meters off.
 *
 * <p>The request path pays one striped add for it and nothing else: an integration's
 * {@link Counter}s are made when a token of it is first read from the store (a cache miss), and
 * the verdicts the verifier caches carry them. A token's integration is counted under the name it
 * had when its decision was read; a renamed integration starts a new series.
 */
public final class IntegrationMeters implements AutoCloseable {

    /** The most that may be counted apart; each costs seven series per node. */
    public static final int MAX_LIMIT = 1000;
    static final String NAME = "globalgate.integration.requests";
    static final String OTHER = "other";

    /** The outcomes of a known token, in the order of their counts in an integration's tally. */
    enum Kind {
        ACCEPTED("accepted", "none"),
        EXPIRED("rejected", "expired"),
        REVOKED("rejected", "revoked"),
        INACTIVE("rejected", "inactive"),
        NETWORK("rejected", "network"),
        SCOPE("rejected", "scope"),
        RATE_LIMITED("rejected", "rate_limited");

        final String outcome;
        final String reason;

        Kind(String outcome, String reason) {
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    /** Where one outcome of one integration is counted; {@link #NONE} counts nothing. */
    public static final class Counter {
        public static final Counter NONE = new Counter(null, 0);

        private final StripedTally tally;
        private final int index;

        private Counter(StripedTally tally, int index) {
            this.tally = tally;
            this.index = index;
        }

        void increment() {
            if (tally != null) {
                tally.add(index, 1);
            }
        }
    }

    /** The counters of one integration, one per {@link Kind}. */
    static final class Integration {
        static final Integration NONE = new Integration();

        final String name;
        final String id;
        private final StripedTally tally;
        private final Counter[] counters = new Counter[Kind.values().length];
        private final List<FunctionCounter> meters = new ArrayList<>();

        private Integration() {
            this.name = null;
            this.id = null;
            this.tally = null;
            Arrays.fill(counters, Counter.NONE);
        }

        private Integration(String name, String id) {
            this.name = name;
            this.id = id;
            this.tally = new StripedTally(Kind.values().length);
            for (Kind kind : Kind.values()) {
                counters[kind.ordinal()] = new Counter(tally, kind.ordinal());
            }
        }

        Counter counter(Kind kind) {
            return counters[kind.ordinal()];
        }

        private void register(MeterRegistry registry) {
            for (Kind kind : Kind.values()) {
                meters.add(FunctionCounter.builder(NAME, tally, t -> t.sum(kind.ordinal()))
                        .description("Requests with a known token the Globalgate filter decided on, by integration")
                        .tag("integration", name).tag("integration_id", id)
                        .tag("outcome", kind.outcome).tag("reason", kind.reason).register(registry));
            }
        }

        private void remove(MeterRegistry registry) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    private record Key(long id, String name) {
    }

    private final int limit;
    private final Map<Key, Integration> integrations = new LinkedHashMap<>();
    private Integration other;
    private MeterRegistry registry;

    /** Counts up to {@code limit} integrations apart ({@code 0} = off, at most {@link #MAX_LIMIT}). */
    public IntegrationMeters(int limit) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("integrationMetrics must be from 0 to " + MAX_LIMIT + ", was " + limit);
        }
        this.limit = limit;
    }

    /**
     * The counters of an integration, made (and registered, once bound) the first time it is
     * seen. Called when a decision is read from the store, never on a cache hit.
     */
    synchronized Integration of(long id, String name) {
        if (limit == 0) {
            return Integration.NONE;
        }
        Key key = new Key(id, name);
        Integration known = integrations.get(key);
        if (known != null) {
            return known;
        }
        if (integrations.size() < limit) {
            Integration made = new Integration(name, Long.toString(id));
            integrations.put(key, made);
            if (registry != null) {
                made.register(registry);
            }
            return made;
        }
        if (other == null) {
            other = new Integration(OTHER, OTHER);
            if (registry != null) {
                other.register(registry);
            }
        }
        return other;
    }

    /** Registers the integrations seen so far, and from now on each one when it is first seen. */
    synchronized void bindTo(MeterRegistry registry) {
        if (limit == 0) {
            return;
        }
        this.registry = registry;
        integrations.values().forEach(i -> i.register(registry));
        if (other != null) {
            other.register(registry);
        }
    }

    /** Removes every meter of this set from the registry. */
    @Override
    public synchronized void close() {
        if (registry != null) {
            integrations.values().forEach(i -> i.remove(registry));
            if (other != null) {
                other.remove(registry);
            }
            registry = null;
        }
    }
}
