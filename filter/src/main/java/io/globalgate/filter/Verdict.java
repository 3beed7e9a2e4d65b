package io.globalgate.filter;

/** The verifier's answer for one request. */
public sealed interface Verdict {

    /** Why a token was refused; the names are the {@code reason} tag of the metrics. */
    enum Reason {
        MALFORMED("malformed"),
        UNKNOWN("unknown"),
        EXPIRED("expired"),
        REVOKED("revoked"),
        INACTIVE("inactive");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** {@code counter} counts the request for its integration ({@link IntegrationMeters}). */
    record Accepted(long tokenId, long integrationId, String integrationName, IntegrationMeters.Counter counter) implements Verdict {
        public Accepted(long tokenId, long integrationId, String integrationName) {
            this(tokenId, integrationId, integrationName, IntegrationMeters.Counter.NONE);
        }
    }

    /** {@code counter} counts the request for the token's integration, when the token is known. */
    record Rejected(Reason reason, String message, IntegrationMeters.Counter counter) implements Verdict {
        public Rejected(Reason reason, String message) {
            this(reason, message, IntegrationMeters.Counter.NONE);
        }
    }

    /** The store could not answer and the cache could not decide: {@code 503}, never {@code 401}. */
    record Unavailable(String message) implements Verdict {
    }
}
