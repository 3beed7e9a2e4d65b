package io.globalgate.admin.pages;

import io.globalgate.store.AccessToken;
import io.globalgate.store.Integration;

import java.time.Instant;
import java.util.List;

/** One token: its fields, its predecessors and successor, and the Revoke and Regenerate actions. */
public record TokenPage(Layout layout, Integration integration, AccessToken token, List<AccessToken> replaced,
                        AccessToken replacedBy, Instant now) {
}
