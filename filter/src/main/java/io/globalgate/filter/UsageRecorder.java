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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Gathers last-used data and hourly request counts in memory; {@link #flush()} hands them to the
 * store in one batch. The request path only touches memory, and writes little that another core
 * is writing too: a token's count is a {@link LongAdder}, its latest use is written only when it
 * moves forward (at most once a millisecond), and a writer announces itself in a stripe of its
 * own rather than in one shared counter. A flush swaps in a new buffer and waits for the writers
 * still in the old one, so no count is lost or counted twice. A batch the store does not confirm
 * is kept under its id and sent again, as it was, before anything newer: the store writes a batch
 * id at most once, so a batch whose commit went through but whose answer was lost (the database
 * stopped mid-commit) is not counted twice. An outage loses nothing but delays it.
 */
public final class UsageRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);
    private static final long HOUR_MILLIS = 3_600_000L;

    /** The latest use of a token, and the address it came from. */
    private record LastUse(long millis, String address) {
    }

    private static final LastUse NEVER = new LastUse(Long.MIN_VALUE, null);

    /** Requests of one hour (as hours since the epoch). */
    private record HourCount(long hour, LongAdder requests) {
    }

    /** One token in one buffer: the hour requests arrive in now, any other hour, the latest use. */
    private static final class Entry {
        volatile HourCount current = new HourCount(Long.MIN_VALUE, new LongAdder());
        /** Hours other than the current one (the hour just ended, a late request); guarded by this. */
        Map<Long, HourCount> otherHours;
        final AtomicReference<LastUse> last = new AtomicReference<>(NEVER);

        void count(long hour) {
            HourCount now = current;
            if (now.hour() == hour) {
                now.requests().increment();
                return;
            }
            synchronized (this) {
                now = current;
                if (now.hour() == hour) {
                    now.requests().increment();
                } else if (hour > now.hour()) {
                    // A writer that read the old pair still adds to it; it stays here under its hour.
                    if (now.hour() != Long.MIN_VALUE) {
                        other().put(now.hour(), now);
                    }
                    HourCount next = other().remove(hour);
                    next = next != null ? next : new HourCount(hour, new LongAdder());
                    next.requests().increment();
                    current = next;
                } else {
                    other().computeIfAbsent(hour, h -> new HourCount(h, new LongAdder())).requests().increment();
                }
            }
        }

        private Map<Long, HourCount> other() {
            if (otherHours == null) {
                otherHours = new HashMap<>(4);
            }
            return otherHours;
        }

        /** Called by a flush once every writer of this entry's buffer is done. */
        synchronized Map<Instant, Long> hours() {
            Map<Instant, Long> hours = new HashMap<>(4);
            List<HourCount> all = new ArrayList<>(otherHours == null ? List.of() : otherHours.values());
            all.add(current);
            for (HourCount h : all) {
                long n = h.requests().sum();
                if (n > 0) {
                    hours.merge(Instant.ofEpochMilli(h.hour() * HOUR_MILLIS), n, Long::sum);
                }
            }
            return hours;
        }
    }

    /** Where batches go: {@code UsageStore::record}, which writes each batch id at most once. */
    @FunctionalInterface
    public interface Sink {
        /** Writes the batch, or throws; the same id may come again with the same batch. */
        void write(String batchId, List<TokenUsage> batch);
    }

    /** A batch as sent: sent again exactly so, under the same id, until the store confirms it. */
    private record Batch(String id, List<TokenUsage> usages) {
    }

    private final AtomicReference<ConcurrentHashMap<Long, Entry>> current = new AtomicReference<>(new ConcurrentHashMap<>());
    /** Writers at work, per stripe of threads (see StripedTally): a flush waits for them to reach zero. */
    private final StripedTally writers = new StripedTally(1);
    private final Sink sink;
    private final Object flushLock = new Object();
    /** Gathered and never sent; merged freely. Guarded by flushLock. */
    private Map<Long, TokenUsage> unsent = new HashMap<>();
    /** Sent and not confirmed: perhaps written. Guarded by flushLock. */
    private Batch unconfirmed;

    public UsageRecorder(Sink sink) {
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
    public void record(long tokenId, long epochMillis, Supplier<String> clientAddress) {
        int stripe = writers.stripe();
        writers.addAt(stripe, 0, 1);
        try {
            // Announced before reading the buffer: a flush that swapped it after this read waits for us.
            Entry entry = current.get().computeIfAbsent(tokenId, id -> new Entry());
            entry.count(Math.floorDiv(epochMillis, HOUR_MILLIS));
            LastUse seen = entry.last.get();
            if (epochMillis > seen.millis()) {
                LastUse mine = new LastUse(epochMillis, clientAddress.get());
                while (epochMillis > seen.millis() && !entry.last.compareAndSet(seen, mine)) {
                    seen = entry.last.get();
                }
            }
        } finally {
            writers.addAt(stripe, 0, -1);
        }
    }

    /**
     * Writes everything gathered so far: first a batch still unconfirmed, as it was sent, then one
     * batch of the rest. Returns how many token entries were written (a token can be in both).
     */
    public int flush() {
        synchronized (flushLock) {
            ConcurrentHashMap<Long, Entry> full = current.getAndSet(new ConcurrentHashMap<>());
            writers.awaitZero(0); // at most the few instructions of the record() calls in progress
            full.forEach((id, entry) -> {
                LastUse last = entry.last.get();
                unsent.merge(id, new TokenUsage(id, Instant.ofEpochMilli(last.millis()), last.address(), entry.hours()),
                        UsageRecorder::merge);
            });
            int written = 0;
            if (unconfirmed != null) {
                if (!write(unconfirmed)) {
                    return 0;
                }
                written += unconfirmed.usages().size();
                unconfirmed = null;
            }
            if (unsent.isEmpty()) {
                return written;
            }
            Batch batch = new Batch(UUID.randomUUID().toString(), List.copyOf(unsent.values()));
            unsent = new HashMap<>();
            if (!write(batch)) {
                unconfirmed = batch;
                return written;
            }
            return written + batch.usages().size();
        }
    }

    private boolean write(Batch batch) {
        try {
            sink.write(batch.id(), batch.usages());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Could not write usage of {} token(s); kept, to be sent again as it was: {}", batch.usages().size(), e.getMessage());
            return false;
        }
    }

    /** Tokens whose usage waits for a confirmed write (each counted once). */
    public int pending() {
        synchronized (flushLock) {
            Set<Long> tokens = new HashSet<>(unsent.keySet());
            if (unconfirmed != null) {
                unconfirmed.usages().forEach(u -> tokens.add(u.tokenId()));
            }
            tokens.addAll(current.get().keySet());
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
