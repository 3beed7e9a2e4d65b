package io.globalgate.admin.store;

import java.time.Instant;
import java.util.Locale;

/** What a token's own row says of it (the integration's Active flag is separate). */
public enum TokenStatus {
    ACTIVE, EXPIRED, REVOKED;

    public static TokenStatus of(Instant revokedAt, Instant expiresAt, Instant now) {
        if (revokedAt != null) {
            return REVOKED;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return EXPIRED;
        }
        return ACTIVE;
    }

    /** The lower-case name the API speaks, e.g. {@code active}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named by {@code code}, or null. */
    public static TokenStatus fromCode(String code) {
        for (TokenStatus status : values()) {
            if (status.code().equals(code)) {
                return status;
            }
        }
        return null;
    }
}
