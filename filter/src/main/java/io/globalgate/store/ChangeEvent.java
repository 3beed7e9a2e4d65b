package io.globalgate.store;

import io.globalgate.token.TokenHash;

/**
 * A change that may alter the decision for a token, as every gateway node reads it from the
 * {@code change_event} table (or at once, in the JVM that made it).
 *
 * @param tokenHash the affected token's hash, or null when the change is to the whole integration
 */
public record ChangeEvent(long id, Kind kind, long integrationId, Long tokenId, TokenHash tokenHash) {

    public enum Kind {
        TOKEN_CREATED("token.created"),
        TOKEN_REVOKED("token.revoked"),
        TOKEN_EXPIRY_CHANGED("token.expiry_changed"),
        /** The token's allowed networks, scope or path prefixes changed. */
        TOKEN_RESTRICTIONS_CHANGED("token.restrictions_changed"),
        INTEGRATION_DEACTIVATED("integration.deactivated"),
        INTEGRATION_ACTIVATED("integration.activated"),
        INTEGRATION_UPDATED("integration.updated"),
        /**
         * A kind this version does not know: written by a newer admin during a rolling upgrade. It
         * is applied as a change to its token (or, without one, to its whole integration), which is
         * always safe: the next request looks the token up again. Never written.
         */
        OTHER("");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The kind of a stored code; {@link #OTHER} for a code this version does not know. */
        public static Kind fromCode(String code) {
            for (Kind kind : values()) {
                if (kind != OTHER && kind.code.equals(code)) {
                    return kind;
                }
            }
            return OTHER;
        }
    }

    public boolean concernsWholeIntegration() {
        return tokenHash == null;
    }
}
