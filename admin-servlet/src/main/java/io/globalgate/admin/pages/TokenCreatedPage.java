package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;

/** Shows a new token's value once; {@code value} is null when it was already shown. */
public record TokenCreatedPage(Layout layout, Integration integration, AccessToken token, String value, Long replaces) {
}
