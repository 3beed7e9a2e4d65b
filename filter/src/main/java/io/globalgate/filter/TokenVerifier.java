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
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

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
    private final long maxStalenessNanos;
    private final IntegrationMeters integrationMeters;
    private final RateLimiters rateLimiters;
    private final Cache<TokenHash, Known> known;
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
    /** Set when lookups read a replica: what they read is as old as the feed, so past maxStaleness it is not read at all. */
    private volatile boolean lookupsAsStaleAsFeed;
    /** Null: every miss is looked up. */
    private volatile TokenLookupBudget budget;

    public TokenVerifier(DecisionSource source, Clock clock, int maxEntries, Duration ttl, Duration negativeTtl, Duration maxStaleness) {
        this(source, clock, maxEntries, ttl, negativeTtl, maxStaleness, new IntegrationMeters(0));
    }

    /** Whose verdicts on known tokens carry the counters of their integration in {@code integrationMeters}. */
    public TokenVerifier(DecisionSource source, Clock clock, int maxEntries, Duration ttl, Duration negativeTtl, Duration maxStaleness,
                         IntegrationMeters integrationMeters) {
        this(source, clock, maxEntries, ttl, negativeTtl, maxStaleness, integrationMeters, new RateLimiters(clock, null));
    }

    /** And whose accepted verdicts hold the bucket of their integration in {@code rateLimiters}. */
    public TokenVerifier(DecisionSource source, Clock clock, int maxEntries, Duration ttl, Duration negativeTtl, Duration maxStaleness,
                         IntegrationMeters integrationMeters, RateLimiters rateLimiters) {
        this(source, clock, Ticker.systemTicker(), maxEntries, ttl, negativeTtl, maxStaleness, integrationMeters, rateLimiters);
    }

    /** With the ticker that ages cache entries and measures staleness and back-off (tests pass one they advance). */
    TokenVerifier(DecisionSource source, Clock clock, Ticker ticker, int maxEntries, Duration ttl, Duration negativeTtl,
                  Duration maxStaleness) {
        this(source, clock, ticker, maxEntries, ttl, negativeTtl, maxStaleness, new IntegrationMeters(0));
    }

    TokenVerifier(DecisionSource source, Clock clock, Ticker ticker, int maxEntries, Duration ttl, Duration negativeTtl,
                  Duration maxStaleness, IntegrationMeters integrationMeters) {
        this(source, clock, ticker, maxEntries, ttl, negativeTtl, maxStaleness, integrationMeters, new RateLimiters(clock, null));
    }

    TokenVerifier(DecisionSource source, Clock clock, Ticker ticker, int maxEntries, Duration ttl, Duration negativeTtl,
                  Duration maxStaleness, IntegrationMeters integrationMeters, RateLimiters rateLimiters) {
        this.source = source;
        this.rateLimiters = rateLimiters;
        this.integrationMeters = integrationMeters;
        this.clock = clock;
        this.ticker = ticker;
        this.maxStalenessNanos = maxStaleness.toNanos();
        this.caching = maxEntries > 0;
        // Caffeine's maintenance runs on the calling thread, never in ForkJoinPool.commonPool():
        // work queued there by a web application would outlive it (and hold its class loader).
        this.known = Caffeine.newBuilder().executor(Runnable::run).ticker(ticker).maximumSize(maxEntries).expireAfterWrite(ttl)
                .recordStats(StripedStatsCounter::new).build();
        this.unknown = Caffeine.newBuilder().executor(Runnable::run).ticker(ticker).maximumSize(Math.max(1, maxEntries))
                .expireAfterWrite(negativeTtl.isZero() ? Duration.ofNanos(1) : negativeTtl)
                .recordStats(StripedStatsCounter::new).build();
        this.lastFreshNanos = ticker.read();
        this.ready = true;
    }

    // Verdicts that carry nothing of the token are made once: the request path returns them.
    private static final Verdict UNKNOWN = new Verdict.Rejected(Verdict.Reason.UNKNOWN, "Token is not recognised");
    private static final Verdict REVOKED = new Verdict.Rejected(Verdict.Reason.REVOKED, "Token has been revoked");
    private static final Verdict INACTIVE = new Verdict.Rejected(Verdict.Reason.INACTIVE, "The integration of this token is inactive");
    private static final Verdict NOT_READY = new Verdict.Unavailable("Token store is not ready yet");
    private static final Verdict STORE_DOWN = new Verdict.Unavailable("Token store unavailable; try again shortly");
    private static final Verdict LOOKUP_LIMIT = new Verdict.Unavailable("Too many unknown tokens; try again shortly", true);
    private static final Map<TokenFormat.Problem, Verdict> MALFORMED = new EnumMap<>(TokenFormat.Problem.class);

    static {
        for (TokenFormat.Problem problem : TokenFormat.Problem.values()) {
            MALFORMED.put(problem, new Verdict.Rejected(Verdict.Reason.MALFORMED, "Bearer token is malformed: " + problem.message()));
        }
    }

    /**
     * A decision as cached, with its verdicts made when it was read: a hit compares the time with
     * the expiry, when there is one, and returns a verdict that already exists.
     */
    private static final class Known {
        final TokenDecision decision;
        /** The verdict while unexpired: revoked, inactive or accepted, in that order of precedence. */
        final Verdict standing;
        /** When the token expires; null for never (or when revoked, which comes first). */
        final Instant expiresAt;
        /** The millisecond expiresAt falls in: before it the token is unexpired, after it expired. */
        final long expiresAtMillis;
        final Verdict expired;

        /**
         * {@code meters}: the counters of the token's integration, which its verdicts carry;
         * {@code limiters}: where its accepted verdict finds its integration's rate limit.
         */
        Known(TokenDecision d, IntegrationMeters.Integration meters, RateLimiters limiters) {
            this.decision = d;
            this.standing = d.revokedAt() != null ? refusal(REVOKED, meters.counter(IntegrationMeters.Kind.REVOKED), d.tokenId())
                    : !d.integrationActive() ? refusal(INACTIVE, meters.counter(IntegrationMeters.Kind.INACTIVE), d.tokenId())
                    : new Verdict.Accepted(d.tokenId(), d.integrationId(), d.integrationName(),
                            meters.counter(IntegrationMeters.Kind.ACCEPTED),
                            RequestRestrictions.of(d.integrationId(), d.restrictions(), limiters, meters));
            this.expiresAt = d.revokedAt() == null ? d.expiresAt() : null;
            this.expiresAtMillis = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
            this.expired = expiresAt == null ? null : new Verdict.Rejected(Verdict.Reason.EXPIRED, "Token expired at " + expiresAt,
                    meters.counter(IntegrationMeters.Kind.EXPIRED), d.tokenId());
        }

        /** The shared refusal's words, for this token (whose refused uses are recorded) and counted for its integration. */
        private static Verdict refusal(Verdict shared, IntegrationMeters.Counter counter, long tokenId) {
            Verdict.Rejected r = (Verdict.Rejected) shared;
            return new Verdict.Rejected(r.reason(), r.message(), counter, tokenId);
        }
    }

    public Verdict verify(String token) {
        return verify(token, null);
    }

    /**
     * The same, a token this node does not know to exist being looked up only within the
     * {@link TokenLookupBudget} of {@code clientAddress} and of the node.
     */
    public Verdict verify(String token, String clientAddress) {
        return verify(token, clientAddress, Function.identity());
    }

    /**
     * The same, the client address being {@code clientAddress} applied to {@code request}, asked
     * only when the budget is consulted (a miss of a token this node does not know): behind a
     * trusted proxy it reads the forwarding headers, which the hot path never does. A host passes
     * one function made once, so a request allocates nothing for it.
     */
    public <R> Verdict verify(String token, R request, Function<? super R, String> clientAddress) {
        TokenFormat.Problem problem = TokenFormat.problemOf(token);
        if (problem != null) {
            return MALFORMED.get(problem);
        }
        TokenHash hash = TokenHash.of(token);
        if (!ready) {
            return NOT_READY;
        }
        Known cached = known.getIfPresent(hash);
        if (cached != null) {
            Verdict verdict = judge(cached);
            // A cached refusal stays right however stale the feed: revocations are final.
            if (!(verdict instanceof Verdict.Accepted) || isFresh()) {
                return verdict;
            }
        } else if (unknown.getIfPresent(hash) != null) {
            return UNKNOWN;
        }
        // A miss, or an accept we may no longer trust because the change feed went quiet.
        if (storeFailing && ticker.read() - storeFailedAtNanos < STORE_BACKOFF_NANOS) {
            return STORE_DOWN;
        }
        if (lookupsAsStaleAsFeed && !isFresh()) {
            return STORE_DOWN; // a replica this far behind may still show a revoked token as live
        }
        TokenLookupBudget lookupBudget = budget;
        if (cached == null && lookupBudget != null && !lookupBudget.admit(hash, request == null ? null : clientAddress.apply(request))) {
            return LOOKUP_LIMIT;
        }
        Optional<TokenDecision> loaded;
        try {
            loaded = load(hash);
            storeFailing = false;
        } catch (LookupInterrupted e) {
            return STORE_DOWN; // this request's thread was interrupted, not the store: no back-off for the others
        } catch (RuntimeException e) {
            LOG.debug("Token lookup failed", e);
            storeFailedAtNanos = ticker.read();
            storeFailing = true;
            return STORE_DOWN;
        }
        return loaded.isPresent() ? judge(known(loaded.get())) : UNKNOWN;
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
                Known entry = result.map(this::known).orElse(null);
                if (entry != null) {
                    known.put(hash, entry);
                    unknown.invalidate(hash);
                } else {
                    unknown.put(hash, Boolean.TRUE);
                }
                // An invalidation that slipped in between the check above and the put did not see
                // our entry: take it back. One that comes after this check removes it itself.
                if (epoch != invalidations.get()) {
                    if (entry != null) {
                        known.asMap().remove(hash, entry);
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

    private Known known(TokenDecision d) {
        return new Known(d, integrationMeters.of(d.integrationId(), d.integrationName()), rateLimiters);
    }

    private static Optional<TokenDecision> join(CompletableFuture<Optional<TokenDecision>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupInterrupted(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** A request's own thread was interrupted while it waited for another request's lookup. */
    private static final class LookupInterrupted extends RuntimeException {
        LookupInterrupted(InterruptedException cause) {
            super("interrupted while waiting for a token lookup", cause);
        }
    }

    /**
     * Expiry is judged on every request: expired when now &gt;= expiresAt. Only a token with an
     * expiry reads the clock, in milliseconds; the exact instant only within its expiry's millisecond.
     */
    private Verdict judge(Known k) {
        if (k.expiresAt == null) {
            return k.standing;
        }
        long now = clock.millis();
        if (now < k.expiresAtMillis) {
            return k.standing;
        }
        return now > k.expiresAtMillis || !clock.instant().isBefore(k.expiresAt) ? k.expired : k.standing;
    }

    // ---- told by the change feed (or at once by the store in this JVM)

    public void apply(ChangeEvent event) {
        invalidations.incrementAndGet();
        if (event.concernsWholeIntegration()) {
            known.asMap().values().removeIf(k -> k.decision.integrationId() == event.integrationId());
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

    /** The change feed was read successfully just now, on the primary. */
    public void markFresh() {
        markFresh(0);
    }

    /**
     * The change feed was read successfully just now, on a replica {@code behindNanos} behind the
     * primary: what it shows was true that long ago, so the feed is that much less fresh.
     */
    public void markFresh(long behindNanos) {
        if (!isFresh()) {
            // The feed was unread (or its replica behind) for longer than maxStaleness: events may
            // have been purged or missed meanwhile, so nothing cached before is trusted any more.
            invalidateAll();
        }
        lastFreshNanos = ticker.read() - Math.max(0, behindNanos);
        storeFailing = false;
    }

    /**
     * Lookups read a replica from now on: a miss, or an accept no longer trusted, is then a 503
     * while the feed is stale, as when the store is down, since the replica may be as far behind.
     */
    void lookupsReadReplica() {
        this.lookupsAsStaleAsFeed = true;
    }

    public boolean isFresh() {
        return ticker.read() - lastFreshNanos <= maxStalenessNanos;
    }

    /** Seconds since the change feed was last read successfully, plus how far behind its replica was then. */
    public double secondsSinceFresh() {
        return (ticker.read() - lastFreshNanos) / 1e9;
    }

    void setReady(boolean ready) {
        this.ready = ready;
    }

    /** Bounds the lookups of tokens this node does not know to exist; null = none. */
    void lookupBudget(TokenLookupBudget budget) {
        this.budget = budget;
    }

    TokenLookupBudget lookupBudget() {
        return budget;
    }

    /** Lookups made in the store since start: what a flood of bad tokens costs the database. */
    public long storeLookups() {
        return lookups.get();
    }

    /** The per-integration counters its verdicts carry. */
    IntegrationMeters integrationMeters() {
        return integrationMeters;
    }

    /** After this long without a successful poll, cached accepts are not trusted. */
    public Duration maxStaleness() {
        return Duration.ofNanos(maxStalenessNanos);
    }

    Cache<TokenHash, ?> knownCache() {
        return known;
    }

    Cache<TokenHash, Boolean> unknownCache() {
        return unknown;
    }

}
