package io.globalgate.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.globalgate.store.ChangeEvent;
import io.globalgate.store.TokenDecision;
import io.globalgate.token.TokenFormat;
import io.globalgate.token.TokenHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides on a token: format and checksum first (no lookup for a token that fails them), then the
 * cache, then one indexed lookup by hash. Known tokens and unknown ones are cached apart, so a
 * flood of made-up tokens can never evict the tokens of real clients. Expiry is evaluated on every
 * request against the cached instant. Caches are keyed by the token's SHA-256: no plaintext
 * token is kept after the request.
 */
public final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    /** The lookup the verifier makes on a cache miss; throws when the store cannot answer. */
    @FunctionalInterface
    public interface DecisionSource {
        Optional<TokenDecision> find(TokenHash hash);
    }

    private final DecisionSource source;
    private final Clock clock;
    /** Measures ages (cache entries, staleness, back-off); the clock only says what time it is. */
    private final Ticker ticker;
    private final Duration maxStaleness;
    private final Cache<TokenHash, TokenDecision> known;
    private final Cache<TokenHash, Boolean> unknown;
    private final ConcurrentHashMap<TokenHash, CompletableFuture<Optional<TokenDecision>>> inFlight = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a lookup that raced with one does not cache what it read. */
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicLong lookups = new AtomicLong();
    private final boolean caching;
    /** After a failed lookup, misses fail fast for this long instead of each waiting for a connection. */
    private static final long STORE_BACKOFF_NANOS = 1_000_000_000L;

    private volatile long lastFreshNanos;
    private volatile boolean storeFailing;
    private volatile long storeFailedAtNanos;
    private volatile boolean ready;

    public TokenVerifier(DecisionSource source, Clock clock, int maxEntries, Duration ttl, Duration negativeTtl, Duration maxStaleness) {
        this(source, clock, Ticker.systemTicker(), maxEntries, ttl, negativeTtl, maxStaleness);
    }

    /** With the ticker that ages cache entries and measures staleness and back-off (tests pass one they advance). */
    TokenVerifier(DecisionSource source, Clock clock, Ticker ticker, int maxEntries, Duration ttl, Duration negativeTtl,
                  Duration maxStaleness) {
        this.source = source;
        this.clock = clock;
        this.ticker = ticker;
        this.maxStaleness = maxStaleness;
        this.caching = maxEntries > 0;
        this.known = Caffeine.newBuilder().ticker(ticker).maximumSize(maxEntries).expireAfterWrite(ttl).recordStats().build();
        this.unknown = Caffeine.newBuilder().ticker(ticker).maximumSize(Math.max(1, maxEntries))
                .expireAfterWrite(negativeTtl.isZero() ? Duration.ofNanos(1) : negativeTtl).recordStats().build();
        this.lastFreshNanos = ticker.read();
        this.ready = true;
    }

    public Verdict verify(String token) {
        TokenFormat.Problem problem = TokenFormat.check(token);
        if (problem != TokenFormat.Problem.VALID) {
            return new Verdict.Rejected(Verdict.Reason.MALFORMED, "Bearer token is malformed: " + problem.message());
        }
        TokenHash hash = TokenHash.of(token);
        if (!ready) {
            return new Verdict.Unavailable("Token store is not ready yet");
        }
        boolean fresh = isFresh();
        TokenDecision decision = known.getIfPresent(hash);
        if (decision != null && (fresh || refuses(decision))) {
            return judge(decision);
        }
        if (decision == null && unknown.getIfPresent(hash) != null) {
            return unknownToken();
        }
        // A miss, or an accept we may no longer trust because the change feed went quiet.
        if (storeFailing && ticker.read() - storeFailedAtNanos < STORE_BACKOFF_NANOS) {
            return new Verdict.Unavailable("Token store unavailable; try again shortly");
        }
        Optional<TokenDecision> loaded;
        try {
            loaded = load(hash);
            storeFailing = false;
        } catch (RuntimeException e) {
            LOG.debug("Token lookup failed", e);
            storeFailedAtNanos = ticker.read();
            storeFailing = true;
            return new Verdict.Unavailable("Token store unavailable; try again shortly");
        }
        return loaded.map(this::judge).orElseGet(TokenVerifier::unknownToken);
    }

    private Optional<TokenDecision> load(TokenHash hash) {
        CompletableFuture<Optional<TokenDecision>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<TokenDecision>> running = inFlight.putIfAbsent(hash, mine);
        if (running != null) {
            return join(running); // another request is already asking the store for this token
        }
        try {
            long epoch = invalidations.get();
            lookups.incrementAndGet();
            Optional<TokenDecision> result = source.find(hash);
            if (caching && epoch == invalidations.get()) {
                if (result.isPresent()) {
                    known.put(hash, result.get());
                    unknown.invalidate(hash);
                } else {
                    unknown.put(hash, Boolean.TRUE);
                }
                // An invalidation that slipped in between the check above and the put did not see
                // our entry: take it back. One that comes after this check removes it itself.
                if (epoch != invalidations.get()) {
                    if (result.isPresent()) {
                        known.asMap().remove(hash, result.get());
                    } else {
                        unknown.asMap().remove(hash, Boolean.TRUE);
                    }
                }
            }
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(hash, mine);
        }
    }

    private static Optional<TokenDecision> join(CompletableFuture<Optional<TokenDecision>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a token lookup", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private Verdict judge(TokenDecision d) {
        if (d.revokedAt() != null) {
            return new Verdict.Rejected(Verdict.Reason.REVOKED, "Token has been revoked");
        }
        Instant now = clock.instant();
        if (d.expiresAt() != null && !now.isBefore(d.expiresAt())) {
            return new Verdict.Rejected(Verdict.Reason.EXPIRED, "Token expired at " + d.expiresAt());
        }
        if (!d.integrationActive()) {
            return new Verdict.Rejected(Verdict.Reason.INACTIVE, "The integration of this token is inactive");
        }
        return new Verdict.Accepted(d.tokenId(), d.integrationId(), d.integrationName());
    }

    /** A cached refusal stays right however stale the feed: revocations are final. */
    private boolean refuses(TokenDecision d) {
        return !(judge(d) instanceof Verdict.Accepted);
    }

    private static Verdict unknownToken() {
        return new Verdict.Rejected(Verdict.Reason.UNKNOWN, "Token is not recognised");
    }

    // ---- told by the change feed (or at once by the store in this JVM)

    public void apply(ChangeEvent event) {
        invalidations.incrementAndGet();
        if (event.concernsWholeIntegration()) {
            known.asMap().values().removeIf(d -> d.integrationId() == event.integrationId());
        } else {
            known.invalidate(event.tokenHash());
            unknown.invalidate(event.tokenHash());
        }
    }

    /** Forget everything (e.g. after the change feed lost events it cannot replay). */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        known.invalidateAll();
        unknown.invalidateAll();
    }

    /** The change feed was read successfully just now. */
    public void markFresh() {
        if (!isFresh()) {
            // The feed was unread for longer than maxStaleness: events may have been purged or
            // missed meanwhile, so nothing cached before is trusted any more.
            invalidateAll();
        }
        lastFreshNanos = ticker.read();
        storeFailing = false;
    }

    public boolean isFresh() {
        return ticker.read() - lastFreshNanos <= maxStaleness.toNanos();
    }

    /** Seconds since the change feed was last read successfully. */
    public double secondsSinceFresh() {
        return (ticker.read() - lastFreshNanos) / 1e9;
    }

    void setReady(boolean ready) {
        this.ready = ready;
    }

    /** Lookups made in the store since start: what a flood of bad tokens costs the database. */
    public long storeLookups() {
        return lookups.get();
    }

    Cache<TokenHash, TokenDecision> knownCache() {
        return known;
    }

    Cache<TokenHash, Boolean> unknownCache() {
        return unknown;
    }

}
