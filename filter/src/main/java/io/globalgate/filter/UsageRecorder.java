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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Gathers last-used data and hourly request counts in memory; {@link #flush()} hands them to the
 * store in one batch. The request path only touches memory. A batch the store refuses is kept
 * and merged into the next one, so an outage loses nothing but delays it.
 */
public final class UsageRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    private static final class Entry {
        final ConcurrentHashMap<Long, LongAdder> perHour = new ConcurrentHashMap<>(4);
        volatile long lastUsedMillis;
        volatile String lastUsedIp;
    }

    /** One generation of counts; writers register so a flush can wait for the last of them. */
    private static final class Buffer {
        final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
        final AtomicInteger writers = new AtomicInteger();
    }

    private final AtomicReference<Buffer> current = new AtomicReference<>(new Buffer());
    private final Consumer<List<TokenUsage>> sink;
    private final Object flushLock = new Object();
    private Map<Long, TokenUsage> carriedOver = new HashMap<>();

    public UsageRecorder(Consumer<List<TokenUsage>> sink) {
        this.sink = sink;
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
    public void record(long tokenId, long epochMillis, java.util.function.Supplier<String> clientAddress) {
        while (true) {
            Buffer buffer = current.get();
            buffer.writers.incrementAndGet();
            try {
                if (buffer != current.get()) {
                    continue; // a flush swapped buffers under us: write to the new one
                }
                Entry entry = buffer.entries.computeIfAbsent(tokenId, id -> new Entry());
                entry.perHour.computeIfAbsent(epochMillis / 3_600_000L, h -> new LongAdder()).increment();
                if (epochMillis > entry.lastUsedMillis) {
                    entry.lastUsedMillis = epochMillis;
                    entry.lastUsedIp = clientAddress.get();
                }
                return;
            } finally {
                buffer.writers.decrementAndGet();
            }
        }
    }

    /** Writes everything gathered so far; returns how many tokens the batch covered. */
    public int flush() {
        synchronized (flushLock) {
            Buffer full = current.getAndSet(new Buffer());
            while (full.writers.get() != 0) {
                Thread.onSpinWait(); // at most the few instructions of a record() in progress
            }
            Map<Long, TokenUsage> batch = carriedOver;
            for (Map.Entry<Long, Entry> e : full.entries.entrySet()) {
                Map<Instant, Long> hours = new HashMap<>();
                e.getValue().perHour.forEach((hour, count) -> hours.put(Instant.ofEpochSecond(hour * 3600), count.sum()));
                TokenUsage usage = new TokenUsage(e.getKey(), Instant.ofEpochMilli(e.getValue().lastUsedMillis),
                        e.getValue().lastUsedIp, hours);
                batch.merge(e.getKey(), usage, UsageRecorder::merge);
            }
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
            tokens.addAll(current.get().entries.keySet());
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
