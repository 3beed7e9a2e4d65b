package io.globalgate.filter;

import io.globalgate.store.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Gathers last-used data and hourly request counts in memory; {@link #flush()} hands them to the
 * store in one batch. The request path only touches memory, and hardly any memory another core is
 * writing: counts go to a stripe picked by the thread (a lock no other running thread usually
 * holds, and a map of its own), and the latest use of a token is one shared value written only
 * when it moves forward, i.e. at most once a millisecond. A flush takes each stripe's counts under
 * its lock, so no count is lost or counted twice. A batch the store refuses is kept and merged
 * into the next one, so an outage loses nothing but delays it.
 *
 * <p>The latest use is kept per token for the life of the recorder (about 150 bytes for each
 * token accepted since start): it decides when the client address is worth formatting.
 */
public final class UsageRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    /** A power of two; a pool's threads have consecutive ids, so up to this many get a stripe each. */
    private static final int STRIPES = 64;
    private static final long HOUR_MILLIS = 3_600_000L;

    /** The latest use of a token seen by any thread, and the address it came from. */
    private record LastUse(long millis, String address) {
    }

    /** What one stripe counted for one token since the last flush: the current hour, and any before it. */
    private static final class Counts {
        long hour = Long.MIN_VALUE;
        long count;
        Map<Long, Long> otherHours;

        void add(long requestHour) {
            if (requestHour != hour) {
                if (count > 0) {
                    if (otherHours == null) {
                        otherHours = new HashMap<>(4);
                    }
                    otherHours.merge(hour, count, Long::sum);
                }
                Long earlier = otherHours == null ? null : otherHours.remove(requestHour);
                hour = requestHour;
                count = earlier == null ? 0 : earlier;
            }
            count++;
        }

        void addTo(Map<Instant, Long> hours) {
            if (count > 0) {
                hours.merge(Instant.ofEpochMilli(hour * HOUR_MILLIS), count, Long::sum);
            }
            if (otherHours != null) {
                otherHours.forEach((h, n) -> hours.merge(Instant.ofEpochMilli(h * HOUR_MILLIS), n, Long::sum));
            }
        }
    }

    /** One stripe's counts; the map is replaced (under the stripe's lock) by each flush. */
    private static final class Stripe {
        HashMap<Long, Counts> tokens = new HashMap<>();
    }

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final ConcurrentHashMap<Long, LastUse> lastUses = new ConcurrentHashMap<>();
    private final Consumer<List<TokenUsage>> sink;
    private final Object flushLock = new Object();
    private Map<Long, TokenUsage> carriedOver = new HashMap<>();

    public UsageRecorder(Consumer<List<TokenUsage>> sink) {
        this.sink = sink;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Called once per accepted request. */
    public void record(long tokenId, long epochMillis, String clientAddress) {
        record(tokenId, epochMillis, () -> clientAddress);
    }

    /**
     * Called once per accepted request; the client address is asked for only when last-used moves
     * forward (not for a request older than one already recorded, nor twice in one millisecond):
     * formatting it costs more than the rest.
     */
    public void record(long tokenId, long epochMillis, Supplier<String> clientAddress) {
        Long id = tokenId;
        LastUse seen = lastUses.get(id);
        if (seen == null || epochMillis > seen.millis()) {
            // Before the count: a flush that sees the count also sees this (the stripe lock orders them).
            lastUses.merge(id, new LastUse(epochMillis, clientAddress.get()), (a, b) -> a.millis() >= b.millis() ? a : b);
        }
        Stripe stripe = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
        synchronized (stripe) {
            Counts counts = stripe.tokens.get(id);
            if (counts == null) {
                counts = new Counts();
                stripe.tokens.put(id, counts);
            }
            counts.add(epochMillis / HOUR_MILLIS);
        }
    }

    /** Writes everything gathered so far; returns how many tokens the batch covered. */
    public int flush() {
        synchronized (flushLock) {
            Map<Long, Map<Instant, Long>> counted = new HashMap<>();
            for (Stripe stripe : stripes) {
                HashMap<Long, Counts> taken;
                synchronized (stripe) {
                    if (stripe.tokens.isEmpty()) {
                        continue;
                    }
                    taken = stripe.tokens;
                    stripe.tokens = new HashMap<>();
                }
                taken.forEach((id, counts) -> counts.addTo(counted.computeIfAbsent(id, k -> new HashMap<>())));
            }
            Map<Long, TokenUsage> batch = carriedOver;
            counted.forEach((id, hours) -> {
                LastUse last = lastUses.get(id);
                batch.merge(id, new TokenUsage(id, Instant.ofEpochMilli(last.millis()), last.address(), hours), UsageRecorder::merge);
            });
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                sink.accept(new ArrayList<>(batch.values()));
                carriedOver = new HashMap<>();
                return batch.size();
            } catch (RuntimeException e) {
                carriedOver = batch;
                LOG.warn("Could not write usage of {} token(s); kept for the next flush: {}", batch.size(), e.getMessage());
                return 0;
            }
        }
    }

    /** Tokens whose usage waits for a successful flush (each counted once). */
    public int pending() {
        synchronized (flushLock) {
            Set<Long> tokens = new HashSet<>(carriedOver.keySet());
            for (Stripe stripe : stripes) {
                synchronized (stripe) {
                    tokens.addAll(stripe.tokens.keySet());
                }
            }
            return tokens.size();
        }
    }

    private static TokenUsage merge(TokenUsage older, TokenUsage newer) {
        Map<Instant, Long> hours = new HashMap<>(older.requestsPerHour());
        newer.requestsPerHour().forEach((h, n) -> hours.merge(h, n, Long::sum));
        boolean newerIsLater = !newer.lastUsedAt().isBefore(older.lastUsedAt());
        return new TokenUsage(older.tokenId(), newerIsLater ? newer.lastUsedAt() : older.lastUsedAt(),
                newerIsLater ? newer.lastUsedIp() : older.lastUsedIp(), hours);
    }
}
