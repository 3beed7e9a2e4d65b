package io.globalgate.filter;

/** The verifier's answer for one request. */
public sealed interface Verdict {

    /** Why a token was refused; the names are the {@code reason} tag of the metrics. */
    enum Reason {
        MALFORMED("malformed"),
        UNKNOWN("unknown"),
        EXPIRED("expired"),
        REVOKED("revoked"),
        INACTIVE("inactive"),
        /** The client address lies outside the token's or its integration's allowed networks. */
        NETWORK("network"),
        /** A read-only token and a method that writes, or a path outside the token's path prefixes. */
        SCOPE("scope"),
        /** The integration's rate limit on this node is used up. */
        RATE_LIMITED("rate_limited");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** {@code counter} counts the request for its integration ({@link IntegrationMeters}). */
    record Accepted(long tokenId, long integrationId, String integrationName, IntegrationMeters.Counter counter,
                    RequestRestrictions restrictions) implements Verdict {
        public Accepted(long tokenId, long integrationId, String integrationName) {
            this(tokenId, integrationId, integrationName, IntegrationMeters.Counter.NONE);
        }

        public Accepted(long tokenId, long integrationId, String integrationName, IntegrationMeters.Counter counter) {
            this(tokenId, integrationId, integrationName, counter, RequestRestrictions.NONE);
        }
    }

    /** A live token the request may not use as it is: {@code 403} (reason {@code NETWORK} or {@code SCOPE}). */
    record Forbidden(Reason reason, String message, IntegrationMeters.Counter counter) implements Verdict {
    }

    /**
     * The integration's rate limit is used up: {@code 429} with {@code Retry-After} and the
     * {@code RateLimit-Policy} and {@code RateLimit} headers.
     */
    record RateLimited(String message, long retryAfterSeconds, String policy, String state, IntegrationMeters.Counter counter)
            implements Verdict {
    }

    /**
     * {@code counter} counts the request for the token's integration, when the token is known;
     * {@code tokenId} is the known token's id, {@code 0} for a token the store does not know.
     */
    record Rejected(Reason reason, String message, IntegrationMeters.Counter counter, long tokenId) implements Verdict {
        public Rejected(Reason reason, String message) {
            this(reason, message, IntegrationMeters.Counter.NONE, 0);
        }

        public Rejected(Reason reason, String message, IntegrationMeters.Counter counter) {
            this(reason, message, counter, 0);
        }

        /** A known token refused because it has ended (revoked, or expired): its use is recorded ({@link RefusedUseRecorder}). */
        public boolean endedToken() {
            return tokenId != 0 && (reason == Reason.REVOKED || reason == Reason.EXPIRED);
        }
    }

    /**
     * The store could not answer and the cache could not decide: {@code 503}, never {@code 401}.
     * {@code overLookupBudget}: the store was not asked, the token being unknown to this node and
     * its budget of such lookups spent ({@link TokenLookupBudget}).
     */
    record Unavailable(String message, boolean overLookupBudget) implements Verdict {
        public Unavailable(String message) {
            this(message, false);
        }
    }
}
