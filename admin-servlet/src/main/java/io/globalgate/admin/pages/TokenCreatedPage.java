package io.globalgate.admin.pages;

import io.globalgate.store.AccessToken;
import io.globalgate.store.Integration;

/** Shows a new token's value once; {@code value} is null when it was already shown. */
public record TokenCreatedPage(Layout layout, Integration integration, AccessToken token, String value, Long replaces) {
}
