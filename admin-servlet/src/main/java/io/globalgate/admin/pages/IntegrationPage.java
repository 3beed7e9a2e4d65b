package io.globalgate.admin.pages;

import io.globalgate.store.AccessToken;
import io.globalgate.store.Integration;

import java.time.Instant;
import java.util.List;

/** One integration with its Access Tokens grid. */
public record IntegrationPage(Layout layout, Integration integration, List<AccessToken> tokens, Paging paging,
                              String status, Instant now) {
}
