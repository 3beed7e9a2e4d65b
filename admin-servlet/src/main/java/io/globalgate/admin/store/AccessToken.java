package io.globalgate.admin.store;

import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;

import java.time.Instant;
import java.util.List;

/**
 * A Global API access token as stored: never its value, only its hint. Its restrictions: the
 * networks it may be used from (empty = anywhere its integration allows), its scope, and the path
 * prefixes it is limited to (empty = every path). {@code revokedReason} is one of
 * {@link RevokedReason}'s codes; {@code revokedDetail} says where a leaked token was found;
 * {@code lastRefusedAt} / {@code lastRefusedIp} are the last request refused because the token was
 * revoked or expired.
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
        List<String> pathPrefixes,
        String revokedReason,
        String revokedDetail,
        Instant lastRefusedAt,
        String lastRefusedIp) {

    public TokenStatus status(Instant now) {
        return TokenStatus.of(revokedAt, expiresAt, now);
    }
}
