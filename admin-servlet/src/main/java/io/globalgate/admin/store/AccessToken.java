package io.globalgate.admin.store;

import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;

import java.time.Instant;
import java.util.List;

/**
 * A Global API access token as stored: never its value, only its hint. Its restrictions: the
 * networks it may be used from (empty = anywhere its integration allows), its scope, and the path
 * prefixes it is limited to (empty = every path).
 */
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
        String lastUsedIp,
        NetworkList allowedNetworks,
        TokenRestrictions.Scope scope,
        List<String> pathPrefixes) {

    public TokenStatus status(Instant now) {
        return TokenStatus.of(revokedAt, expiresAt, now);
    }
}
