package io.globalgate.filter;

import io.globalgate.store.RefusedUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The last refused use of each token that has ended (revoked, or expired): a request refused
 * because of it says a client was never updated, or someone holds a copy. Only refusals come here,
 * never an accepted request. Uses are coalesced per token in memory, the latest one kept, and
 * {@link #flush()} writes one row per token: a flood of refused requests costs the database one
 * update per token per flush, whatever its size.
 *
 * <p>Memory is bounded: at most {@link #MAX_TOKENS} tokens wait between two flushes (about 150
 * bytes each, so 1.5 MB at most); the use of a further token is dropped and counted
 * ({@link #dropped()}) until a flush makes room. Only a known token that has ended can take a
 * place, so forged tokens cannot fill it; many ended tokens in use at once, or a database that
 * does not answer, can. A write the store does not confirm leaves its entries in place, to be
 * written at the next flush: the write never moves a time backwards, so writing twice is harmless.
 */
public final class RefusedUseRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedUseRecorder.class);

    /** The most tokens whose refused use waits for a flush. */
    public static final int MAX_TOKENS = 10_000;

    /** Where batches go: {@code UsageStore::recordRefused}, which never moves a time backwards. */
    @FunctionalInterface
    public interface Sink {
        /** Writes the batch, or throws; the same uses may come again. */
        void write(List<RefusedUse> batch);
    }

    /** The latest refused use of one token seen since its last write. */
    private record Last(long millis, String address) {
    }

    private final ConcurrentHashMap<Long, Last> pending = new ConcurrentHashMap<>();
    /** Places taken in {@code pending}: taken before a put, so the map never holds more than the bound. */
    private final AtomicInteger places = new AtomicInteger();
    private final int maxTokens;
    private final Sink sink;
    private final Object flushLock = new Object();
    private final LongAdder recorded = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();

    public RefusedUseRecorder(Sink sink) {
        this(sink, MAX_TOKENS);
    }

    RefusedUseRecorder(Sink sink, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
        }
        this.sink = sink;
        this.maxTokens = maxTokens;
    }

    /**
     * One request refused because token {@code tokenId} has ended. The client address is asked
     * for only when the token's latest refused use moves forward (at most once a millisecond).
     */
    public void record(long tokenId, long epochMillis, Supplier<String> clientAddress) {
        Last seen = pending.get(tokenId);
        if (seen != null && epochMillis <= seen.millis()) {
            recorded.increment();
            return;
        }
        Last mine = new Last(epochMillis, clientAddress.get());
        while (true) {
            if (seen == null) {
                // A flush may have removed the token's entry: the use takes a place anew.
                if (places.incrementAndGet() > maxTokens) {
                    places.decrementAndGet();
                    dropped.increment();
                    return;
                }
                seen = pending.putIfAbsent(tokenId, mine);
                if (seen == null) {
                    recorded.increment();
                    return;
                }
                places.decrementAndGet(); // another request of this token put it first
            }
            if (epochMillis <= seen.millis() || pending.replace(tokenId, seen, mine)) {
                recorded.increment();
                return;
            }
            seen = pending.get(tokenId);
        }
    }

    /**
     * Writes the latest refused use of every token gathered, one row each, and forgets those not
     * refused again since they were read. Returns how many tokens were written; 0 when the store
     * did not answer (they are written at the next flush).
     */
    public int flush() {
        synchronized (flushLock) {
            if (pending.isEmpty()) {
                return 0;
            }
            List<Map.Entry<Long, Last>> taken = new ArrayList<>(pending.size());
            List<RefusedUse> batch = new ArrayList<>(pending.size());
            for (Map.Entry<Long, Last> e : pending.entrySet()) {
                taken.add(Map.entry(e.getKey(), e.getValue()));
                batch.add(new RefusedUse(e.getKey(), Instant.ofEpochMilli(e.getValue().millis()), e.getValue().address()));
            }
            try {
                sink.write(batch);
            } catch (RuntimeException e) {
                LOG.warn("Could not write the last refused use of {} ended token(s); kept, to be written at the next flush: {}",
                        batch.size(), e.getMessage());
                return 0;
            }
            for (Map.Entry<Long, Last> e : taken) {
                if (pending.remove(e.getKey(), e.getValue())) {
                    places.decrementAndGet();
                }
            }
            written.add(batch.size());
            return batch.size();
        }
    }

    /** Tokens whose refused use waits to be written. */
    public int pending() {
        return pending.size();
    }

    /** Refused uses of ended tokens taken in (each coalesced with the others of its token). */
    public long recorded() {
        return recorded.sum();
    }

    /** Refused uses not recorded because {@link #MAX_TOKENS} tokens were already waiting. */
    public long dropped() {
        return dropped.sum();
    }

    /** Token rows written. */
    public long written() {
        return written.sum();
    }
}
