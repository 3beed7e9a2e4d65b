package io.globalgate.admin.pages;

import io.globalgate.store.AuditEvent;
import io.globalgate.store.Integration;

import java.util.List;

/** The audit log, optionally of one integration. */
public record AuditPage(Layout layout, List<AuditEvent> events, Paging paging, Integration integration) {
}
