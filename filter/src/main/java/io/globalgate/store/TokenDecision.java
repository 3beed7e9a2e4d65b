package io.globalgate.store;

import java.time.Instant;

/** What the filter needs to decide on a token, read by its hash in one indexed query. */
public record TokenDecision(
        long tokenId,
        long integrationId,
        String integrationName,
        boolean integrationActive,
        Instant expiresAt,
        Instant revokedAt,
        TokenRestrictions restrictions) {

    /** A decision on a token without restrictions. */
    public TokenDecision(long tokenId, long integrationId, String integrationName, boolean integrationActive, Instant expiresAt,
                         Instant revokedAt) {
        this(tokenId, integrationId, integrationName, integrationActive, expiresAt, revokedAt, TokenRestrictions.NONE);
    }
}
