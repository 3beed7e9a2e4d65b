package io.globalgate.admin.store;

import io.globalgate.net.NetworkList;
import io.globalgate.store.TokenRestrictions;

import java.time.Instant;

/**
 * A custom integration: the owner of Global API access tokens. Its restrictions bind all its
 * tokens: the networks they may be used from (empty = anywhere) and its rate limit per node (null
 * = the deployment's default).
 */
public record Integration(
        long id,
        String name,
        String description,
        String notificationEmail,
        boolean active,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        long activeTokens,
        NetworkList allowedNetworks,
        TokenRestrictions.RateLimit rateLimit) {
}
