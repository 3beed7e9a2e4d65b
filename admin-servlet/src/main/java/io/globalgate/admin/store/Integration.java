package io.globalgate.admin.store;

import java.time.Instant;

/** A custom integration: the owner of Global API access tokens. */
public record Integration(
        long id,
        String name,
        String description,
        String notificationEmail,
        boolean active,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        long activeTokens) {
}
