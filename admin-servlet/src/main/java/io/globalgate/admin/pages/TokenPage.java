package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

import java.time.Instant;
import java.util.List;

/**
 * One token: its fields, its predecessors and successor, and the Revoke and Regenerate actions
 * ({@code policies}: the expirations a regenerated token may get).
 */
public record TokenPage(Layout layout, Integration integration, AccessToken token, List<AccessToken> replaced,
                        AccessToken replacedBy, Instant now, List<String> policies, UsageChart usage) {

    /** Requests since the token was replaced (counted by the hour), or null when it was not. */
    public Long requestsSinceReplaced() {
        return replacedBy == null ? null : usage.since(replacedBy.createdAt());
    }
}
