package io.globalgate.admin.store;

import java.time.Instant;

/** A Global API access token as stored: never its value, only its hint. */
public record AccessToken(
        long id,
        long integrationId,
        String name,
        String hint,
        String expiration,
        Instant expiresAt,
        Instant createdAt,
        String createdBy,
        Instant revokedAt,
        String revokedBy,
        Long replacedBy,
        Instant lastUsedAt,
        String lastUsedIp) {

    public TokenStatus status(Instant now) {
        return TokenStatus.of(revokedAt, expiresAt, now);
    }
}
