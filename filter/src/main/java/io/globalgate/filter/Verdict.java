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

    record Accepted(long tokenId, long integrationId, String integrationName) implements Verdict {
    }

    record Rejected(Reason reason, String message) implements Verdict {
    }

    /** The store could not answer and the cache could not decide: {@code 503}, never {@code 401}. */
    record Unavailable(String message) implements Verdict {
    }
}
