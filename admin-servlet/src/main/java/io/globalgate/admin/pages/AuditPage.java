package io.globalgate.admin.pages;

import io.globalgate.admin.store.AuditEvent;
import io.globalgate.admin.store.Integration;

import java.util.List;

/** The audit log, optionally of one integration. */
public record AuditPage(Layout layout, List<AuditEvent> events, Paging paging, Integration integration) {
}
