package io.globalgate.store;

import io.globalgate.net.NetworkList;

import java.util.List;
import java.util.Objects;

/**
 * What a token may do beyond being live: the networks its requests may come from (its own and its
 * integration's; a request must lie in each list that is set), whether it may only read, the path
 * prefixes it is limited to, and its integration's rate limit. Empty lists and a null rate limit
 * restrict nothing (the rate limit then falls back to the deployment's default).
 *
 * @param rateLimit the integration's own limit, or null for the deployment's default
 */
public record TokenRestrictions(NetworkList tokenNetworks, NetworkList integrationNetworks, Scope scope,
                                List<String> pathPrefixes, RateLimit rateLimit) {

    /** Nothing restricted: a token as every token was before restrictions existed. */
    public static final TokenRestrictions NONE =
            new TokenRestrictions(NetworkList.empty(), NetworkList.empty(), Scope.READ_WRITE, List.of(), null);

    public TokenRestrictions {
        Objects.requireNonNull(tokenNetworks, "tokenNetworks");
        Objects.requireNonNull(integrationNetworks, "integrationNetworks");
        Objects.requireNonNull(scope, "scope");
        pathPrefixes = List.copyOf(pathPrefixes);
    }

    /** What a token may do; the codes are the stored and the API's values. */
    public enum Scope {
        READ_WRITE("read-write"),
        READ_ONLY("read-only");

        private final String code;

        Scope(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The scope of a code, or null for anything else. */
        public static Scope fromCode(String code) {
            for (Scope scope : values()) {
                if (scope.code.equals(code)) {
                    return scope;
                }
            }
            return null;
        }
    }

    /** Requests per minute, refilled smoothly, and the most that may come at once. */
    public record RateLimit(int requestsPerMinute, int burst) {
        public RateLimit {
            if (requestsPerMinute < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs at least 1 request per minute and a burst of at least 1");
            }
        }
    }

    /** Path prefixes as stored: one a line. */
    public static String joinPrefixes(List<String> prefixes) {
        return prefixes.isEmpty() ? null : String.join("\n", prefixes);
    }

    /** The stored text of path prefixes as a list. */
    public static List<String> splitPrefixes(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split("\n"));
    }
}
