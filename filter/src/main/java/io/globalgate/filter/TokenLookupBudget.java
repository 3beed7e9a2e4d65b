package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.globalgate.net.ClientAddress;
import io.globalgate.store.ChangeEvent;
import io.globalgate.token.TokenHash;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Bounds what tokens that cannot exist cost the database. A forged token with a correct checksum
 * (CRC32 is no secret) passes the format check, so each distinct one would cost a lookup. This
 * node keeps the 64-bit prefixes of the SHA-256 of every token that exists (<em>listed</em>):
 * loaded when the change feed starts or after it was unread too long, and told of each new token
 * by the feed's {@code token.created} event. A listed token is always looked up. An unlisted one
 * is looked up only within a budget: {@code unknownTokenLookups} per second for the node and
 * {@code unknownTokenLookupsPerAddress} per second per client address (the one the restrictions see,
 * so behind a trusted proxy each forwarded client has its own; IPv6 by its /64), each a
 * bucket holding one second's worth; beyond either the request is answered {@code 503} with
 * {@code Retry-After} (reason {@code lookup_limit}), never {@code 401}: the token may be one
 * created on another node whose event this node has not read yet, and it is listed here within
 * one poll.
 */
public final class TokenLookupBudget {

    /** Addresses whose buckets are kept; past that the least recently seen is dropped (its next request starts full). */
    static final int MAX_ADDRESSES = 10_000;

    private final Set<Long> listed = ConcurrentHashMap.newKeySet();
    /** False until the list is loaded, and again when it may have missed tokens (a restart of the feed, a stale feed). */
    private volatile boolean current;
    private final Bucket node;
    private final int perAddress;
    private final Cache<String, Bucket> addresses;
    private final LongSupplier nanoTime;
    private final LongAdder unlistedLookups = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param perNode    lookups of unlisted tokens per second on this node
     * @param perAddress lookups of unlisted tokens per second per client address
     */
    public TokenLookupBudget(int perNode, int perAddress) {
        this(perNode, perAddress, System::nanoTime);
    }

    TokenLookupBudget(int perNode, int perAddress, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.node = new Bucket(perNode, nanoTime.getAsLong());
        this.perAddress = perAddress;
        this.addresses = Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_ADDRESSES)
                .expireAfterAccess(Duration.ofMinutes(1)).build();
    }

    /**
     * Whether a token that no cache could decide may be looked up now: always when it is listed,
     * else when both the address's and the node's buckets have a lookup left.
     *
     * @param address the client address, or null when unknown (then only the node's budget counts)
     */
    boolean admit(TokenHash hash, String address) {
        if (listed.contains(prefix(hash))) {
            return true;
        }
        long now = nanoTime.getAsLong();
        Bucket own = address == null ? null : addresses.get(ClientAddress.perSubscriber(ClientAddress.canonical(address)), a -> new Bucket(perAddress, now));
        if ((own == null || own.take(now)) && node.take(now)) {
            unlistedLookups.increment();
            return true;
        }
        refused.increment();
        return false;
    }

    /** A new token (the feed's {@code token.created}) is listed: looked up whatever the budget. */
    void heard(ChangeEvent event) {
        if (event.kind() == ChangeEvent.Kind.TOKEN_CREATED && event.tokenHash() != null) {
            listed.add(prefix(event.tokenHash()));
        }
    }

    /** Lists every token the store holds (read after the feed's position was taken, so none is missed). */
    void listAll(Iterable<TokenHash> tokens) {
        // Only ever added to: a token listed by an event meanwhile stays, and one that is gone costs a
        // lookup at most (a revoked token's decision is cached like any other), never a refusal.
        tokens.forEach(hash -> listed.add(prefix(hash)));
        current = true;
    }

    /** The list may have missed tokens: load it again at the next successful poll. */
    void markOutdated() {
        current = false;
    }

    boolean isCurrent() {
        return current;
    }

    /** Tokens listed. */
    int listedCount() {
        return listed.size();
    }

    /** Lookups of unlisted tokens made within the budget. */
    long unlistedLookups() {
        return unlistedLookups.sum();
    }

    /** Requests answered 503 because the budget was spent. */
    long refused() {
        return refused.sum();
    }

    private static long prefix(TokenHash hash) {
        return ByteBuffer.wrap(hash.toBytes()).getLong();
    }

    /** Holds up to one second's worth of lookups, refilled continuously. */
    private static final class Bucket {
        private final double perSecond;
        private double left;
        private long lastNanos;

        Bucket(int perSecond, long now) {
            this.perSecond = perSecond;
            this.left = perSecond;
            this.lastNanos = now;
        }

        synchronized boolean take(long now) {
            // Threads read the time before they get here, so "now" may be behind lastNanos: the
            // refill only ever moves forward, or a time counted once would be counted again.
            if (now > lastNanos) {
                left = Math.min(perSecond, left + (now - lastNanos) * perSecond / 1e9);
                lastNanos = now;
            }
            if (left >= 1) {
                left -= 1;
                return true;
            }
            return false;
        }
    }
}
