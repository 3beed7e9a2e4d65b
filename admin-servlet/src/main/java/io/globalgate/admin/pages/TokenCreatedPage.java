package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

import java.time.Instant;

/**
 * Shows a new token's value once; {@code value} is null when it was already shown. {@code replaced}
 * is the token it replaced by regeneration, as it is now, or null.
 */
public record TokenCreatedPage(Layout layout, Integration integration, AccessToken token, String value, AccessToken replaced,
                               Instant now) {
}
