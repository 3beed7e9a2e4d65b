package io.globalgate.admin.pages;

import io.globalgate.admin.store.AccessToken;
import io.globalgate.admin.store.Integration;
import io.globalgate.admin.store.NotificationOutbox;

import java.time.Instant;
import java.util.List;

/** One integration with its Access Tokens grid and its recent notification e-mails. */
public record IntegrationPage(Layout layout, Integration integration, List<AccessToken> tokens, Paging paging,
                              String status, Instant now, List<NotificationOutbox.Message> notifications,
                              Paging notificationPaging, boolean writesFiles, UsageChart usage) {

    /** A message's status in words: a message of a deployment without SMTP was written to a file, not sent. */
    public String deliveryStatus(NotificationOutbox.Message m) {
        return switch (m.status()) {
            case PENDING -> "Pending";
            case SENT -> writesFiles ? "Written to file" : "Sent";
            case FAILED -> "Failed";
        };
    }
}
