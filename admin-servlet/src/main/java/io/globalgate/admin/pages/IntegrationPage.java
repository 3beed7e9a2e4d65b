package io.globalgate.admin.pages;

import io.globalgate.store.AccessToken;
import io.globalgate.store.Integration;
import io.globalgate.store.NotificationOutbox;

import java.time.Instant;
import java.util.List;

/** One integration with its Access Tokens grid and its recent notification e-mails. */
public record IntegrationPage(Layout layout, Integration integration, List<AccessToken> tokens, Paging paging,
                              String status, Instant now, List<NotificationOutbox.Message> notifications) {
}
